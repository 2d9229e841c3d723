/*
 * The test harness (see harness.h). Plain POSIX: posix_spawn for the sandbox, because a test
 * process that already runs the library's worker threads must not fork() and then do anything
 * but exec; nftw for removing temporary folders.
 */
#define _GNU_SOURCE
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#ifndef QCC_RADAR_DEFAULT_BIN
#define QCC_RADAR_DEFAULT_BIN "target/debug/qcc-radar"
#endif

static int failures_in_test;
int harness_status;

int harness_check(int ok, const char *what, const char *file, int line) {
  if (!ok) {
    failures_in_test++;
    fprintf(stderr, "    FAILED %s:%d: %s\n", file, line, what);
  }
  return ok;
}

int harness_check_int(long long actual, long long expected, const char *what, const char *file,
                      int line) {
  if (actual != expected) {
    failures_in_test++;
    fprintf(stderr, "    FAILED %s:%d: %s is %lld, expected %lld\n", file, line, what, actual,
            expected);
    return 0;
  }
  return 1;
}

int harness_check_str(const char *actual, const char *expected, const char *what,
                      const char *file, int line) {
  int same = (actual == NULL || expected == NULL) ? actual == expected
                                                   : strcmp(actual, expected) == 0;
  if (!same) {
    failures_in_test++;
    fprintf(stderr, "    FAILED %s:%d: %s is %s%s%s, expected %s%s%s\n", file, line, what,
            actual ? "\"" : "", actual ? actual : "NULL", actual ? "\"" : "",
            expected ? "\"" : "", expected ? expected : "NULL", expected ? "\"" : "");
  }
  return same;
}

