/*
 * Closing and freeing a client while other threads are inside calls with it, against the
 * sandbox's `slow` scenario (orders stay pending for an hour): the one rule of every binding
 * (calls in flight end cancelled, later calls config, closing twice is harmless), and
 * qcc_radar_client_free() from one thread while another waits, which is how a C program stops
 * a 30-minute wait. The waiting threads tell the main thread they are inside their calls
 * through the progress callback (a poll was answered), so nothing here guesses with sleeps;
 * the same callback checks that no event arrives once close or free has returned.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

/* A wait "of 30 minutes", the default wait timeout, passed explicitly. */
#define THIRTY_MINUTES_MS (30ull * 60 * 1000)
/* How long a cancelled call may take to return after close or free. */
#define PROMPT_SECONDS 2.0

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the progress callback saw; shared by the library's threads and the test's. */
struct watch {
  pthread_mutex_t lock;
  pthread_cond_t changed;
  char wait_order[64]; /* polls of this order come from the waiting thread */
  int wait_polls;
  int other_polls; /* polls of any other order (the fetching thread's) */
  int closed;      /* set once close/free has returned */
  int after_close; /* events that arrived after that: must stay 0 */
};

static void on_progress(const struct qcc_radar_progress *event, void *user_data) {
  struct watch *w = user_data;
  pthread_mutex_lock(&w->lock);
  if (w->closed) w->after_close++;
  if (event->kind == QCC_RADAR_PROGRESS_KIND_POLLED) {
    if (strcmp(event->order_no, w->wait_order) == 0)
      w->wait_polls++;
    else
      w->other_polls++;
  }
  pthread_cond_broadcast(&w->changed);
  pthread_mutex_unlock(&w->lock);
}

static void watch_init(struct watch *w) {
  memset(w, 0, sizeof *w);
  pthread_mutex_init(&w->lock, NULL);
  pthread_cond_init(&w->changed, NULL);
}

static void watch_destroy(struct watch *w) {
  pthread_cond_destroy(&w->changed);
  pthread_mutex_destroy(&w->lock);
}

/* Waits (at most 60 s) until the waiter has polled and, with `fetch_too`, the fetcher too. */
static int watch_until_inside(struct watch *w, int fetch_too) {
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 60;
  int ok = 1;
  pthread_mutex_lock(&w->lock);
  while (w->wait_polls < 1 || (fetch_too && w->other_polls < 1)) {
    if (pthread_cond_timedwait(&w->changed, &w->lock, &deadline) == ETIMEDOUT) {
      ok = 0;
      break;
    }
  }
  pthread_mutex_unlock(&w->lock);
  return ok;
}

static void watch_mark_closed(struct watch *w) {
  pthread_mutex_lock(&w->lock);
  w->closed = 1;
  pthread_mutex_unlock(&w->lock);
}

static int watch_after_close(struct watch *w) {
  pthread_mutex_lock(&w->lock);
  int n = w->after_close;
  pthread_mutex_unlock(&w->lock);
  return n;
}

/* One call on another thread: a wait for `order`, or a whole fetch into `dir`. */
struct call {
  const struct qcc_radar_client *client;
  const char *order;
  const char *dir;
  enum qcc_radar_status status;
  char kind[32];
  char message[512];
  int out_is_null;
  double returned_at;
};

static void *run_call(void *arg) {
  struct call *c = arg;
  struct qcc_radar_error *err = NULL;
  if (c->dir) {
    struct qcc_radar_report *report = NULL;
    c->status = qcc_radar_fetch_report(c->client, "day", c->dir, THIRTY_MINUTES_MS, &report, &err);
    c->out_is_null = report == NULL;
    qcc_radar_report_free(report);
  } else {
    struct qcc_radar_report_info *info = NULL;
    c->status = qcc_radar_wait_for_report(c->client, c->order, THIRTY_MINUTES_MS, &info, &err);
    c->out_is_null = info == NULL;
    qcc_radar_report_info_free(info);
  }
  c->returned_at = now_seconds();
  snprintf(c->kind, sizeof c->kind, "%s", qcc_radar_error_kind_name(err));
  snprintf(c->message, sizeof c->message, "%s", qcc_radar_error_message(err));
  qcc_radar_error_free(err);
  return NULL;
}

