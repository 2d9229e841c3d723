/*
 * A tiny test harness for the qcc_radar C tests: checks that record failures and carry on,
 * a runner that counts them, temporary folders, and a sandbox started as a child process.
 *
 * Why a child process: the tests exercise the C library exactly as a C program would, against
 * the same emulator every binding uses (`qcc-radar sandbox --scenario NAME`), with nothing
 * mocked. The child is a separate program, so valgrind and AddressSanitizer look only at the
 * test and the library.
 */
#ifndef QCC_RADAR_TEST_HARNESS_H
#define QCC_RADAR_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "qcc_radar.h"

/* Records a failure of `cond` and carries on. */
#define CHECK(cond) harness_check((cond), #cond, __FILE__, __LINE__)
/* Records a failure of `cond` and jumps to the test's `out:` label (its cleanup). */
#define REQUIRE(cond)                                                                          \
  do {                                                                                         \
    if (!harness_check((cond), #cond, __FILE__, __LINE__)) goto out;                           \
  } while (0)
/* Checks an int-like value; prints both sides on failure. */
#define CHECK_INT(actual, expected)                                                            \
  harness_check_int((long long)(actual), (long long)(expected), #actual, __FILE__, __LINE__)
/* Checks two NUL-terminated strings (NULL compares equal only to NULL). */
#define CHECK_STR(actual, expected)                                                            \
  harness_check_str((actual), (expected), #actual, __FILE__, __LINE__)
/* Checks that a call returned `expected`, and that `err` (a `struct qcc_radar_error *` the call
 * sets) agrees. The comma operator makes the call happen before `err` is read. Main thread
 * only. */
#define CHECK_STATUS(status_expr, expected, err)                                               \
  (harness_status = (int)(status_expr),                                                        \
   harness_check_status(harness_status, (int)(expected), (err), #status_expr, __FILE__,        \
                        __LINE__))

extern int harness_status;

int harness_check(int ok, const char *what, const char *file, int line);
int harness_check_int(long long actual, long long expected, const char *what, const char *file,
                      int line);
int harness_check_str(const char *actual, const char *expected, const char *what,
                      const char *file, int line);
int harness_check_status(int actual, int expected, const struct qcc_radar_error *err, const char *what,
                         const char *file, int line);

/* One test: a name and a function. */
struct harness_test {
  const char *name;
  void (*run)(void);
};

/* Runs `tests` (or only those named in argv), prints a TAP-like report, returns the exit code. */
int harness_main(int argc, char **argv, const struct harness_test *tests, size_t count);

/* A running sandbox: the child's pid, its pipes and what it printed on its first line. */
struct sandbox {
  pid_t pid;
  int stdin_fd;
  int stdout_fd;
  char base_url[256];
  char app_key[128];
  char secret_key[128];
};

/* A sandbox that is not running (safe to pass to sandbox_stop). */
#define SANDBOX_NONE {.pid = -1, .stdin_fd = -1, .stdout_fd = -1}

/* Starts `qcc-radar sandbox --scenario SCENARIO --until-stdin-closes` ($QCC_RADAR_BIN, else the
 * path built in), reads its first line. Returns 0 on success; on failure prints why and
 * returns -1. */
int sandbox_start(struct sandbox *sb, const char *scenario);
/* The same with more flags for the sandbox (a NULL-terminated list, e.g.
 * {"--slow-ready-after", "1.5", NULL}). */
int sandbox_start_args(struct sandbox *sb, const char *scenario, const char *const *extra);
/* What reached the sandbox so far: the orders it placed (billed) and the createReport requests
 * it received, from the record it prints for a line on its stdin. Returns 0, or -1 (printed)
 * when it gave no record. */
int sandbox_record(const struct sandbox *sb, long *orders_placed, long *create_requests);
/* The orders the sandbox placed so far, or -1 when it gave no record. */
long sandbox_orders(const struct sandbox *sb);
/* Stops the sandbox (SIGTERM, then waits). Safe on a sandbox that did not start. */
void sandbox_stop(struct sandbox *sb);
/* Options pointing at the sandbox, with a fast poll interval and a short wait. The strings
 * point into `sb`, which must outlive the options. */
struct qcc_radar_client_options sandbox_options(const struct sandbox *sb);

/* A new empty temporary folder; the returned path is malloc'd and released, folder and all,
 * by temp_dir_remove(). Returns NULL on failure. */
char *temp_dir_new(void);
/* Removes the folder recursively and frees the path. NULL is ignored. */
void temp_dir_remove(char *dir);
/* Whether `path` is a regular file with at least one byte. */
int is_nonempty_file(const char *path);
/* Whether `path` is a folder. */
int is_dir(const char *path);
/* How many entries `dir` holds (not counting . and ..), or -1. */
int dir_entry_count(const char *dir);
/* The same, not counting the folder's order ledger and lock (qcc-radar-journal.json and
 * .qcc-radar.lock), which the fetch and download functions keep in it: what a report left. */
int report_entry_count(const char *dir);
/* The ledger's path in `dir` (malloc'd; the caller frees it). */
char *ledger_path(const char *dir);
/* Whether `s` starts with `prefix`. */
int starts_with(const char *s, const char *prefix);
/* A TCP port on 127.0.0.1 with nothing listening (bound, then closed). */
int closed_port(void);

#endif
