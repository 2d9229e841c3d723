/*
 * The order ledger through the C interface, against `qcc-radar sandbox`: a report is paid for
 * once. Each test re-runs fetches in one folder, as a cron job or a re-run program does, and
 * asks the sandbox how many (billed) orders it placed after each call, so "nothing more was
 * ordered" is checked where the money is, not inferred from what the library says.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* A client for `sb`. Returns NULL (recorded) when it cannot be made. */
static struct qcc_radar_client *client_for(const struct sandbox *sb, uint64_t request_timeout_ms) {
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_error *err = NULL;
  struct qcc_radar_client_options o = sandbox_options(sb);
  o.request_timeout_ms = request_timeout_ms;
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err);
  qcc_radar_error_free(err);
  return client;
}

/* fetch with `new_order` through qcc_radar_fetch_report_with(). */
static enum qcc_radar_status fetch_new_order(const struct qcc_radar_client *client,
                                             const char *dir, struct qcc_radar_report **out,
                                             struct qcc_radar_error **err) {
  struct qcc_radar_fetch_options options = {0};
  options.timeout_ms = 20000;
  options.new_order = 1;
  return qcc_radar_fetch_report_with(client, "day", dir, &options, out, err);
}

/* Two reports are the same report: same order, same paths, same files. */
static void check_same_report(const struct qcc_radar_report *a, const struct qcc_radar_report *b) {
  if (!a || !b) {
    CHECK(a != NULL && b != NULL);
    return;
  }
  CHECK_STR(b->order_no, a->order_no);
  CHECK_STR(b->report_type, a->report_type);
  CHECK_STR(b->archive, a->archive);
  CHECK_STR(b->folder, a->folder);
  CHECK_INT(b->file_count, a->file_count);
  for (size_t i = 0; i < a->file_count && i < b->file_count; i++)
    CHECK_STR(b->files[i], a->files[i]);
}

static void rerun_in_one_folder_returns_the_same_report(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL, *second = NULL;
  struct qcc_radar_report *first = NULL, *again = NULL, *other_client = NULL;
  struct qcc_radar_error *err = NULL;
  long creates = -1;
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, "normal") == 0);
  REQUIRE((client = client_for(&sb, 0)) != NULL);

  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 20000, &first, &err),
                       QCC_RADAR_STATUS_OK, err));
  REQUIRE(first != NULL);
  CHECK_INT(sandbox_orders(&sb), 1);
  char *ledger = ledger_path(dir);
  CHECK(is_nonempty_file(ledger));
  free(ledger);

  /* The same call again: the same report, and not even a createReport sent. */
  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 20000, &again, &err),
                       QCC_RADAR_STATUS_OK, err));
  check_same_report(first, again);
  CHECK_INT(sandbox_record(&sb, NULL, &creates), 0);
  CHECK_INT(creates, 1);
  CHECK_INT(sandbox_orders(&sb), 1);
  CHECK_INT(report_entry_count(dir), 2);

  /* A new client (a new process, a restarted notebook) reads the same ledger. */
  REQUIRE((second = client_for(&sb, 0)) != NULL);
  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report_with(second, "day", dir, NULL, &other_client, &err),
                       QCC_RADAR_STATUS_OK, err));
  check_same_report(first, other_client);
  CHECK_INT(sandbox_orders(&sb), 1);
out:
  qcc_radar_error_free(err);
  qcc_radar_report_free(first);
  qcc_radar_report_free(again);
  qcc_radar_report_free(other_client);
  qcc_radar_client_free(client);
  qcc_radar_client_free(second);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void no_change_is_remembered_until_new_order(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;
  long creates = -1;
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, "no_change") == 0);
  REQUIRE((client = client_for(&sb, 0)) != NULL);

  CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 20000, &report, &err),
               QCC_RADAR_STATUS_OK, err);
  CHECK(report == NULL);
  CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 20000, &report, &err),
               QCC_RADAR_STATUS_OK, err);
  CHECK(report == NULL);
  CHECK_INT(sandbox_record(&sb, NULL, &creates), 0);
  CHECK_INT(creates, 1); /* the re-run asked nothing */

  CHECK_STATUS(fetch_new_order(client, dir, &report, &err), QCC_RADAR_STATUS_OK, err);
  CHECK(report == NULL);
  CHECK_INT(sandbox_record(&sb, NULL, &creates), 0);
  CHECK_INT(creates, 2); /* new_order asked again */
  CHECK_INT(report_entry_count(dir), 0);
out:
  qcc_radar_error_free(err);
  qcc_radar_report_free(report);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

/* Checks that a fetch failed with QCC_RADAR_STATUS_UNCONFIRMED_ORDER, left no report behind
 * and carried no order number (the answer with the number never arrived). */