/* Checks that `c` ended cancelled, by close, within PROMPT_SECONDS of `closed_at`. */
static void check_cancelled(const struct call *c, double closed_at) {
  CHECK_INT(c->status, QCC_RADAR_STATUS_CANCELLED);
  CHECK_STR(c->kind, "cancelled");
  CHECK(starts_with(c->message, "the client was closed while"));
  CHECK(c->out_is_null);
  if (!CHECK(c->returned_at - closed_at < PROMPT_SECONDS))
    fprintf(stderr, "    returned %.2f s after the close\n", c->returned_at - closed_at);
}

/* A client on a `slow` sandbox whose progress goes to `w`, and one pending order. */
static int slow_client(struct sandbox *sb, struct watch *w, struct qcc_radar_client **client,
                       char **order) {
  static const char *const slow[] = {"--slow-ready-after", "3600", NULL};
  struct qcc_radar_error *err = NULL;
  if (sandbox_start_args(sb, "slow", slow) != 0) return -1;
  struct qcc_radar_client_options o = sandbox_options(sb);
  o.progress = on_progress;
  o.progress_user_data = w;
  if (!CHECK_STATUS(qcc_radar_client_new(&o, client, &err), QCC_RADAR_STATUS_OK, err) ||
      !CHECK_STATUS(qcc_radar_create_report(*client, "day", order, &err), QCC_RADAR_STATUS_OK,
                    err) ||
      !CHECK(*order != NULL)) {
    qcc_radar_error_free(err);
    return -1;
  }
  snprintf(w->wait_order, sizeof w->wait_order, "%s", *order);
  return 0;
}

