/*
 * The happy paths against `qcc-radar sandbox`: the whole flow, the same flow step by step,
 * "no change" (a success without a report), an unknown order, and configuration from the
 * environment. Each test checks what lands on disk, not only what the calls return.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Checks a downloaded report of the `normal` scenario: four files, GBK names decoded, all on
 * disk inside `folder`, the kept zip beside it. */
static void check_normal_report(const struct qcc_radar_report *r, const char *dir) {
  char expected[4096];
  CHECK(starts_with(r->order_no, "JKDAY-"));
  snprintf(expected, sizeof expected, "%s/%s.zip", dir, r->order_no);
  CHECK_STR(r->archive, expected);
  CHECK(is_nonempty_file(r->archive));
  snprintf(expected, sizeof expected, "%s/%s", dir, r->order_no);
  CHECK(starts_with(r->folder, expected));
  CHECK(is_dir(r->folder));
  CHECK_INT(r->file_count, 4);
  if (r->file_count != 4 || r->files == NULL) return;
  int readme = 0;
  for (size_t i = 0; i < r->file_count; i++) {
    CHECK(starts_with(r->files[i], r->folder));
    CHECK(is_nonempty_file(r->files[i]));
    if (ends_with(r->files[i], "/\xe8\xaf\xb4\xe6\x98\x8e.txt")) readme++; /* 说明.txt */
    if (i > 0) CHECK(strcmp(r->files[i - 1], r->files[i]) < 0);              /* sorted */
  }
  CHECK_INT(readme, 1);
}

static void fetch_downloads_and_extracts(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, "normal") == 0);
  struct qcc_radar_client_options o = sandbox_options(&sb);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));

  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report(client, "day", dir, 20000, &report, &err),
                       QCC_RADAR_STATUS_OK, err));
  REQUIRE(report != NULL);
  CHECK_STR(report->report_type, "day");
  check_normal_report(report, dir);
  /* The folder holds exactly the zip and the extracted folder, besides the order ledger and
   * its lock: no temporary leftovers. */
  CHECK_INT(report_entry_count(dir), 2);
  CHECK_INT(dir_entry_count(dir), 4);
out:
  qcc_radar_error_free(err);
  qcc_radar_report_free(report);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void step_by_step_create_info_wait_download(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report_info *info = NULL, *ready = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;
  char *order_no = NULL;
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, "normal") == 0);
  struct qcc_radar_client_options o = sandbox_options(&sb);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));

  REQUIRE(CHECK_STATUS(qcc_radar_create_report(client, "day", &order_no, &err),
                       QCC_RADAR_STATUS_OK, err));
  REQUIRE(order_no != NULL);
  CHECK(starts_with(order_no, "JKDAY-"));

  /* The sandbox answers P twice before S. */
  REQUIRE(CHECK_STATUS(qcc_radar_report_info(client, order_no, &info, &err), QCC_RADAR_STATUS_OK,
                       err));
  CHECK_INT(info->status, 'P');
  CHECK(info->url == NULL);
  CHECK_INT(info->expires_at, 0);

  REQUIRE(CHECK_STATUS(qcc_radar_wait_for_report(client, order_no, 20000, &ready, &err),
                       QCC_RADAR_STATUS_OK, err));
  CHECK_INT(ready->status, 'S');
  REQUIRE(ready->url != NULL);
  CHECK(starts_with(ready->url, "http://127.0.0.1:"));
  CHECK(strstr(ready->url, "Signature=") != NULL);
  CHECK(ready->expires_at > (uint64_t)time(NULL));

  REQUIRE(CHECK_STATUS(qcc_radar_download_report(client, order_no, dir, &report, &err),
                       QCC_RADAR_STATUS_OK, err));
  CHECK_STR(report->order_no, order_no);
  CHECK_STR(report->report_type, "day"); /* from the JKDAY- prefix */
  check_normal_report(report, dir);
out:
  qcc_radar_error_free(err);
  qcc_radar_string_free(order_no);
  qcc_radar_report_info_free(info);
  qcc_radar_report_info_free(ready);
  qcc_radar_report_free(report);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void no_change_is_a_success_without_a_report(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_error *err = NULL;
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, "no_change") == 0);
  struct qcc_radar_client_options o = sandbox_options(&sb);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));

  char *order_no = (char *)dir; /* must be reset to NULL */
  CHECK_STATUS(qcc_radar_create_report(client, "week", &order_no, &err), QCC_RADAR_STATUS_OK, err);
  CHECK(order_no == NULL);

  struct qcc_radar_report *report = (struct qcc_radar_report *)dir; /* must be reset to NULL */
  CHECK_STATUS(qcc_radar_fetch_report(client, "month", dir, 5000, &report, &err),
               QCC_RADAR_STATUS_OK, err);
  CHECK(report == NULL);
  CHECK_INT(report_entry_count(dir), 0);
out:
  qcc_radar_error_free(err);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void unknown_order_is_invalid_request(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report_info *info = NULL;
  struct qcc_radar_error *err = NULL;
  REQUIRE(sandbox_start(&sb, "normal") == 0);
  struct qcc_radar_client_options o = sandbox_options(&sb);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));

  CHECK_STATUS(qcc_radar_report_info(client, "JKDAY-000000000000000000", &info, &err),
               QCC_RADAR_STATUS_INVALID_REQUEST, err);
  CHECK(info == NULL);
  CHECK_INT(qcc_radar_error_code(err), 201);
  CHECK_STR(qcc_radar_error_kind_name(err), "invalid_request");
out:
  qcc_radar_error_free(err);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
}

/* A client made with NULL options, configured only by QCC_APP_KEY / QCC_SECRET_KEY /
 * QCC_BASE_URL, as a cron job would be. */
static void environment_configures_a_working_client(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_error *err = NULL;
  char *order_no = NULL;
  REQUIRE(sandbox_start(&sb, "normal") == 0);
  setenv("QCC_APP_KEY", sb.app_key, 1);
  setenv("QCC_SECRET_KEY", sb.secret_key, 1);
  setenv("QCC_BASE_URL", sb.base_url, 1);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(NULL, &client, &err), QCC_RADAR_STATUS_OK, err));
  CHECK_STATUS(qcc_radar_create_report(client, "day", &order_no, &err), QCC_RADAR_STATUS_OK, err);
  CHECK(starts_with(order_no, "JKDAY-"));
out:
  unsetenv("QCC_APP_KEY");
  unsetenv("QCC_SECRET_KEY");
  unsetenv("QCC_BASE_URL");
  qcc_radar_string_free(order_no);
  qcc_radar_error_free(err);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
}

int main(int argc, char **argv) {
  static const struct harness_test tests[] = {
      {"fetch_downloads_and_extracts", fetch_downloads_and_extracts},
      {"step_by_step_create_info_wait_download", step_by_step_create_info_wait_download},
      {"no_change_is_a_success_without_a_report", no_change_is_a_success_without_a_report},
      {"unknown_order_is_invalid_request", unknown_order_is_invalid_request},
      {"environment_configures_a_working_client", environment_configures_a_working_client},
  };
  return harness_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