static void check_unconfirmed(enum qcc_radar_status status, const struct qcc_radar_error *err,
                              const struct qcc_radar_report *report, const char *dir) {
  CHECK_INT(status, QCC_RADAR_STATUS_UNCONFIRMED_ORDER);
  CHECK_INT(qcc_radar_error_kind(err), QCC_RADAR_ERROR_KIND_UNCONFIRMED_ORDER);
  CHECK_STR(qcc_radar_error_kind_name(err), "unconfirmed_order");
  CHECK(qcc_radar_error_order_no(err) == NULL);
  CHECK(report == NULL);
  CHECK_INT(report_entry_count(dir), 0);
  /* The message says what to do next. */
  CHECK(strstr(qcc_radar_error_message(err), "new_order") != NULL);
}

/* createReport places the order and its answer never arrives (`lost_answer`: the connection
 * is closed; `create_hangs`: the answer is held past the client's request timeout). */
static void unconfirmed_order_orders_nothing_until_new_order(const char *scenario,
                                                             uint64_t request_timeout_ms) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL, *again = NULL;
  struct qcc_radar_error *err = NULL;
  long creates = -1;
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, scenario) == 0);
  REQUIRE((client = client_for(&sb, request_timeout_ms)) != NULL);

  enum qcc_radar_status status = qcc_radar_fetch_report(client, "day", dir, 20000, &report, &err);
  check_unconfirmed(status, err, report, dir);
  CHECK_INT(sandbox_orders(&sb), 1);
  qcc_radar_error_free(err);
  err = NULL;

  /* A re-run orders nothing: the first order may be on the bill. */
  status = qcc_radar_fetch_report(client, "day", dir, 20000, &report, &err);
  check_unconfirmed(status, err, report, dir);
  CHECK_INT(sandbox_record(&sb, NULL, &creates), 0);
  CHECK_INT(creates, 1);
  CHECK_INT(sandbox_orders(&sb), 1);
  qcc_radar_error_free(err);
  err = NULL;

  /* The caller checked and decides to order anyway. */
  REQUIRE(CHECK_STATUS(fetch_new_order(client, dir, &report, &err), QCC_RADAR_STATUS_OK, err));
  REQUIRE(report != NULL);
  CHECK(starts_with(report->order_no, "JKDAY-"));
  CHECK(is_nonempty_file(report->archive));
  CHECK_INT(sandbox_orders(&sb), 2);

  /* That order is now the period's report. */
  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 20000, &again, &err),
                       QCC_RADAR_STATUS_OK, err));
  check_same_report(report, again);
  CHECK_INT(sandbox_orders(&sb), 2);
out:
  qcc_radar_error_free(err);
  qcc_radar_report_free(report);
  qcc_radar_report_free(again);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void lost_answer_is_unconfirmed_order(void) {
  unconfirmed_order_orders_nothing_until_new_order("lost_answer", 0);
}

static void create_hangs_past_the_request_timeout_is_unconfirmed_order(void) {
  unconfirmed_order_orders_nothing_until_new_order("create_hangs", 1500);
}

/* After `unconfirmed_order`, the caller finds the order in QCC's order list and gives its number
 * as `order_no`: it is recorded as the period's order, waited for and downloaded, with nothing
 * ordered. The sandbox's record does not list order numbers, so the order given here is one
 * placed by qcc_radar_create_report on the same sandbox (outside the ledger, as an order placed
 * from the console would be): the same path as resuming the lost one. */
