/*
 * What needs no server: the version, signing, the error accessors, every free function with
 * NULL, and every way of passing a bad argument (NULL, bytes that are not UTF-8, unknown values)
 * — each must come back as a `config` error, never a crash.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#ifndef EXPECTED_VERSION
#error "build with -DEXPECTED_VERSION=\"x.y.z\" (the Makefile does)"
#endif
#ifndef SIGNING_VECTORS
#error "build with -DSIGNING_VECTORS=\"path/to/tests/vectors/signing.json\" (the Makefile does)"
#endif

/* 0xFF never occurs in UTF-8. */
static const char NOT_UTF8[] = {'d', (char)0xff, 'y', '\0'};

static void version_is_the_package_version(void) {
  const char *v = qcc_radar_version();
  CHECK_STR(v, EXPECTED_VERSION);
  CHECK(v == qcc_radar_version()); /* static */
}

static void sign_matches_the_shared_vector(void) {
  char token[QCC_RADAR_TOKEN_BUFFER_SIZE];
  struct qcc_radar_error *err = NULL;
  CHECK_STATUS(qcc_radar_sign("key", 1700000000, "secret", token, sizeof token, &err),
               QCC_RADAR_STATUS_OK, err);
  CHECK(err == NULL);
  CHECK_STR(token, "F82D2EC0DA9D602FB2F633CEBEBDE66E");
  /* The secret is part of the digest: another secret, another token. */
  char other[QCC_RADAR_TOKEN_BUFFER_SIZE];
  CHECK_STATUS(qcc_radar_sign("key", 1700000000, "secret2", other, sizeof other, NULL),
               QCC_RADAR_STATUS_OK, NULL);
  CHECK(strcmp(token, other) != 0);
  /* A bigger buffer is fine; `err` may be NULL. */
  char big[64];
  memset(big, 'x', sizeof big);
  CHECK_INT(qcc_radar_sign("key", 1700000000, "secret", big, sizeof big, NULL),
            QCC_RADAR_STATUS_OK);
  CHECK_STR(big, "F82D2EC0DA9D602FB2F633CEBEBDE66E");
}

/* Reads the JSON string value after `"key":` at or after *pos; advances *pos past it. The
 * shared vectors hold raw UTF-8 without escapes, which this reader insists on. */
static char *vector_string(const char **pos, const char *key) {
  char quoted[32];
  snprintf(quoted, sizeof quoted, "\"%s\"", key);
  const char *p = strstr(*pos, quoted);
  if (!p) return NULL;
  p = strchr(p + strlen(quoted), '"');
  if (!p) return NULL;
  const char *end = strchr(p + 1, '"');
  if (!end || memchr(p + 1, '\\', (size_t)(end - p - 1))) return NULL;
  *pos = end + 1;
  return strndup(p + 1, (size_t)(end - p - 1));
}

/* The cross-language vectors in tests/vectors/signing.json (empty keys, a 2^53-1 timespan,
 * Chinese and emoji keys …): every binding must give the same Token. */
static void sign_matches_every_shared_vector(void) {
  FILE *f = fopen(SIGNING_VECTORS, "rb");
  char *json = NULL;
  REQUIRE(f != NULL);
  json = calloc(1, 1 << 20);
  REQUIRE(json != NULL);
  size_t len = fread(json, 1, (1 << 20) - 1, f);
  REQUIRE(len > 0 && len < (1 << 20) - 1);
  int cases = 0;
  const char *pos = strstr(json, "\"cases\"");
  REQUIRE(pos != NULL);
  for (;;) {
    char *app_key = vector_string(&pos, "app_key");
    if (!app_key) break;
    const char *ts = strstr(pos, "\"timespan\"");
    unsigned long long timespan = ts ? strtoull(strchr(ts, ':') + 1, NULL, 10) : 0;
    char *secret_key = vector_string(&pos, "secret_key");
    char *token = vector_string(&pos, "token");
    char got[QCC_RADAR_TOKEN_BUFFER_SIZE] = "";
    CHECK(ts != NULL && secret_key != NULL && token != NULL);
    if (ts && secret_key && token) {
      CHECK_INT(qcc_radar_sign(app_key, timespan, secret_key, got, sizeof got, NULL),
                QCC_RADAR_STATUS_OK);
      if (!CHECK_STR(got, token)) fprintf(stderr, "    (vector %d)\n", cases);
    }
    free(app_key);
    free(secret_key);
    free(token);
    cases++;
  }
  CHECK(cases >= 10);
out:
  free(json);
  if (f) fclose(f);
}

