/*
 * Diagnostics on stderr: QCC_RADAR_LOG (else RUST_LOG) makes the library write its log lines to
 * stderr; unset, it writes nothing. The logger is global and chosen once per process, from the
 * environment, by the first qcc_radar_client_new(), so each case runs this program again as a
 * child (`test_diagnostics --child DIR`) with its own environment and its stderr in a file; the
 * child fetches a day report from a `qcc-radar sandbox` configured only through QCC_BASE_URL,
 * QCC_APP_KEY and QCC_SECRET_KEY, as a C program would be. The parent reads the file: log lines
 * from qcc_radar's targets at the asked level, and never the secret key.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

extern char **environ;

/* The child: one fetch, configured by the environment; 0 when a report landed. */
static int child_main(const char *out_dir) {
  struct qcc_radar_client_options o = {0};
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;
  o.poll_interval_ms = 20;
  int rc = 1;
  if (qcc_radar_client_new(&o, &client, &err) == QCC_RADAR_STATUS_OK &&
      qcc_radar_fetch_report(client, "day", out_dir, 20000, &report, &err) == QCC_RADAR_STATUS_OK &&
      report != NULL) {
    rc = 0;
  } else {
    /* Not on stderr: that is what the parent inspects. */
    printf("child: %s\n", err ? qcc_radar_error_message(err) : "no report");
  }
  qcc_radar_report_free(report);
  qcc_radar_error_free(err);
  qcc_radar_client_free(client);
  return rc;
}

/* Whether `name=` starts `entry`. */
static int is_var(const char *entry, const char *name) {
  size_t n = strlen(name);
  return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

/* Runs the child against `sb` with `extra` (NULL-terminated "NAME=value" strings) added to an
 * environment without QCC_RADAR_LOG, RUST_LOG or the credentials; its stderr goes to
 * DIR/stderr.txt and its report under DIR/reports. Returns the text of its stderr (malloc'd)
 * when the child fetched a report, else NULL (after saying why). */
static char *run_child(const struct sandbox *sb, const char *const *extra, const char *dir) {
  static const char *const dropped[] = {"QCC_RADAR_LOG", "RUST_LOG", "QCC_APP_KEY",
                                        "QCC_SECRET_KEY", "QCC_BASE_URL"};
  char self[PATH_MAX], stderr_path[PATH_MAX], out_dir[PATH_MAX];
  char base_url[300], app_key[160], secret_key[160];
  char *text = NULL;
  size_t count = 0, extras = 0;
  while (environ[count]) count++;
  while (extra[extras]) extras++;
  char **env = calloc(count + extras + 4, sizeof *env);
  if (!env) return NULL;
  size_t n = 0;
  for (size_t i = 0; i < count; i++) {
    int drop = 0;
    for (size_t d = 0; d < sizeof dropped / sizeof dropped[0]; d++) drop |= is_var(environ[i], dropped[d]);
    if (!drop) env[n++] = environ[i];
  }
  snprintf(base_url, sizeof base_url, "QCC_BASE_URL=%s", sb->base_url);
  snprintf(app_key, sizeof app_key, "QCC_APP_KEY=%s", sb->app_key);
  snprintf(secret_key, sizeof secret_key, "QCC_SECRET_KEY=%s", sb->secret_key);
  env[n++] = base_url;
  env[n++] = app_key;
  env[n++] = secret_key;
  for (size_t i = 0; i < extras; i++) env[n++] = (char *)extra[i];
  env[n] = NULL;

  /* readlink, not "/proc/self/exe" itself: under valgrind that would exec valgrind's tool. */
  ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
  snprintf(stderr_path, sizeof stderr_path, "%s/stderr.txt", dir);
  snprintf(out_dir, sizeof out_dir, "%s/reports", dir);
  if (len <= 0) {
    fprintf(stderr, "    readlink /proc/self/exe: %s\n", strerror(errno));
    free(env);
    return NULL;
  }
  self[len] = '\0';
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path,
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  char *args[] = {self, "--child", out_dir, NULL};
  pid_t pid;
  int rc = posix_spawn(&pid, self, &actions, NULL, args, env);
  posix_spawn_file_actions_destroy(&actions);
  free(env);
  if (rc != 0) {
    fprintf(stderr, "    cannot run %s: %s\n", self, strerror(rc));
    return NULL;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  FILE *f = fopen(stderr_path, "rb");
  if (f) {
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)size + 1);
    if (text) text[fread(text, 1, (size_t)size, f)] = '\0';
    fclose(f);
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "    the child failed (status %d); its stderr:\n%s\n", status, text ? text : "");
    free(text);
    return NULL;
  }
  return text;
}

