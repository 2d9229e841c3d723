/*
 * fault_case: one operation of the shared fault matrix (tests/fault-matrix.json) through the C
 * interface, its result printed as one JSON line. tests/fault_matrix.py runs it once per case
 * (once per step of a case with `steps`, against the same sandbox process and out folder) and
 * judges the line and what is left on disk.
 *
 * Why a program per case and a driver outside: the matrix needs a JSON reader, a sandbox per
 * case and its record of orders placed, which are simple in the driver, while the operation
 * itself must go through the C ABI exactly as a C caller uses it. One short process per step
 * also lets valgrind look at each operation alone (QCC_FAULT_MATRIX_VALGRIND=1), and a re-run
 * in a new process is what a cron job does: only the folder's ledger carries over.
 *
 *   fault_case --base-url URL --app-key KEY --secret-key-file PATH --poll-ms N
 *              --wait-timeout-ms N --type TEXT [--order TEXT | --order-created]
 *              [--out DIR] [--timeout-ms N] [--new-order] OPERATION
 *
 * OPERATION is fetch, create, status, wait or download. The report type and order number are
 * passed to the library as the text given, so its own parsing refuses "year" or "../JKDAY-1".
 * --order-created first places an order of --type with qcc_radar_create_report() on the same
 * client and works on it. fetch calls qcc_radar_fetch_report(), or with --new-order
 * qcc_radar_fetch_report_with() with `new_order` set, so both entry points meet the matrix.
 * The secret comes from a file (never argv: /proc/PID/cmdline is world-readable). The exit
 * status is 0 whenever the line was printed, whatever the operation gave; 2 for a usage error.
 *
 * The line: {"operation", "status" (qcc_radar_status_name of the return value), "outcome"
 * ("ok", "no_change", "error"), "kind", "code" (null when 0), "message", "server_message",
 * "error_order_no" (qcc_radar_error_order_no() of the error, or null), "created" (the $created
 * order), "order_no", "report_status", "url" (whether a link was given; the signed link itself
 * is never printed), "expires_at", "report" ({"order_no", "report_type", "archive", "folder",
 * "files"}) or null, "problems" (breaches of the C interface's own rules: status and error
 * disagreeing, out-pointers not reset, the secret in a returned string)}. Everything the
 * library returned is freed before exit, so valgrind sees no leak of ours.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qcc_radar.h"

/* A growable list of problems, printed as a JSON array of strings. */
#define MAX_PROBLEMS 32
static char *problems[MAX_PROBLEMS];
static int problem_count;

static void problem(const char *fmt, const char *detail) {
  if (problem_count >= MAX_PROBLEMS) return;
  char *text = NULL;
  if (asprintf(&text, fmt, detail ? detail : "") < 0) return;
  problems[problem_count++] = text;
}

/* Writes `s` as a JSON string (or null). UTF-8 passes through; control bytes are escaped. */
static void json_str(const char *s) {
  if (!s) {
    fputs("null", stdout);
    return;
  }
  putchar('"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
      case '"': fputs("\\\"", stdout); break;
      case '\\': fputs("\\\\", stdout); break;
      case '\n': fputs("\\n", stdout); break;
      case '\r': fputs("\\r", stdout); break;
      case '\t': fputs("\\t", stdout); break;
      default:
        if (*p < 0x20)
          printf("\\u%04x", *p);
        else
          putchar(*p);
    }
  }
  putchar('"');
}

static void json_key(const char *key) {
  json_str(key);
  putchar(':');
}

/* The secret key from `path`: its contents without one trailing newline (malloc'd). */
static char *read_secret(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = malloc(4096);
  size_t n = buf ? fread(buf, 1, 4095, f) : 0;
  fclose(f);
  if (!buf) return NULL;
  buf[n] = '\0';
  if (n > 0 && buf[n - 1] == '\n') buf[--n] = '\0';
  if (n > 0 && buf[n - 1] == '\r') buf[--n] = '\0';
  return buf;
}

/* Records a problem when the returned string `s` (named `what`) holds the secret. */
static const char *secret;
static void no_secret_in(const char *what, const char *s) {
  if (s && secret && *secret && strstr(s, secret)) problem("the secret is in %s", what);
}

/* Checks the rules every fallible call follows: the error is present exactly on failure, with
 * the status's kind and name and a message. */
static void check_status_and_error(const char *call, enum qcc_radar_status status,
                                   const struct qcc_radar_error *err) {
  if (status == QCC_RADAR_STATUS_OK) {
    if (err) problem("%s returned ok but set an error", call);
    return;
  }
  if (!err) {
    problem("%s failed without an error", call);
    return;
  }
  if ((int)qcc_radar_error_kind(err) != (int)status)
    problem("%s: the error's kind differs from the returned status", call);
  if (strcmp(qcc_radar_error_kind_name(err), qcc_radar_status_name((int)status)) != 0)
    problem("%s: the error's kind name differs from the status's name", call);
  if (qcc_radar_error_message(err)[0] == '\0') problem("%s: the error has no message", call);
  no_secret_in("the error message", qcc_radar_error_message(err));
  no_secret_in("the server message", qcc_radar_error_server_message(err));
  const char *order_no = qcc_radar_error_order_no(err);
  if (order_no && order_no[0] == '\0') problem("%s: the error's order number is empty", call);
  no_secret_in("the error's order number", order_no);
}