static void sign_rejects_bad_arguments(void) {
  char token[QCC_RADAR_TOKEN_BUFFER_SIZE];
  struct qcc_radar_error *err = NULL;

  memset(token, 'x', sizeof token);
  CHECK_STATUS(qcc_radar_sign("key", 1, "secret", token, 32, &err), QCC_RADAR_STATUS_CONFIG,
               err);
  CHECK(strstr(qcc_radar_error_message(err), "QCC_RADAR_TOKEN_BUFFER_SIZE") != NULL);
  CHECK_STR(token, ""); /* a too-small buffer holds an empty string, not a truncated token */
  qcc_radar_error_free(err);

  CHECK_STATUS(qcc_radar_sign("key", 1, "secret", NULL, 33, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_sign("key", 1, "secret", token, 0, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);

  CHECK_STATUS(qcc_radar_sign(NULL, 1, "secret", token, sizeof token, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "app_key is NULL") != NULL);
  qcc_radar_error_free(err);

  CHECK_STATUS(qcc_radar_sign("key", 1, NULL, token, sizeof token, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "secret_key is NULL") != NULL);
  qcc_radar_error_free(err);

  CHECK_STATUS(qcc_radar_sign(NOT_UTF8, 1, "secret", token, sizeof token, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "not valid UTF-8") != NULL);
  qcc_radar_error_free(err);

  /* Without an error object the status alone still tells the kind. */
  CHECK_INT(qcc_radar_sign("key", 1, NOT_UTF8, token, sizeof token, NULL),
            QCC_RADAR_STATUS_CONFIG);
}

static void free_functions_accept_null(void) {
  qcc_radar_client_free(NULL);
  qcc_radar_error_free(NULL);
  qcc_radar_report_free(NULL);
  qcc_radar_report_info_free(NULL);
  qcc_radar_string_free(NULL);
  CHECK(1); /* reaching here is the test */
}

static void error_accessors_on_null(void) {
  CHECK_INT(qcc_radar_error_kind(NULL), QCC_RADAR_ERROR_KIND_NONE);
  CHECK_STR(qcc_radar_error_kind_name(NULL), "none");
  CHECK_INT(qcc_radar_error_code(NULL), 0);
  CHECK_STR(qcc_radar_error_message(NULL), "");
  CHECK(qcc_radar_error_server_message(NULL) == NULL);
  CHECK(qcc_radar_error_order_no(NULL) == NULL);
}

static void status_names_and_numbers(void) {
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_OK), "ok");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_AUTH), "auth");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_QUOTA), "quota");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_PERMISSION), "permission");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_INVALID_REQUEST), "invalid_request");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_REPORT_FAILED), "report_failed");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_TIMEOUT), "timeout");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_TRANSPORT), "transport");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_ARCHIVE), "archive");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_CONFIG), "config");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_CANCELLED), "cancelled");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_INTERNAL), "internal");
  CHECK_STR(qcc_radar_status_name(-1), "unknown");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_UNCONFIRMED_ORDER), "unconfirmed_order");
  CHECK_STR(qcc_radar_status_name(QCC_RADAR_STATUS_IO), "io");
  CHECK_STR(qcc_radar_status_name(14), "unknown");
  CHECK_INT(QCC_RADAR_STATUS_CONFIG, QCC_RADAR_ERROR_KIND_CONFIG);
  CHECK_INT(QCC_RADAR_STATUS_INTERNAL, QCC_RADAR_ERROR_KIND_INTERNAL);
  CHECK_INT(QCC_RADAR_STATUS_UNCONFIRMED_ORDER, 12);
  CHECK_INT(QCC_RADAR_ERROR_KIND_UNCONFIRMED_ORDER, 12);
  CHECK_INT(QCC_RADAR_STATUS_IO, 13);
  CHECK_INT(QCC_RADAR_ERROR_KIND_IO, 13);
}