static void order_no_resumes_an_order_after_unconfirmed_order(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL, *again = NULL;
  struct qcc_radar_error *err = NULL;
  char *order = NULL;
  long creates = -1;
  struct qcc_radar_fetch_options options = {0};
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, "lost_answer") == 0);
  REQUIRE((client = client_for(&sb, 0)) != NULL);

  enum qcc_radar_status status = qcc_radar_fetch_report(client, "day", dir, 20000, &report, &err);
  check_unconfirmed(status, err, report, dir);
  /* The message names the way out this option is. */
  CHECK(err != NULL && strstr(qcc_radar_error_message(err), "order_no") != NULL);
  qcc_radar_error_free(err);
  err = NULL;
  CHECK_INT(sandbox_orders(&sb), 1);

  REQUIRE(CHECK_STATUS(qcc_radar_create_report(client, "day", &order, &err), QCC_RADAR_STATUS_OK,
                       err));
  REQUIRE(starts_with(order, "JKDAY-"));
  CHECK_INT(sandbox_orders(&sb), 2);

  /* order_no with new_order, or with another report type: config, nothing sent. */
  options.timeout_ms = 20000;
  options.order_no = order;
  options.new_order = 1;
  report = (struct qcc_radar_report *)dir; /* must be reset to NULL */
  CHECK_STATUS(qcc_radar_fetch_report_with(client, "day", dir, &options, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(report == NULL);
  CHECK(err != NULL && strstr(qcc_radar_error_message(err), "new_order") != NULL);
  qcc_radar_error_free(err);
  err = NULL;
  options.new_order = 0;
  CHECK_STATUS(qcc_radar_fetch_report_with(client, "week", dir, &options, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(report == NULL);
  qcc_radar_error_free(err);
  err = NULL;
  /* A malformed number or non-UTF-8 bytes: config. */
  options.order_no = "not an order";
  CHECK_STATUS(qcc_radar_fetch_report_with(client, "day", dir, &options, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  err = NULL;
  options.order_no = "JKDAY-\xff";
  CHECK_STATUS(qcc_radar_fetch_report_with(client, "day", dir, &options, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  err = NULL;
  CHECK_INT(sandbox_record(&sb, NULL, &creates), 0);
  CHECK_INT(creates, 2);

  /* The order given: resumed and downloaded, nothing ordered. */
  options.order_no = order;
  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report_with(client, "day", dir, &options, &report, &err),
                       QCC_RADAR_STATUS_OK, err));
  REQUIRE(report != NULL);
  CHECK_STR(report->order_no, order);
  CHECK(is_nonempty_file(report->archive));
  CHECK(report->file_count > 0);
  CHECK_INT(sandbox_record(&sb, NULL, &creates), 0);
  CHECK_INT(creates, 2);
  CHECK_INT(sandbox_orders(&sb), 2);

  /* It is now the period's report: a plain fetch returns it, sending no createReport. */
  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 20000, &again, &err),
                       QCC_RADAR_STATUS_OK, err));
  check_same_report(report, again);
  CHECK_INT(sandbox_record(&sb, NULL, &creates), 0);
  CHECK_INT(creates, 2);
out:
  qcc_radar_error_free(err);
  qcc_radar_string_free(order);
  qcc_radar_report_free(report);
  qcc_radar_report_free(again);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void corrupt_ledger_is_io_and_nothing_is_sent(void) {
  static const char corrupt[] = "{ not json";
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;
  long creates = -1, orders = -1;
  char *ledger = NULL;
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE((ledger = ledger_path(dir)) != NULL);
  FILE *f = fopen(ledger, "wb");
  REQUIRE(f != NULL);
  fputs(corrupt, f);
  fclose(f);
  REQUIRE(sandbox_start(&sb, "normal") == 0);
  REQUIRE((client = client_for(&sb, 0)) != NULL);

  report = (struct qcc_radar_report *)dir; /* must be reset to NULL */
  CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 20000, &report, &err),
               QCC_RADAR_STATUS_IO, err);
  CHECK(report == NULL);
  CHECK_STR(qcc_radar_error_kind_name(err), "io");
  CHECK(qcc_radar_error_order_no(err) == NULL);
  CHECK(strstr(qcc_radar_error_message(err), "qcc-radar-journal.json") != NULL);
  qcc_radar_error_free(err);
  err = NULL;
  /* new_order does not overwrite it either: the file may be the only record of a paid order. */
  CHECK_STATUS(fetch_new_order(client, dir, &report, &err), QCC_RADAR_STATUS_IO, err);
  CHECK(report == NULL);
  CHECK_INT(sandbox_record(&sb, &orders, &creates), 0);
  CHECK_INT(orders, 0);
  CHECK_INT(creates, 0);
  CHECK_INT(report_entry_count(dir), 0);

  char text[64] = {0};
  f = fopen(ledger, "rb");
  REQUIRE(f != NULL);
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  CHECK_INT(n, strlen(corrupt));
  CHECK_STR(text, corrupt); /* left untouched */
out:
  qcc_radar_error_free(err);
  qcc_radar_report_free(report);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
  free(ledger);
  temp_dir_remove(dir);
}

static void timeout_carries_the_order_and_the_rerun_resumes_it(void) {
  static const char *const slow_args[] = {"--slow-ready-after", "1.5", NULL};
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;
  char *order = NULL;
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start_args(&sb, "slow", slow_args) == 0);
  REQUIRE((client = client_for(&sb, 0)) != NULL);

  struct qcc_radar_fetch_options options = {0};
  options.timeout_ms = 300;
  CHECK_STATUS(qcc_radar_fetch_report_with(client, "day", dir, &options, &report, &err),
               QCC_RADAR_STATUS_TIMEOUT, err);
  CHECK(report == NULL);
  const char *lent = qcc_radar_error_order_no(err);
  REQUIRE(lent != NULL);
  CHECK(starts_with(lent, "JKDAY-"));
  CHECK(strstr(qcc_radar_error_message(err), lent) != NULL);
  /* Lent by the error: copy it to keep it past qcc_radar_error_free(). */
  order = strdup(lent);
  qcc_radar_error_free(err);
  err = NULL;
  CHECK_INT(sandbox_orders(&sb), 1);

  /* The re-run resumes the order: no second one. */
  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 20000, &report, &err),
                       QCC_RADAR_STATUS_OK, err));
  REQUIRE(report != NULL);
  CHECK_STR(report->order_no, order);
  CHECK_INT(sandbox_orders(&sb), 1);
