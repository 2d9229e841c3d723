/*
 * Settings by name: the shared vector (tests/settings.json, turned into settings_cases.h by
 * settings_vector.py) through qcc_radar_client_options_set() and qcc_radar_fetch_options_set(),
 * and what only C has: the struct's fields (zero or NULL: unset) mapped through the same
 * checks, "zero" said by a pair where a field cannot, the pairs' own arguments and lifetime.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "settings_cases.h"

#define NOT_UTF8 "\xff\xfe"

/* Sets `pairs` on `o`; returns the first failing status (its error in *err), or OK. */
static enum qcc_radar_status set_client_pairs(struct qcc_radar_client_options *o,
                                              const struct settings_pair *pairs, size_t count,
                                              struct qcc_radar_error **err) {
  for (size_t i = 0; i < count; i++) {
    enum qcc_radar_status s = qcc_radar_client_options_set(o, pairs[i].name, pairs[i].value, err);
    if (s != QCC_RADAR_STATUS_OK) return s;
  }
  return QCC_RADAR_STATUS_OK;
}

static enum qcc_radar_status set_fetch_pairs(struct qcc_radar_fetch_options *o,
                                             const struct settings_pair *pairs, size_t count,
                                             struct qcc_radar_error **err) {
  for (size_t i = 0; i < count; i++) {
    enum qcc_radar_status s = qcc_radar_fetch_options_set(o, pairs[i].name, pairs[i].value, err);
    if (s != QCC_RADAR_STATUS_OK) return s;
  }
  return QCC_RADAR_STATUS_OK;
}

/* Runs one case; the status and error of the first call that failed, or OK and NULL. */
static enum qcc_radar_status run_case(const struct settings_case *c, struct qcc_radar_error **err) {
  struct qcc_radar_client_options o = {0};
  struct qcc_radar_fetch_options f = {0};
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  char *dir = NULL;
  enum qcc_radar_status s = set_client_pairs(&o, settings_base, settings_base_count, err);
  if (s != QCC_RADAR_STATUS_OK) {
    fprintf(stderr, "    the vector's base was refused: %s\n", qcc_radar_error_message(*err));
    goto out;
  }
  s = set_client_pairs(&o, c->settings, c->settings_count, err);
  if (s == QCC_RADAR_STATUS_OK) s = qcc_radar_client_new(&o, &client, err);
  if (s != QCC_RADAR_STATUS_OK || !c->is_fetch) goto out;
  s = set_fetch_pairs(&f, c->fetch, c->fetch_count, err);
  if (s != QCC_RADAR_STATUS_OK) goto out;
  dir = temp_dir_new();
  if (!dir) {
    s = QCC_RADAR_STATUS_INTERNAL;
    goto out;
  }
  s = qcc_radar_fetch_report_with(client, "day", dir, &f, &report, err);
  if (report != NULL) fprintf(stderr, "    a report came back from a closed port\n");
out:
  qcc_radar_report_free(report);
  temp_dir_remove(dir);
  qcc_radar_client_free(client);
  qcc_radar_fetch_options_clear(&f);
  qcc_radar_client_options_clear(&o);
  return s;
}

static void every_case_of_the_shared_vector(void) {
  CHECK(settings_case_count >= 30);
  for (size_t i = 0; i < settings_case_count; i++) {
    const struct settings_case *c = &settings_cases[i];
    struct qcc_radar_error *err = NULL;
    enum qcc_radar_status s = run_case(c, &err);
    int ok;
    if (c->error == NULL) {
      ok = s == QCC_RADAR_STATUS_OK && err == NULL;
    } else {
      ok = s == QCC_RADAR_STATUS_CONFIG &&
           qcc_radar_error_kind(err) == QCC_RADAR_ERROR_KIND_CONFIG &&
           strcmp(qcc_radar_error_message(err), c->error) == 0;
    }
    if (!CHECK(ok)) {
      fprintf(stderr, "    case \"%s\": expected %s%s%s, got %s: \"%s\"\n", c->name,
              c->error ? "config \"" : "success", c->error ? c->error : "", c->error ? "\"" : "",
              qcc_radar_status_name(s), qcc_radar_error_message(err));
    }
    qcc_radar_error_free(err);
  }
}