static void client_new_rejects_bad_options(void) {
  struct qcc_radar_client *client = (struct qcc_radar_client *)&client; /* must be reset to NULL */
  struct qcc_radar_error *err = NULL;
  struct qcc_radar_client_options o = {0};
  o.app_key = "demo-app-key";
  o.secret_key = "demo-secret";

  o.base_url = "not a url";
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK(client == NULL);
  qcc_radar_error_free(err);

  o.base_url = "http://127.0.0.1:9";
  o.secret_key = "with a space";
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "with a space") == NULL); /* no secret in errors */
  qcc_radar_error_free(err);

  o.secret_key = "";
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);

  o.secret_key = NOT_UTF8;
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "options->secret_key") != NULL);
  qcc_radar_error_free(err);

  o.secret_key = "demo-secret";
  o.ca_file = "/nonexistent/ca.pem";
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  o.ca_file = NULL;

  CHECK_STATUS(qcc_radar_client_new(&o, NULL, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);

  /* Valid options make a client without touching the network. */
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err);
  CHECK(client != NULL);
  qcc_radar_client_free(client);
}

static void client_new_falls_back_to_the_environment(void) {
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_error *err = NULL;
  unsetenv("QCC_APP_KEY");
  unsetenv("QCC_SECRET_KEY");
  unsetenv("QCC_BASE_URL");
  CHECK_STATUS(qcc_radar_client_new(NULL, &client, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "QCC_APP_KEY") != NULL);
  CHECK(client == NULL);
  qcc_radar_error_free(err);

  setenv("QCC_APP_KEY", "env-app-key", 1);
  CHECK_STATUS(qcc_radar_client_new(NULL, &client, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "QCC_SECRET_KEY") != NULL);
  qcc_radar_error_free(err);

  setenv("QCC_SECRET_KEY", "env-secret", 1);
  setenv("QCC_BASE_URL", "::bad::", 1);
  CHECK_STATUS(qcc_radar_client_new(NULL, &client, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);

  setenv("QCC_BASE_URL", "http://127.0.0.1:9", 1);
  CHECK_STATUS(qcc_radar_client_new(NULL, &client, &err), QCC_RADAR_STATUS_OK, err);
  CHECK(client != NULL);
  qcc_radar_client_free(client);
  client = NULL;

  /* Options with NULL strings fall back field by field. */
  struct qcc_radar_client_options o = {0};
  o.base_url = "http://127.0.0.1:10";
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err);
  qcc_radar_client_free(client);

  unsetenv("QCC_APP_KEY");
  unsetenv("QCC_SECRET_KEY");
  unsetenv("QCC_BASE_URL");
}

/* Every call on a client, with NULL or bad arguments: a config error, out-pointers NULL, and
 * nothing sent (the base URL points at a closed port, which would be a transport error). */
