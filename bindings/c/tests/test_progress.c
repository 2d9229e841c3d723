/*
 * The progress callback against the sandbox's `large` scenario (a big stored archive, made on
 * the fly): a whole fetch reports the order, the polls, the download (bytes non-decreasing,
 * the last event at the archive's size) and the extraction (entries, the last at the total),
 * in that order, each with the fetch's order number and the caller's user pointer. Events
 * arrive on the library's threads, so the recorder takes a lock.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

/* Big enough for several network chunks, small enough for valgrind. */
#define LARGE_BYTES "6291456"
#define MAX_EVENTS 4096

struct seen {
  enum qcc_radar_progress_kind kind;
  char order_no[64];
  char status;
  uint32_t polls;
  uint64_t elapsed_ms;
  uint64_t received;
  uint64_t total;
  int total_known;
  uint64_t done;
};

struct recorder {
  pthread_mutex_t lock;
  struct seen events[MAX_EVENTS];
  size_t count;
  size_t dropped;
  int bad_user_data;
};

static struct recorder *expected_recorder;

static void record(const struct qcc_radar_progress *event, void *user_data) {
  struct recorder *r = user_data;
  if (r != expected_recorder) {
    /* Nothing else can be trusted; count on the one we know. */
    expected_recorder->bad_user_data++;
    return;
  }
  pthread_mutex_lock(&r->lock);
  if (r->count < MAX_EVENTS) {
    struct seen *s = &r->events[r->count++];
    s->kind = event->kind;
    snprintf(s->order_no, sizeof s->order_no, "%s", event->order_no ? event->order_no : "(null)");
    s->status = event->status;
    s->polls = event->polls;
    s->elapsed_ms = event->elapsed_ms;
    s->received = event->received;
    s->total = event->total;
    s->total_known = event->total_known;
    s->done = event->done;
  } else {
    r->dropped++;
  }
  pthread_mutex_unlock(&r->lock);
}

static void a_fetch_reports_its_progress(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;
  struct recorder *r = calloc(1, sizeof *r);
  char *dir = temp_dir_new();
  static const char *const large[] = {"--large-bytes", LARGE_BYTES, NULL};
  REQUIRE(r != NULL && dir != NULL);
  pthread_mutex_init(&r->lock, NULL);
  expected_recorder = r;
  REQUIRE(sandbox_start_args(&sb, "large", large) == 0);
  struct qcc_radar_client_options o = sandbox_options(&sb);
  o.progress = record;
  o.progress_user_data = r;
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));
  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 0, &report, &err),
                       QCC_RADAR_STATUS_OK, err));
  REQUIRE(report != NULL);
  /* Freed before reading: no event arrives after this returns. */
  qcc_radar_client_free(client);
  client = NULL;

  pthread_mutex_lock(&r->lock);
  size_t count = r->count;
  pthread_mutex_unlock(&r->lock);
  CHECK_INT(r->bad_user_data, 0);
  CHECK_INT(r->dropped, 0);

  struct stat st;
  REQUIRE(stat(report->archive, &st) == 0);
  size_t ordered = 0, polled = 0, downloading = 0, extracting = 0;
  const struct seen *last_poll = NULL, *last_download = NULL, *last_extract = NULL;
  int phase = 0; /* ordered < polled < downloading < extracting */
  for (size_t i = 0; i < count; i++) {
    const struct seen *e = &r->events[i];
    CHECK_STR(e->order_no, report->order_no);
    if (!CHECK((int)e->kind >= phase)) fprintf(stderr, "    event %zu out of order\n", i);
    if ((int)e->kind > phase) phase = (int)e->kind;
    switch (e->kind) {
      case QCC_RADAR_PROGRESS_KIND_ORDERED:
        ordered++;
        CHECK(e->status == 0 && e->polls == 0 && e->received == 0 && e->done == 0);
        break;
      case QCC_RADAR_PROGRESS_KIND_POLLED:
        polled++;
        CHECK(e->status == 'P' || e->status == 'S');
        CHECK_INT(e->polls, polled); /* 1, 2, 3 … */
        if (last_poll) CHECK(e->elapsed_ms >= last_poll->elapsed_ms);
        last_poll = e;
        break;
      case QCC_RADAR_PROGRESS_KIND_DOWNLOADING:
        downloading++;
        CHECK(e->total_known);
        CHECK_INT(e->total, st.st_size);
        CHECK(e->received > 0 && e->received <= e->total);
        if (last_download) CHECK(e->received >= last_download->received);
        last_download = e;
        break;
      case QCC_RADAR_PROGRESS_KIND_EXTRACTING:
        extracting++;
        CHECK(e->total_known);
        CHECK(e->done >= 1 && e->done <= e->total);
        if (last_extract) CHECK(e->done >= last_extract->done);
        last_extract = e;
        break;
      default:
        CHECK(!"an unknown kind");
    }
  }
  CHECK_INT(ordered, 1);
  CHECK(polled >= 1);
  CHECK(last_poll && last_poll->status == 'S');
  CHECK(downloading >= 1);
  CHECK(last_download && last_download->received == last_download->total);
  CHECK(extracting >= 1);
  CHECK(last_extract && last_extract->done == last_extract->total);
  /* Thinned: nowhere near one event per network chunk. */
  CHECK(downloading < 200);
  printf("# %zu events: %zu ordered, %zu polled, %zu downloading, %zu extracting\n", count,
         ordered, polled, downloading, extracting);
out:
  qcc_radar_error_free(err);
  qcc_radar_report_free(report);
  qcc_radar_client_free(client);
  temp_dir_remove(dir);
  sandbox_stop(&sb);
  if (r) pthread_mutex_destroy(&r->lock);
  free(r);
}

/* Without a callback, a user pointer alone does nothing; with one, a call that fails before
 * any order reports nothing. */
static void no_order_no_event(void) {
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;
  struct recorder *r = calloc(1, sizeof *r);
  REQUIRE(r != NULL);
  pthread_mutex_init(&r->lock, NULL);
  expected_recorder = r;
  struct qcc_radar_client_options o = {0};
  o.app_key = "progress-app-key";
  o.secret_key = "progress-secret-key";
  o.base_url = "http://127.0.0.1:9";
  o.progress_user_data = r;
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));
  qcc_radar_client_free(client);
  client = NULL;
  o.progress = record;
  o.max_attempts = 1;
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));
  CHECK_STATUS(qcc_radar_fetch_report(client, "week", "/dev/null/qcc-radar-progress", 0,
                                      &report, &err),
               QCC_RADAR_STATUS_IO, err);
  CHECK_INT(r->count, 0);
out:
  qcc_radar_error_free(err);
  qcc_radar_client_free(client);
  if (r) pthread_mutex_destroy(&r->lock);
  free(r);
}

int main(int argc, char **argv) {
  static const struct harness_test tests[] = {
      {"a_fetch_reports_its_progress", a_fetch_reports_its_progress},
      {"no_order_no_event", no_order_no_event},
  };
  return harness_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