static int usage(const char *why) {
  fprintf(stderr, "fault_case: %s\n(see the comment at the top of bindings/c/tests/fault_case.c)\n",
          why);
  return 2;
}

int main(int argc, char **argv) {
  const char *base_url = NULL, *app_key = NULL, *secret_file = NULL, *type = NULL;
  const char *order_arg = NULL, *out_dir = NULL, *operation = NULL;
  int order_created = 0, new_order = 0;
  unsigned long long poll_ms = 0, wait_timeout_ms = 0, timeout_ms = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--order-created") == 0) {
      order_created = 1;
      continue;
    }
    if (strcmp(a, "--new-order") == 0) {
      new_order = 1;
      continue;
    }
    if (a[0] != '-') {
      if (operation) return usage("more than one operation");
      operation = a;
      continue;
    }
    if (!v) return usage("an option without its value");
    i++;
    if (strcmp(a, "--base-url") == 0) base_url = v;
    else if (strcmp(a, "--app-key") == 0) app_key = v;
    else if (strcmp(a, "--secret-key-file") == 0) secret_file = v;
    else if (strcmp(a, "--type") == 0) type = v;
    else if (strcmp(a, "--order") == 0) order_arg = v;
    else if (strcmp(a, "--out") == 0) out_dir = v;
    else if (strcmp(a, "--poll-ms") == 0) poll_ms = strtoull(v, NULL, 10);
    else if (strcmp(a, "--wait-timeout-ms") == 0) wait_timeout_ms = strtoull(v, NULL, 10);
    else if (strcmp(a, "--timeout-ms") == 0) timeout_ms = strtoull(v, NULL, 10);
    else return usage("an unknown option");
  }
  if (!operation || !base_url || !app_key || !secret_file || !type)
    return usage("--base-url, --app-key, --secret-key-file, --type and an operation are needed");
  int is_fetch = strcmp(operation, "fetch") == 0, is_create = strcmp(operation, "create") == 0;
  int is_status = strcmp(operation, "status") == 0, is_wait = strcmp(operation, "wait") == 0;
  int is_download = strcmp(operation, "download") == 0;
  if (!(is_fetch || is_create || is_status || is_wait || is_download))
    return usage("an unknown operation");
  if ((is_status || is_wait || is_download) && !order_arg && !order_created)
    return usage("status, wait and download need --order or --order-created");
  if ((is_fetch || is_download) && !out_dir) return usage("fetch and download need --out");
  if (new_order && !is_fetch) return usage("--new-order is for fetch only");
  char *secret_key = read_secret(secret_file);
  if (!secret_key) return usage("the secret key file is unreadable");
  secret = secret_key;
  if (timeout_ms == 0) timeout_ms = wait_timeout_ms;

  struct qcc_radar_client *client = NULL;
  struct qcc_radar_error *err = NULL;
  char *created = NULL, *order_no_out = NULL;
  struct qcc_radar_report_info *info = NULL;
  struct qcc_radar_report *report = NULL;
  const char *outcome = "error";
  const char *failed_call = NULL;
  /* A non-NULL sentinel every out-pointer must be reset from. */
  void *const sentinel = (void *)&problem_count;

  struct qcc_radar_client_options options = {0};
  options.app_key = app_key;
  options.secret_key = secret_key;
  options.base_url = base_url;
  options.poll_interval_ms = poll_ms;
  options.wait_timeout_ms = wait_timeout_ms;
  enum qcc_radar_status status = qcc_radar_client_new(&options, &client, &err);
  check_status_and_error("qcc_radar_client_new", status, err);
  if (status != QCC_RADAR_STATUS_OK) {
    failed_call = "qcc_radar_client_new";
    goto print;
  }

  if (order_created) {
    created = (char *)sentinel;
    status = qcc_radar_create_report(client, type, &created, &err);
    check_status_and_error("qcc_radar_create_report ($created)", status, err);
    if (created == sentinel) {
      problem("%s did not set its out-pointer", "qcc_radar_create_report ($created)");
      created = NULL;
    }
    if (status != QCC_RADAR_STATUS_OK || created == NULL) {
      /* A precondition, not the case's outcome: the driver reports it as such. */
      failed_call = "qcc_radar_create_report ($created)";
      goto print;
    }
    order_arg = created;
  }

  if (is_fetch) {
    report = (struct qcc_radar_report *)sentinel;
    if (new_order) {
      struct qcc_radar_fetch_options fetch_options = {0};
      fetch_options.timeout_ms = timeout_ms;
      fetch_options.new_order = 1;
      status = qcc_radar_fetch_report_with(client, type, out_dir, &fetch_options, &report, &err);
      check_status_and_error("qcc_radar_fetch_report_with", status, err);
    } else {
      status = qcc_radar_fetch_report(client, type, out_dir, timeout_ms, &report, &err);
      check_status_and_error("qcc_radar_fetch_report", status, err);
    }
  } else if (is_create) {
    order_no_out = (char *)sentinel;
    status = qcc_radar_create_report(client, type, &order_no_out, &err);
    check_status_and_error("qcc_radar_create_report", status, err);
  } else if (is_status) {
    info = (struct qcc_radar_report_info *)sentinel;
    status = qcc_radar_report_info(client, order_arg, &info, &err);
    check_status_and_error("qcc_radar_report_info", status, err);
  } else if (is_wait) {
    info = (struct qcc_radar_report_info *)sentinel;
    status = qcc_radar_wait_for_report(client, order_arg, timeout_ms, &info, &err);
    check_status_and_error("qcc_radar_wait_for_report", status, err);
  } else {
    report = (struct qcc_radar_report *)sentinel;
    status = qcc_radar_download_report(client, order_arg, out_dir, &report, &err);
    check_status_and_error("qcc_radar_download_report", status, err);
  }
  if ((void *)report == sentinel || (void *)info == sentinel || (void *)order_no_out == sentinel) {
    problem("the %s call did not set its out-pointer", operation);
    report = NULL;
    info = NULL;
    order_no_out = NULL;
  }
  if (status != QCC_RADAR_STATUS_OK) {
    outcome = "error";
    if (report || info || order_no_out)
      problem("the failed %s call left its out-pointer set", operation);
  } else if ((is_fetch && report == NULL) || (is_create && order_no_out == NULL)) {
    outcome = "no_change";
  } else if ((is_status || is_wait) && info == NULL) {
    problem("%s succeeded without a report info", operation);
    outcome = "error";
  } else if (is_download && report == NULL) {
    problem("%s succeeded without a report", operation);
    outcome = "error";
  } else {
    outcome = "ok";
  }