static void calls_reject_null_and_bad_arguments(void) {
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_error *err = NULL;
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d", closed_port());
  struct qcc_radar_client_options o = {0};
  o.app_key = "k";
  o.secret_key = "s";
  o.base_url = url;
  REQUIRE(qcc_radar_client_new(&o, &client, &err) == QCC_RADAR_STATUS_OK);

  char *order_no = (char *)url; /* garbage that must be reset to NULL */
  CHECK_STATUS(qcc_radar_create_report(NULL, "day", &order_no, &err), QCC_RADAR_STATUS_CONFIG,
               err);
  CHECK(order_no == NULL);
  CHECK(strstr(qcc_radar_error_message(err), "client is NULL") != NULL);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_create_report(client, NULL, &order_no, &err), QCC_RADAR_STATUS_CONFIG,
               err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_create_report(client, NOT_UTF8, &order_no, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_create_report(client, "year", &order_no, &err), QCC_RADAR_STATUS_CONFIG,
               err);
  CHECK(strstr(qcc_radar_error_message(err), "day, week, month") != NULL);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_create_report(client, "day", NULL, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);

  struct qcc_radar_report_info *info = (struct qcc_radar_report_info *)url;
  CHECK_STATUS(qcc_radar_report_info(client, NULL, &info, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK(info == NULL);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_report_info(client, "../etc/passwd", &info, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_report_info(client, NOT_UTF8, &info, &err), QCC_RADAR_STATUS_CONFIG,
               err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_report_info(NULL, "JKDAY-1", &info, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_report_info(client, "JKDAY-1", NULL, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);

  CHECK_STATUS(qcc_radar_wait_for_report(client, "", 10, &info, &err), QCC_RADAR_STATUS_CONFIG,
               err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_wait_for_report(NULL, "JKDAY-1", 10, &info, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_wait_for_report(client, "JKDAY-1", 10, NULL, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);

  struct qcc_radar_report *report = (struct qcc_radar_report *)url;
  CHECK_STATUS(qcc_radar_download_report(client, "JKDAY-1", NULL, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(report == NULL);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_download_report(client, "JKDAY-1", NOT_UTF8, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_download_report(client, NULL, "/tmp", &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_download_report(client, "JKDAY-1", "/tmp", NULL, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);

  report = (struct qcc_radar_report *)url;
  CHECK_STATUS(qcc_radar_fetch_report(client, "day", NULL, 0, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(report == NULL);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_report(client, NOT_UTF8, "/tmp", 0, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_report(client, "fortnight", "/tmp", 0, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_report(NULL, "day", "/tmp", 0, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_report(client, "day", "/tmp", 0, NULL, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);

  /* qcc_radar_fetch_report_with checks the same arguments; its options may be NULL. */
  struct qcc_radar_fetch_options fetch_options = {0};
  fetch_options.new_order = 1;
  report = (struct qcc_radar_report *)url;
  CHECK_STATUS(qcc_radar_fetch_report_with(NULL, "day", "/tmp", &fetch_options, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(report == NULL);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_report_with(client, NULL, "/tmp", NULL, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "report_type is NULL") != NULL);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_report_with(client, "fortnight", "/tmp", &fetch_options, &report,
                                           &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_report_with(client, "day", NULL, &fetch_options, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "out_dir is NULL") != NULL);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_report_with(client, "day", NOT_UTF8, NULL, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_report_with(client, "day", "/tmp", &fetch_options, NULL, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_INT(qcc_radar_fetch_report_with(client, NULL, "/tmp", NULL, &report, NULL),
            QCC_RADAR_STATUS_CONFIG);

  /* `err` itself may be NULL on every call. */
  CHECK_INT(qcc_radar_fetch_report(client, NULL, "/tmp", 0, &report, NULL),
            QCC_RADAR_STATUS_CONFIG);
out:
  qcc_radar_client_free(client);
}

int main(int argc, char **argv) {
  static const struct harness_test tests[] = {
      {"version_is_the_package_version", version_is_the_package_version},
      {"sign_matches_the_shared_vector", sign_matches_the_shared_vector},
      {"sign_matches_every_shared_vector", sign_matches_every_shared_vector},
      {"sign_rejects_bad_arguments", sign_rejects_bad_arguments},
      {"free_functions_accept_null", free_functions_accept_null},
      {"error_accessors_on_null", error_accessors_on_null},
      {"status_names_and_numbers", status_names_and_numbers},
      {"client_new_rejects_bad_options", client_new_rejects_bad_options},
      {"client_new_falls_back_to_the_environment", client_new_falls_back_to_the_environment},
      {"calls_reject_null_and_bad_arguments", calls_reject_null_and_bad_arguments},
  };
  return harness_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