out:
  free(order);
  qcc_radar_error_free(err);
  qcc_radar_report_free(report);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void failed_period_is_ordered_twice_then_report_failed(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, "fail") == 0);
  REQUIRE((client = client_for(&sb, 0)) != NULL);

  static const long orders_after[] = {1, 2, 2};
  for (int i = 0; i < 3; i++) {
    CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 20000, &report, &err),
                 QCC_RADAR_STATUS_REPORT_FAILED, err);
    CHECK(report == NULL);
    CHECK(starts_with(qcc_radar_error_order_no(err), "JKDAY-"));
    CHECK_INT(sandbox_orders(&sb), orders_after[i]);
    qcc_radar_error_free(err);
    err = NULL;
  }
  /* new_order orders anyway. */
  CHECK_STATUS(fetch_new_order(client, dir, &report, &err), QCC_RADAR_STATUS_REPORT_FAILED, err);
  CHECK_INT(sandbox_orders(&sb), 3);
  CHECK_INT(report_entry_count(dir), 0);
out:
  qcc_radar_error_free(err);
  qcc_radar_report_free(report);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void two_servers_one_folder_order_once_each(void) {
  struct sandbox a = SANDBOX_NONE, b = SANDBOX_NONE;
  struct qcc_radar_client *client_a = NULL, *client_b = NULL;
  struct qcc_radar_report *report_a = NULL, *report_b = NULL, *again = NULL;
  struct qcc_radar_error *err = NULL;
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&a, "normal") == 0);
  REQUIRE(sandbox_start(&b, "normal") == 0);
  REQUIRE((client_a = client_for(&a, 0)) != NULL);
  REQUIRE((client_b = client_for(&b, 0)) != NULL);

  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report(client_a, "day", dir, 20000, &report_a, &err),
                       QCC_RADAR_STATUS_OK, err));
  /* The other server's entry does not stand in for this one's report. */
  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report(client_b, "day", dir, 20000, &report_b, &err),
                       QCC_RADAR_STATUS_OK, err));
  CHECK(strcmp(report_a->order_no, report_b->order_no) != 0);
  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report(client_a, "day", dir, 20000, &again, &err),
                       QCC_RADAR_STATUS_OK, err));
  check_same_report(report_a, again);
  CHECK_INT(sandbox_orders(&a), 1);
  CHECK_INT(sandbox_orders(&b), 1);
out:
  qcc_radar_error_free(err);
  qcc_radar_report_free(report_a);
  qcc_radar_report_free(report_b);
  qcc_radar_report_free(again);
  qcc_radar_client_free(client_a);
  qcc_radar_client_free(client_b);
  sandbox_stop(&a);
  sandbox_stop(&b);
  temp_dir_remove(dir);
}

int main(int argc, char **argv) {
  static const struct harness_test tests[] = {
      {"rerun_in_one_folder_returns_the_same_report", rerun_in_one_folder_returns_the_same_report},
      {"no_change_is_remembered_until_new_order", no_change_is_remembered_until_new_order},
      {"lost_answer_is_unconfirmed_order", lost_answer_is_unconfirmed_order},
      {"create_hangs_past_the_request_timeout_is_unconfirmed_order",
       create_hangs_past_the_request_timeout_is_unconfirmed_order},
      {"order_no_resumes_an_order_after_unconfirmed_order",
       order_no_resumes_an_order_after_unconfirmed_order},
      {"corrupt_ledger_is_io_and_nothing_is_sent", corrupt_ledger_is_io_and_nothing_is_sent},
      {"timeout_carries_the_order_and_the_rerun_resumes_it",
       timeout_carries_the_order_and_the_rerun_resumes_it},
      {"failed_period_is_ordered_twice_then_report_failed",
       failed_period_is_ordered_twice_then_report_failed},
      {"two_servers_one_folder_order_once_each", two_servers_one_folder_order_once_each},
  };
  return harness_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