static void close_cancels_calls_on_other_threads(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct watch w;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_error *err = NULL;
  struct qcc_radar_report_info *info = NULL;
  struct qcc_radar_report *report = NULL;
  char *order = NULL, *again = NULL;
  char *dir = temp_dir_new();
  struct call waiter = {0}, fetcher = {0};
  pthread_t threads[2];
  int started = 0;
  watch_init(&w);
  REQUIRE(dir != NULL);
  REQUIRE(slow_client(&sb, &w, &client, &order) == 0);

  waiter.client = client;
  waiter.order = order;
  fetcher.client = client;
  fetcher.dir = dir;
  REQUIRE(pthread_create(&threads[0], NULL, run_call, &waiter) == 0);
  started = 1;
  REQUIRE(pthread_create(&threads[1], NULL, run_call, &fetcher) == 0);
  started = 2;
  REQUIRE(CHECK(watch_until_inside(&w, 1)));

  double closed_at = now_seconds();
  qcc_radar_client_close(client);
  watch_mark_closed(&w);
  qcc_radar_client_close(client); /* twice: nothing more */
  for (; started > 0; started--) pthread_join(threads[started - 1], NULL);
  check_cancelled(&waiter, closed_at);
  check_cancelled(&fetcher, closed_at);

  /* Every later call is a config error; nothing is sent. */
  long orders = sandbox_orders(&sb);
  CHECK_INT(orders, 2); /* the test's order and the fetch's */
  CHECK_STATUS(qcc_radar_report_info(client, order, &info, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK_STR(qcc_radar_error_message(err), "the client is closed; make a new one");
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_create_report(client, "day", &again, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 0, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  err = NULL;
  CHECK(info == NULL && again == NULL && report == NULL);
  CHECK_INT(sandbox_orders(&sb), orders);
  /* The cancelled fetch left no partial file, only its ledger (the order stays resumable). */
  CHECK_INT(report_entry_count(dir), 0);
  qcc_radar_client_close(client);
  qcc_radar_client_close(NULL);
  CHECK_INT(watch_after_close(&w), 0);
out:
  if (started) qcc_radar_client_close(client); /* a failed check must not wait 30 minutes */
  for (; started > 0; started--) pthread_join(threads[started - 1], NULL);
  qcc_radar_client_free(client);
  qcc_radar_string_free(order);
  temp_dir_remove(dir);
  sandbox_stop(&sb);
  watch_destroy(&w);
}

static void free_while_another_thread_waits(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct watch w;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report_info *info = NULL;
  struct qcc_radar_error *err = NULL;
  char *order = NULL;
  struct call waiter = {0};
  pthread_t thread;
  int started = 0;
  watch_init(&w);
  REQUIRE(slow_client(&sb, &w, &client, &order) == 0);
  waiter.client = client;
  waiter.order = order;
  REQUIRE(pthread_create(&thread, NULL, run_call, &waiter) == 0);
  started = 1;
  REQUIRE(CHECK(watch_until_inside(&w, 0)));

  /* Freed while the other thread is inside its 30-minute wait: the wait ends cancelled, and
   * the memory goes when it returns (valgrind and ASan check that nothing is touched after). */
  double freed_at = now_seconds();
  qcc_radar_client_free(client);
  watch_mark_closed(&w);
  pthread_join(thread, NULL);
  started = 0;
  check_cancelled(&waiter, freed_at);
  CHECK_INT(watch_after_close(&w), 0);

  /* Not a promise of the header (no call may start after free), but what keeps a stray call
   * from touching freed memory: the pointer is no longer a live client. */
  CHECK_STATUS(qcc_radar_report_info(client, order, &info, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "not a live client") != NULL);
  qcc_radar_error_free(err);
  qcc_radar_client_close(client); /* ignored likewise */
  client = NULL;
out:
  if (started) {
    qcc_radar_client_close(client);
    pthread_join(thread, NULL);
  }
  qcc_radar_client_free(client);
  qcc_radar_string_free(order);
  sandbox_stop(&sb);
  watch_destroy(&w);
}

static void free_stops_a_whole_fetch(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct watch w;
  struct qcc_radar_client *client = NULL;
  char *order = NULL;
  char *dir = temp_dir_new();
  struct call fetcher = {0};
  pthread_t thread;
  int started = 0;
  watch_init(&w);
  REQUIRE(dir != NULL);
  REQUIRE(slow_client(&sb, &w, &client, &order) == 0);
  /* A whole fetch with its 30-minute wait, stopped by a free from this thread. */
  fetcher.client = client;
  fetcher.dir = dir;
  REQUIRE(pthread_create(&thread, NULL, run_call, &fetcher) == 0);
  started = 1;
  /* The fetch places its own order, so its polls count as the other order's. */
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 60;
  int inside = 1;
  pthread_mutex_lock(&w.lock);
  while (w.other_polls < 1 && inside)
    inside = pthread_cond_timedwait(&w.changed, &w.lock, &deadline) != ETIMEDOUT;
  pthread_mutex_unlock(&w.lock);
  REQUIRE(CHECK(inside));
  double freed_at = now_seconds();
  qcc_radar_client_free(client);
  client = NULL;
  watch_mark_closed(&w);
  pthread_join(thread, NULL);
  started = 0;
  check_cancelled(&fetcher, freed_at);
  CHECK_INT(report_entry_count(dir), 0);
  CHECK_INT(watch_after_close(&w), 0);
out:
  if (started) {
    qcc_radar_client_close(client);
    pthread_join(thread, NULL);
  }
  qcc_radar_client_free(client);
  qcc_radar_string_free(order);
  temp_dir_remove(dir);
  sandbox_stop(&sb);
  watch_destroy(&w);
}

static void closing_is_harmless_without_calls(void) {
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_error *err = NULL;
  char *order = NULL;
  struct qcc_radar_client_options o = {0};
  o.app_key = "close-app-key";
  o.secret_key = "close-secret-key";
  o.base_url = "http://127.0.0.1:9";
  qcc_radar_client_close(NULL);
  qcc_radar_client_free(NULL);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));
  qcc_radar_client_close(client);
  qcc_radar_client_close(client);
  CHECK_STATUS(qcc_radar_create_report(client, "day", &order, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK_STR(qcc_radar_error_message(err), "the client is closed; make a new one");
  CHECK(order == NULL);
  qcc_radar_error_free(err);
  /* A new client is not affected by another's close. */
  struct qcc_radar_client *other = NULL;
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &other, &err), QCC_RADAR_STATUS_OK, err));
  qcc_radar_client_free(client);
  client = other;
  CHECK_STATUS(qcc_radar_create_report(client, "fortnight", &order, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "closed") == NULL);
  qcc_radar_error_free(err);
out:
  qcc_radar_client_free(client);
}

int main(int argc, char **argv) {
  static const struct harness_test tests[] = {
      {"close_cancels_calls_on_other_threads", close_cancels_calls_on_other_threads},
      {"free_while_another_thread_waits", free_while_another_thread_waits},
      {"free_stops_a_whole_fetch", free_stops_a_whole_fetch},
      {"closing_is_harmless_without_calls", closing_is_harmless_without_calls},
  };
  return harness_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