print:
  if (report) {
    no_secret_in("the report's order_no", report->order_no);
    no_secret_in("the report's archive", report->archive);
    no_secret_in("the report's folder", report->folder);
    for (size_t i = 0; report->files && i < report->file_count; i++)
      no_secret_in("a report's file path", report->files[i]);
  }
  if (info) no_secret_in("the report info's url", info->url);
  no_secret_in("the order number", order_no_out);

  printf("{");
  json_key("operation");
  json_str(operation);
  putchar(',');
  json_key("status");
  json_str(qcc_radar_status_name((int)status));
  putchar(',');
  json_key("failed_call");
  json_str(failed_call);
  putchar(',');
  json_key("outcome");
  json_str(failed_call ? "precondition" : outcome);
  putchar(',');
  json_key("kind");
  json_str(err ? qcc_radar_error_kind_name(err) : NULL);
  putchar(',');
  json_key("code");
  if (qcc_radar_error_code(err) != 0)
    printf("%d", (int)qcc_radar_error_code(err));
  else
    fputs("null", stdout);
  putchar(',');
  json_key("message");
  json_str(err ? qcc_radar_error_message(err) : NULL);
  putchar(',');
  json_key("server_message");
  json_str(qcc_radar_error_server_message(err));
  putchar(',');
  json_key("error_order_no");
  json_str(qcc_radar_error_order_no(err));
  putchar(',');
  json_key("created");
  json_str(created);
  putchar(',');
  json_key("order_no");
  json_str(report ? report->order_no : order_no_out ? order_no_out : info ? order_arg : NULL);
  putchar(',');
  json_key("report_status");
  if (info) {
    char letter[2] = {info->status, '\0'};
    json_str(letter);
  } else {
    fputs("null", stdout);
  }
  putchar(',');
  json_key("url");
  fputs(info && info->url ? "true" : "false", stdout);
  putchar(',');
  json_key("expires_at");
  printf("%llu", info ? (unsigned long long)info->expires_at : 0ULL);
  putchar(',');
  json_key("report");
  if (report) {
    putchar('{');
    json_key("order_no");
    json_str(report->order_no);
    putchar(',');
    json_key("report_type");
    json_str(report->report_type);
    putchar(',');
    json_key("archive");
    json_str(report->archive);
    putchar(',');
    json_key("folder");
    json_str(report->folder);
    putchar(',');
    json_key("files");
    putchar('[');
    for (size_t i = 0; report->files && i < report->file_count; i++) {
      if (i) putchar(',');
      json_str(report->files[i]);
    }
    putchar(']');
    if (report->file_count > 0 && report->files == NULL)
      problem("the report has file_count > 0 but files is NULL%s", "");
    putchar('}');
  } else {
    fputs("null", stdout);
  }
  putchar(',');
  json_key("problems");
  putchar('[');
  for (int i = 0; i < problem_count; i++) {
    if (i) putchar(',');
    json_str(problems[i]);
    free(problems[i]);
  }
  puts("]}");
  fflush(stdout);

  qcc_radar_report_free(report);
  qcc_radar_report_info_free(info);
  qcc_radar_string_free(order_no_out);
  qcc_radar_string_free(created);
  qcc_radar_error_free(err);
  qcc_radar_client_free(client);
  free(secret_key);
  return 0;
}