int harness_check_status(int actual, int expected, const struct qcc_radar_error *err, const char *what,
                         const char *file, int line) {
  int ok = actual == expected;
  /* The error object must agree with the status: present exactly when the call failed, with
   * the status's kind and name. */
  if (ok && expected == QCC_RADAR_STATUS_OK && err != NULL) ok = 0;
  if (ok && expected != QCC_RADAR_STATUS_OK) {
    ok = err != NULL && (int)qcc_radar_error_kind(err) == expected &&
         strcmp(qcc_radar_error_kind_name(err), qcc_radar_status_name(expected)) == 0 &&
         qcc_radar_error_message(err)[0] != '\0';
  }
  if (!ok) {
    failures_in_test++;
    fprintf(stderr, "    FAILED %s:%d: %s returned %s, expected %s (error: %s: %s)\n", file,
            line, what, qcc_radar_status_name(actual), qcc_radar_status_name(expected),
            qcc_radar_error_kind_name(err), qcc_radar_error_message(err));
  }
  return ok;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int harness_main(int argc, char **argv, const struct harness_test *tests, size_t count) {
  int failed = 0, ran = 0;
  /* A sandbox that died would otherwise kill the test with SIGPIPE. */
  signal(SIGPIPE, SIG_IGN);
  for (size_t i = 0; i < count; i++) {
    if (argc > 1) {
      int wanted = 0;
      for (int a = 1; a < argc; a++) wanted |= strcmp(argv[a], tests[i].name) == 0;
      if (!wanted) continue;
    }
    failures_in_test = 0;
    double start = now_seconds();
    tests[i].run();
    ran++;
    if (failures_in_test) failed++;
    printf("%s %d - %s (%.1f s)\n", failures_in_test ? "not ok" : "ok", ran, tests[i].name,
           now_seconds() - start);
    fflush(stdout);
  }
  printf("# %s: %d tests, %d passed, %d failed\n", argv[0], ran, ran - failed, failed);
  if (ran == 0) {
    fprintf(stderr, "no test matched\n");
    return 1;
  }
  return failed ? 1 : 0;
}

/* Copies the JSON string value of `"key"` from `line` into `out`. */
static int json_string(const char *line, const char *key, char *out, size_t out_len) {
  char quoted[64];
  snprintf(quoted, sizeof quoted, "\"%s\"", key);
  const char *p = strstr(line, quoted);
  if (!p) return -1;
  p += strlen(quoted);
  while (*p == ' ' || *p == ':') p++;
  if (*p++ != '"') return -1;
  size_t n = 0;
  while (*p && *p != '"') {
    if (*p == '\\' || n + 1 >= out_len) return -1; /* the sandbox prints no escapes */
    out[n++] = *p++;
  }
  if (*p != '"') return -1;
  out[n] = '\0';
  return 0;
}

/* Reads one line from `fd` into `line` (without its newline), waiting at most `timeout_ms`
 * for each byte. Returns its length. */
static size_t read_line(int fd, char *line, size_t len, int timeout_ms) {
  size_t n = 0;
  while (n + 1 < len) {
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int ready = poll(&pfd, 1, timeout_ms);
    if (ready <= 0) break;
    ssize_t got = read(fd, line + n, 1);
    if (got <= 0) break;
    if (line[n] == '\n') break;
    n++;
  }
  line[n] = '\0';
  return n;
}

/* The number after `"key":` in `line`, or -1. */
static long json_number(const char *line, const char *key) {
  char quoted[64];
  snprintf(quoted, sizeof quoted, "\"%s\":", key);
  const char *p = strstr(line, quoted);
  if (!p) return -1;
  char *end = NULL;
  long value = strtol(p + strlen(quoted), &end, 10);
  return end == p + strlen(quoted) ? -1 : value;
}

int sandbox_start(struct sandbox *sb, const char *scenario) {
  return sandbox_start_args(sb, scenario, NULL);
}

int sandbox_start_args(struct sandbox *sb, const char *scenario, const char *const *extra) {
  memset(sb, 0, sizeof *sb);
  sb->pid = -1;
  sb->stdin_fd = -1;
  sb->stdout_fd = -1;
  const char *bin = getenv("QCC_RADAR_BIN");
  if (!bin || !*bin) bin = QCC_RADAR_DEFAULT_BIN;

  /* stdout for its lines; stdin so that it stops when this process goes away (the pipe
   * closes) and answers a line with its record so far. */
  int out_fds[2], in_fds[2];
  if (pipe2(out_fds, O_CLOEXEC) != 0) {
    perror("pipe2");
    return -1;
  }
  if (pipe2(in_fds, O_CLOEXEC) != 0) {
    perror("pipe2");
    close(out_fds[0]);
    close(out_fds[1]);
    return -1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, in_fds[0], STDIN_FILENO);
  if (!getenv("QCC_RADAR_TEST_VERBOSE"))
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  char *args[16] = {(char *)bin, "sandbox", "--scenario", (char *)scenario,
                    "--until-stdin-closes"};
  size_t argc = 5;
  for (size_t i = 0; extra && extra[i] && argc + 1 < sizeof args / sizeof args[0]; i++)
    args[argc++] = (char *)extra[i];
  args[argc] = NULL;
  int rc = posix_spawn(&sb->pid, bin, &actions, NULL, args, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_fds[1]);
  close(in_fds[0]);
  if (rc != 0) {
    fprintf(stderr, "    cannot start %s: %s (set QCC_RADAR_BIN to the qcc-radar binary)\n", bin,
            strerror(rc));
    close(out_fds[0]);
    close(in_fds[1]);
    sb->pid = -1;
    return -1;
  }
  sb->stdout_fd = out_fds[0];
  sb->stdin_fd = in_fds[1];

  /* Read the first line, waiting at most 60 s (a first run may be slow under valgrind). */
  char line[1024];
  read_line(sb->stdout_fd, line, sizeof line, 60000);
  if (json_string(line, "base_url", sb->base_url, sizeof sb->base_url) != 0 ||
      json_string(line, "app_key", sb->app_key, sizeof sb->app_key) != 0 ||
      json_string(line, "secret_key", sb->secret_key, sizeof sb->secret_key) != 0) {
    fprintf(stderr, "    %s sandbox --scenario %s printed no usable first line: \"%s\"\n", bin,
            scenario, line);
    sandbox_stop(sb);
    return -1;
  }
  return 0;
}

int sandbox_record(const struct sandbox *sb, long *orders_placed, long *create_requests) {
  static const char ask[] = "record\n";
  char line[1024];
  if (sb->stdin_fd < 0 || write(sb->stdin_fd, ask, sizeof ask - 1) != (ssize_t)(sizeof ask - 1)) {
    fprintf(stderr, "    cannot ask the sandbox for its record: %s\n", strerror(errno));
    return -1;
  }
  read_line(sb->stdout_fd, line, sizeof line, 30000);
  long orders = json_number(line, "orders_placed");
  long creates = json_number(line, "createReport");
  if (strstr(line, "\"stopped\":false") == NULL || orders < 0 || creates < 0) {
    fprintf(stderr, "    the sandbox gave no record: \"%s\"\n", line);
    return -1;
  }
  if (orders_placed) *orders_placed = orders;
  if (create_requests) *create_requests = creates;
  return 0;
}

long sandbox_orders(const struct sandbox *sb) {
  long orders = -1;
  return sandbox_record(sb, &orders, NULL) == 0 ? orders : -1;
}

void sandbox_stop(struct sandbox *sb) {
  if (sb->pid > 0) {
    kill(sb->pid, SIGTERM);
    int status;
    while (waitpid(sb->pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (sb->stdin_fd >= 0) close(sb->stdin_fd);
  if (sb->stdout_fd >= 0) close(sb->stdout_fd);
  sb->pid = -1;
  sb->stdin_fd = -1;
  sb->stdout_fd = -1;
}

struct qcc_radar_client_options sandbox_options(const struct sandbox *sb) {
  struct qcc_radar_client_options o = {0};
  o.app_key = sb->app_key;
  o.secret_key = sb->secret_key;
  o.base_url = sb->base_url;
  o.poll_interval_ms = 50;
  o.wait_timeout_ms = 30000;
  return o;
}

char *temp_dir_new(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  size_t len = strlen(base) + sizeof "/qcc-radar-c-test-XXXXXX";
  char *path = malloc(len);
  if (!path) return NULL;
  snprintf(path, len, "%s/qcc-radar-c-test-XXXXXX", base);
  if (!mkdtemp(path)) {
    perror("mkdtemp");
    free(path);
    return NULL;
  }
  return path;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

void temp_dir_remove(char *dir) {
  if (!dir) return;
  nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  free(dir);
}

int is_nonempty_file(const char *path) {
  struct stat st;
  return path && lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

int is_dir(const char *path) {
  struct stat st;
  return path && lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int dir_entry_count(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
  }
  closedir(d);
  return n;
}

int report_entry_count(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
        strcmp(e->d_name, "qcc-radar-journal.json") != 0 && strcmp(e->d_name, ".qcc-radar.lock") != 0)
      n++;
  }
  closedir(d);
  return n;
}

char *ledger_path(const char *dir) {
  char *path = NULL;
  if (asprintf(&path, "%s/qcc-radar-journal.json", dir) < 0) return NULL;
  return path;
}

int starts_with(const char *s, const char *prefix) {
  return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

int closed_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
      getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}