/* How many lines of `text` contain `needle` (NULL: every non-empty line). */
static int lines_with(const char *text, const char *needle) {
  int found = 0;
  while (*text) {
    const char *end = strchr(text, '\n');
    size_t len = end ? (size_t)(end - text) : strlen(text);
    char *line = strndup(text, len);
    if (line && len > 0 && (!needle || strstr(line, needle))) found++;
    free(line);
    text += len + (end ? 1 : 0);
  }
  return found;
}

/* Every non-empty line starts with a timestamp (2026-…Z) and holds no escape character. */
static int all_lines_are_plain_log_lines(const char *text) {
  int ok = 1;
  for (const char *line = text; *line;) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    if (len > 0 && (line[0] < '0' || line[0] > '9' || memchr(line, '\x1b', len))) ok = 0;
    line += len + (end ? 1 : 0);
  }
  return ok;
}

static void debug_logs_on_stderr_without_the_secret(void) {
  struct sandbox sb = SANDBOX_NONE;
  char *dir = temp_dir_new(), *text = NULL;
  static const char *const extra[] = {"QCC_RADAR_LOG=debug", NULL};
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, "normal") == 0);
  REQUIRE((text = run_child(&sb, extra, dir)) != NULL);
  CHECK(strstr(text, sb.secret_key) == NULL);
  CHECK(lines_with(text, " DEBUG qcc_radar::stderr_log: diagnostics on stderr binding=\"c\"") == 1);
  CHECK(lines_with(text, " DEBUG qcc_radar::transport: sending endpoint=\"createReport\"") == 1);
  CHECK(lines_with(text, " DEBUG qcc_radar::transport: sending endpoint=\"getReportInfo\"") >= 1);
  CHECK(lines_with(text, "  INFO qcc_radar::client: report ordered order_no=JKDAY-") == 1);
  /* Nothing but qcc_radar's lines: other crates stay at warn. */
  CHECK(lines_with(text, " qcc_radar") == lines_with(text, NULL));
  CHECK(all_lines_are_plain_log_lines(text));
  if (lines_with(text, " qcc_radar") == 0) fprintf(stderr, "    child's stderr:\n%s\n", text);
out:
  free(text);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void unset_writes_nothing(void) {
  struct sandbox sb = SANDBOX_NONE;
  char *dir = temp_dir_new(), *text = NULL;
  static const char *const extra[] = {NULL};
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, "normal") == 0);
  REQUIRE((text = run_child(&sb, extra, dir)) != NULL);
  CHECK_STR(text, "");
out:
  free(text);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void off_wins_over_rust_log(void) {
  struct sandbox sb = SANDBOX_NONE;
  char *dir = temp_dir_new(), *text = NULL;
  static const char *const extra[] = {"QCC_RADAR_LOG=off", "RUST_LOG=trace", NULL};
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, "normal") == 0);
  REQUIRE((text = run_child(&sb, extra, dir)) != NULL);
  CHECK_STR(text, "");
out:
  free(text);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void rust_log_is_the_fallback(void) {
  struct sandbox sb = SANDBOX_NONE;
  char *dir = temp_dir_new(), *text = NULL;
  static const char *const extra[] = {"RUST_LOG=qcc_radar=info", NULL};
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, "normal") == 0);
  REQUIRE((text = run_child(&sb, extra, dir)) != NULL);
  CHECK(strstr(text, sb.secret_key) == NULL);
  CHECK(lines_with(text, "  INFO qcc_radar::client: report ordered") == 1);
  CHECK(lines_with(text, " DEBUG ") == 0);
out:
  free(text);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

static void an_invalid_value_is_one_warning_line(void) {
  struct sandbox sb = SANDBOX_NONE;
  char *dir = temp_dir_new(), *text = NULL;
  static const char *const extra[] = {"QCC_RADAR_LOG=qcc_radar=loud", NULL};
  REQUIRE(dir != NULL);
  REQUIRE(sandbox_start(&sb, "normal") == 0);
  REQUIRE((text = run_child(&sb, extra, dir)) != NULL);
  CHECK(starts_with(text, "qcc-radar (c): ignoring QCC_RADAR_LOG=\"qcc_radar=loud\": "));
  CHECK_INT(lines_with(text, NULL), 1);
out:
  free(text);
  sandbox_stop(&sb);
  temp_dir_remove(dir);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--child") == 0) return child_main(argv[2]);
  static const struct harness_test tests[] = {
      {"debug_logs_on_stderr_without_the_secret", debug_logs_on_stderr_without_the_secret},
      {"unset_writes_nothing", unset_writes_nothing},
      {"off_wins_over_rust_log", off_wins_over_rust_log},
      {"rust_log_is_the_fallback", rust_log_is_the_fallback},
      {"an_invalid_value_is_one_warning_line", an_invalid_value_is_one_warning_line},
  };
  return harness_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