/* Options for a client that sends nothing: keys and a base URL at a closed port. */
static struct qcc_radar_client_options offline_options(void) {
  struct qcc_radar_client_options o = {0};
  o.app_key = "settings-app-key";
  o.secret_key = "settings-secret-key";
  o.base_url = "http://127.0.0.1:9";
  return o;
}

static void zero_fields_are_unset_and_zero_pairs_are_zero(void) {
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_error *err = NULL;
  struct qcc_radar_client_options o = offline_options();
  /* Every number zero: the defaults, as in every earlier version. */
  o.connect_timeout_ms = 0;
  o.max_attempts = 0;
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err);
  qcc_radar_client_free(client);
  client = NULL;

  /* The same settings as pairs say zero, which the table refuses, naming the setting. */
  CHECK_STATUS(qcc_radar_client_options_set(&o, "max_attempts", "0", &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK_STR(qcc_radar_error_message(err), "max_attempts must be at least 1 (1 means no retries)");
  qcc_radar_error_free(err);
  CHECK(o.settings == NULL); /* a refused pair is not stored */
  CHECK_STATUS(qcc_radar_client_options_set(&o, "connect_timeout", "0s", &err),
               QCC_RADAR_STATUS_OK, err);
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK_STR(qcc_radar_error_message(err), "connect_timeout must be more than 0");
  CHECK(client == NULL);
  qcc_radar_error_free(err);
  qcc_radar_client_options_clear(&o);
  CHECK(o.settings == NULL);
  qcc_radar_client_options_clear(&o); /* twice: harmless */
  qcc_radar_client_options_clear(NULL);
}

static void fields_go_through_the_same_checks_as_pairs(void) {
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_error *err = NULL;
  struct qcc_radar_client_options o = offline_options();
  /* poll_interval_ms is poll_initial = poll_max = 50 ms by name, so a pair's poll_max below it
   * breaks the rule between them, in the table's words. */
  o.poll_interval_ms = 50;
  CHECK_STATUS(qcc_radar_client_options_set(&o, "poll_max", "10ms", &err), QCC_RADAR_STATUS_OK,
               err);
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK_STR(qcc_radar_error_message(err), "poll_max must not be smaller than poll_initial");
  qcc_radar_error_free(err);
  qcc_radar_client_options_clear(&o);

  /* A later pair wins over a field and over an earlier pair. */
  o.max_attempts = 3;
  CHECK_STATUS(qcc_radar_client_options_set(&o, "retry_cap", "1s", &err), QCC_RADAR_STATUS_OK,
               err);
  CHECK_STATUS(qcc_radar_client_options_set(&o, "retry_base", "2s", &err), QCC_RADAR_STATUS_OK,
               err);
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK_STR(qcc_radar_error_message(err), "retry_cap must not be smaller than retry_base");
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_client_options_set(&o, "retry_base", "500ms", &err),
               QCC_RADAR_STATUS_OK, err);
  CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err);
  qcc_radar_client_free(client);
  client = NULL;
  /* One options struct makes several clients; the pairs are copied. */
  CHECK_STATUS(qcc_radar_client_options_set(&o, "user_agent_suffix", "nightly job", &err),
               QCC_RADAR_STATUS_OK, err);
  for (int i = 0; i < 2; i++) {
    CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err);
    qcc_radar_client_free(client);
    client = NULL;
  }
  qcc_radar_client_options_clear(&o);

  /* Every setting of the table is reachable by name, in every unit its text may take. */
  static const struct settings_pair every[] = {
      {"app_key", "k"},           {"secret_key", "s"},
      {"base_url", "http://127.0.0.1:9"},
      {"connect_timeout", "2.5"}, {"request_timeout", "1500ms"},
      {"read_timeout", "2m"},     {"wait_timeout", "1h"},
      {"max_attempts", "2"},      {"retry_base", "100ms"},
      {"retry_cap", "2s"},        {"retry_budget", "30s"},
      {"poll_initial", "1s"},     {"poll_factor", "2"},
      {"poll_max", "10s"},        {"poll_jitter", "0.5"},
      {"max_archive_entries", "10"}, {"max_archive_entry_bytes", "1MiB"},
      {"max_archive_bytes", "10MB"}, {"max_archive_ratio", "100"},
      {"clock_skew_correction", "off"}, {"proxy", "http://127.0.0.1:3128"},
      {"user_agent_suffix", "x"}, {"unzip_password", "pw"},
  };
  struct qcc_radar_client_options bare = {0};
  CHECK_STATUS(set_client_pairs(&bare, every, sizeof every / sizeof every[0], &err),
               QCC_RADAR_STATUS_OK, err);
  CHECK_STATUS(qcc_radar_client_new(&bare, &client, &err), QCC_RADAR_STATUS_OK, err);
  qcc_radar_client_free(client);
  qcc_radar_client_options_clear(&bare);
}

