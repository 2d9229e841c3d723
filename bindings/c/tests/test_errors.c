/*
 * Every error kind a C caller can meet, each provoked for real: a sandbox scenario for what the
 * API or the archive does wrong, a closed port for the network, a short deadline for a slow
 * report. Each check covers the status, the error's kind and name, the API code where the API
 * answered, and that out-pointers stay NULL and nothing is left on disk.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

/* Runs qcc_radar_fetch_report() for `scenario` and checks it fails with `expected` and API
 * code `code` (0: none). Returns nothing; records failures. */
static void fetch_fails(const char *scenario, enum qcc_radar_status expected, int code,
                        uint64_t timeout_ms) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, scenario) == 0);
  struct qcc_radar_client_options o = sandbox_options(&sb);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));

  report = (struct qcc_radar_report *)dir; /* must be reset to NULL */
  CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, timeout_ms, &report, &err), expected,
               err);
  CHECK(report == NULL);
  CHECK_INT(qcc_radar_error_code(err), code);
  /* Nothing half-done is left where the caller looks: no zip, no folder, no temporary file
   * (only the order ledger and its lock). */
  CHECK_INT(report_entry_count(dir), 0);
  /* The secret never appears in an error. */
  CHECK(strstr(qcc_radar_error_message(err), sb.secret_key) == NULL);
out:
  qcc_radar_error_free(err);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void quota_is_quota_with_code_112(void) {
  fetch_fails("quota", QCC_RADAR_STATUS_QUOTA, 112, 5000);
}

static void bad_credentials_is_auth_with_code_107(void) {
  fetch_fails("bad_credentials", QCC_RADAR_STATUS_AUTH, 107, 5000);
}

static void server_message_is_kept(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_error *err = NULL;
  char *order_no = NULL;
  REQUIRE(sandbox_start(&sb, "quota") == 0);
  struct qcc_radar_client_options o = sandbox_options(&sb);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));
  CHECK_STATUS(qcc_radar_create_report(client, "day", &order_no, &err), QCC_RADAR_STATUS_QUOTA,
               err);
  CHECK(order_no == NULL);
  const char *server = qcc_radar_error_server_message(err);
  CHECK(server != NULL && server[0] != '\0');
  /* The full message carries the code and the server's own words. */
  CHECK(strstr(qcc_radar_error_message(err), "112") != NULL);
  if (server) CHECK(strstr(qcc_radar_error_message(err), server) != NULL);
out:
  qcc_radar_error_free(err);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
}

static void failed_generation_is_report_failed(void) {
  fetch_fails("fail", QCC_RADAR_STATUS_REPORT_FAILED, 0, 20000);
}

static void wait_past_the_deadline_is_timeout(void) {
  /* `slow` makes the report in 5 s; a 600 ms deadline runs out first. */
  fetch_fails("slow", QCC_RADAR_STATUS_TIMEOUT, 0, 600);
}

static void wait_for_report_alone_times_out_and_fails(void) {
  struct sandbox slow = SANDBOX_NONE, fail = SANDBOX_NONE;
  struct qcc_radar_client *slow_client = NULL, *fail_client = NULL;
  struct qcc_radar_report_info *info = NULL;
  struct qcc_radar_error *err = NULL;
  char *order_no = NULL, *failed_order = NULL;
  REQUIRE(sandbox_start(&slow, "slow") == 0);
  REQUIRE(sandbox_start(&fail, "fail") == 0);
  struct qcc_radar_client_options o = sandbox_options(&slow);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &slow_client, &err), QCC_RADAR_STATUS_OK, err));
  o = sandbox_options(&fail);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &fail_client, &err), QCC_RADAR_STATUS_OK, err));

  REQUIRE(CHECK_STATUS(qcc_radar_create_report(slow_client, "day", &order_no, &err),
                       QCC_RADAR_STATUS_OK, err));
  time_t started = time(NULL);
  info = (struct qcc_radar_report_info *)order_no;
  CHECK_STATUS(qcc_radar_wait_for_report(slow_client, order_no, 400, &info, &err),
               QCC_RADAR_STATUS_TIMEOUT, err);
  CHECK(info == NULL);
  CHECK(time(NULL) - started < 4); /* it kept to its deadline, not the report's 5 s */
  qcc_radar_error_free(err);
  err = NULL;
  /* The order stays valid: asking again works. */
  CHECK_STATUS(qcc_radar_report_info(slow_client, order_no, &info, &err), QCC_RADAR_STATUS_OK,
               err);
  if (info) CHECK_INT(info->status, 'P');
  qcc_radar_report_info_free(info);
  info = NULL;

  REQUIRE(CHECK_STATUS(qcc_radar_create_report(fail_client, "week", &failed_order, &err),
                       QCC_RADAR_STATUS_OK, err));
  CHECK_STATUS(qcc_radar_wait_for_report(fail_client, failed_order, 20000, &info, &err),
               QCC_RADAR_STATUS_REPORT_FAILED, err);
  CHECK(info == NULL);
  CHECK(strstr(qcc_radar_error_message(err), failed_order) != NULL);
out:
  qcc_radar_error_free(err);
  qcc_radar_report_info_free(info);
  qcc_radar_string_free(order_no);
  qcc_radar_string_free(failed_order);
  qcc_radar_client_free(slow_client);
  qcc_radar_client_free(fail_client);
  sandbox_stop(&slow);
  sandbox_stop(&fail);
}

static void unreachable_server_is_transport(void) {
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;
  char url[64];
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  int port = closed_port();
  REQUIRE(port > 0);
  snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
  struct qcc_radar_client_options o = {0};
  o.app_key = "app-key";
  o.secret_key = "secret";
  o.base_url = url;
  o.max_attempts = 2;
  o.connect_timeout_ms = 2000;
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));
  CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 5000, &report, &err),
               QCC_RADAR_STATUS_TRANSPORT, err);
  CHECK(report == NULL);
  CHECK_INT(qcc_radar_error_code(err), 0);
  CHECK_INT(report_entry_count(dir), 0);
out:
  qcc_radar_error_free(err);
  qcc_radar_client_free(client);
  temp_dir_remove(dir);
}

static void unsafe_archive_is_archive_and_leaves_nothing(void) {
  remove("/tmp/qcc-abs.txt");
  fetch_fails("unsafe_archive", QCC_RADAR_STATUS_ARCHIVE, 0, 20000);
  /* The absolute entry was not written either. */
  CHECK(!is_nonempty_file("/tmp/qcc-abs.txt"));
}

static void zip_bomb_is_archive(void) {
  fetch_fails("zip_bomb", QCC_RADAR_STATUS_ARCHIVE, 0, 20000);
}

int main(int argc, char **argv) {
  static const struct harness_test tests[] = {
      {"quota_is_quota_with_code_112", quota_is_quota_with_code_112},
      {"bad_credentials_is_auth_with_code_107", bad_credentials_is_auth_with_code_107},
      {"server_message_is_kept", server_message_is_kept},
      {"failed_generation_is_report_failed", failed_generation_is_report_failed},
      {"wait_past_the_deadline_is_timeout", wait_past_the_deadline_is_timeout},
      {"wait_for_report_alone_times_out_and_fails", wait_for_report_alone_times_out_and_fails},
      {"unreachable_server_is_transport", unreachable_server_is_transport},
      {"unsafe_archive_is_archive_and_leaves_nothing", unsafe_archive_is_archive_and_leaves_nothing},
      {"zip_bomb_is_archive", zip_bomb_is_archive},
  };
  return harness_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