static void unknown_names_list_the_settings(void) {
  struct qcc_radar_error *err = NULL;
  struct qcc_radar_client_options o = {0};
  struct qcc_radar_fetch_options f = {0};
  CHECK_STATUS(qcc_radar_client_options_set(&o, "colour", "blue", &err), QCC_RADAR_STATUS_CONFIG,
               err);
  const char *m = qcc_radar_error_message(err);
  CHECK(starts_with(m, "unknown setting \"colour\"; the settings are: app_key, secret_key,"));
  CHECK(strstr(m, "unzip_password") != NULL);
  CHECK(strstr(m, "order_no") == NULL); /* a fetch option, not a client setting */
  qcc_radar_error_free(err);
  /* A fetch option is not a client setting, nor the other way round. */
  CHECK_STATUS(qcc_radar_client_options_set(&o, "timeout", "5s", &err), QCC_RADAR_STATUS_CONFIG,
               err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_options_set(&f, "max_attempts", "1", &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK_STR(qcc_radar_error_message(err),
            "unknown setting \"max_attempts\"; the settings are: timeout, new_order, order_no");
  qcc_radar_error_free(err);
  /* A value of the wrong kind names the setting. */
  CHECK_STATUS(qcc_radar_client_options_set(&o, "max_attempts", "five", &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK_STR(qcc_radar_error_message(err), "max_attempts must be a whole number");
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_client_options_set(&o, "read_timeout", "3 fortnights", &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK_STR(qcc_radar_error_message(err), "read_timeout must be a finite duration of 0 or more");
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_options_set(&f, "new_order", "maybe", &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK_STR(qcc_radar_error_message(err), "new_order must be true or false");
  qcc_radar_error_free(err);
  CHECK(o.settings == NULL && f.settings == NULL);
}

static void set_checks_its_arguments(void) {
  struct qcc_radar_error *err = NULL;
  struct qcc_radar_client_options o = {0};
  struct qcc_radar_fetch_options f = {0};
  CHECK_STATUS(qcc_radar_client_options_set(NULL, "max_attempts", "1", &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_client_options_set(&o, NULL, "1", &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "name") != NULL);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_client_options_set(&o, "max_attempts", NULL, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(strstr(qcc_radar_error_message(err), "value") != NULL);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_client_options_set(&o, "app_key", NOT_UTF8, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_options_set(NULL, "timeout", "1s", &err), QCC_RADAR_STATUS_CONFIG,
               err);
  qcc_radar_error_free(err);
  CHECK_STATUS(qcc_radar_fetch_options_set(&f, NOT_UTF8, "1s", &err), QCC_RADAR_STATUS_CONFIG,
               err);
  qcc_radar_error_free(err);
  CHECK(qcc_radar_client_options_set(&o, "max_attempts", "0", NULL) == QCC_RADAR_STATUS_CONFIG);
  CHECK(o.settings == NULL && f.settings == NULL);
  qcc_radar_fetch_options_clear(&f);
  qcc_radar_fetch_options_clear(NULL);
}

static void fetch_fields_and_pairs_meet_the_same_rules(void) {
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;
  struct qcc_radar_client_options o = offline_options();
  struct qcc_radar_fetch_options f = {0};
  char *dir = temp_dir_new();
  REQUIRE(dir != NULL);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));

  /* The field new_order with a pair's order_no: the rule between them, nothing sent. */
  f.new_order = 1;
  CHECK_STATUS(qcc_radar_fetch_options_set(&f, "order_no", "JKDAY-42", &err), QCC_RADAR_STATUS_OK,
               err);
  CHECK_STATUS(qcc_radar_fetch_report_with(client, "day", dir, &f, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK_STR(qcc_radar_error_message(err),
            "new_order and order_no exclude each other: give an order to resume, or ask for a new "
            "one");
  qcc_radar_error_free(err);
  qcc_radar_fetch_options_clear(&f);

  /* A bad order number in the field: the same message as the pair's. */
  f.new_order = 0;
  f.order_no = "../etc";
  CHECK_STATUS(qcc_radar_fetch_report_with(client, "day", dir, &f, &report, &err),
               QCC_RADAR_STATUS_CONFIG, err);
  CHECK(starts_with(qcc_radar_error_message(err), "invalid order number \"../etc\""));
  qcc_radar_error_free(err);
  f.order_no = NULL;

  /* A time the field cannot say. */
  CHECK_STATUS(qcc_radar_fetch_options_set(&f, "timeout", "-1s", &err), QCC_RADAR_STATUS_CONFIG,
               err);
  CHECK_STR(qcc_radar_error_message(err), "timeout must be a finite duration of 0 or more");
  qcc_radar_error_free(err);
  CHECK(f.settings == NULL);
  CHECK(report == NULL);
  CHECK_INT(report_entry_count(dir), 0);
out:
  qcc_radar_fetch_options_clear(&f);
  qcc_radar_client_free(client);
  temp_dir_remove(dir);
}

/* A wait_timeout of zero, which only a pair can say, looks once instead of waiting for the
 * default 30 minutes. */
static void a_zero_wait_timeout_looks_once(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report_info *info = NULL;
  struct qcc_radar_error *err = NULL;
  char *order = NULL;
  struct qcc_radar_client_options o = {0};
  static const char *const slow[] = {"--slow-ready-after", "3600", NULL};
  REQUIRE(sandbox_start_args(&sb, "slow", slow) == 0);
  o = sandbox_options(&sb);
  o.wait_timeout_ms = 0;
  REQUIRE(CHECK_STATUS(qcc_radar_client_options_set(&o, "wait_timeout", "0", &err),
                       QCC_RADAR_STATUS_OK, err));
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));
  REQUIRE(CHECK_STATUS(qcc_radar_create_report(client, "day", &order, &err), QCC_RADAR_STATUS_OK,
                       err));
  REQUIRE(order != NULL);
  CHECK_STATUS(qcc_radar_wait_for_report(client, order, 0, &info, &err), QCC_RADAR_STATUS_TIMEOUT,
               err);
  CHECK_STR(qcc_radar_error_order_no(err), order);
  CHECK(info == NULL);
out:
  qcc_radar_error_free(err);
  qcc_radar_string_free(order);
  qcc_radar_client_free(client);
  qcc_radar_client_options_clear(&o);
  sandbox_stop(&sb);
}

int main(int argc, char **argv) {
  static const struct harness_test tests[] = {
      {"every_case_of_the_shared_vector", every_case_of_the_shared_vector},
      {"zero_fields_are_unset_and_zero_pairs_are_zero",
       zero_fields_are_unset_and_zero_pairs_are_zero},
      {"fields_go_through_the_same_checks_as_pairs", fields_go_through_the_same_checks_as_pairs},
      {"unknown_names_list_the_settings", unknown_names_list_the_settings},
      {"set_checks_its_arguments", set_checks_its_arguments},
      {"fetch_fields_and_pairs_meet_the_same_rules", fetch_fields_and_pairs_meet_the_same_rules},
      {"a_zero_wait_timeout_looks_once", a_zero_wait_timeout_looks_once},
  };
  return harness_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
