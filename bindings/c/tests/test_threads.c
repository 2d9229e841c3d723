/*
 * One client shared by several threads, as the header promises: concurrent whole flows on the
 * same handle must each get their own order and their own files, and errors on one thread
 * must not leak into another.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define THREADS 4

struct job {
  const struct qcc_radar_client *client;
  char *dir;
  int index;
  enum qcc_radar_status status;
  enum qcc_radar_status bad_status;
  struct qcc_radar_report *report;
};

static void *run_job(void *arg) {
  struct job *job = arg;
  /* An error on this thread (a bad report type), between the real calls. */
  struct qcc_radar_error *err = NULL;
  struct qcc_radar_report *none = NULL;
  job->bad_status =
      qcc_radar_fetch_report(job->client, job->index % 2 ? "year" : NULL, job->dir, 0, &none, &err);
  if (none != NULL || qcc_radar_error_kind(err) != QCC_RADAR_ERROR_KIND_CONFIG)
    job->bad_status = QCC_RADAR_STATUS_INTERNAL;
  qcc_radar_error_free(err);
  err = NULL;
  job->status = qcc_radar_fetch_report(job->client, "day", job->dir, 20000, &job->report, &err);
  if (err) fprintf(stderr, "    thread %d: %s\n", job->index, qcc_radar_error_message(err));
  qcc_radar_error_free(err);
  return NULL;
}

static void threads_share_one_client(void) {
  struct sandbox sb = SANDBOX_NONE;
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_error *err = NULL;
  struct job jobs[THREADS];
  pthread_t threads[THREADS];
  int started = 0;
  memset(jobs, 0, sizeof jobs);
  REQUIRE(sandbox_start(&sb, "normal") == 0);
  struct qcc_radar_client_options o = sandbox_options(&sb);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &client, &err), QCC_RADAR_STATUS_OK, err));

  for (int i = 0; i < THREADS; i++) {
    jobs[i].client = client;
    jobs[i].index = i;
    jobs[i].dir = temp_dir_new();
    REQUIRE(jobs[i].dir != NULL);
  }
  for (; started < THREADS; started++) {
    REQUIRE(pthread_create(&threads[started], NULL, run_job, &jobs[started]) == 0);
  }
out:
  for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
  if (started == THREADS) {
    for (int i = 0; i < THREADS; i++) {
      CHECK_INT(jobs[i].bad_status, QCC_RADAR_STATUS_CONFIG);
      CHECK_INT(jobs[i].status, QCC_RADAR_STATUS_OK);
      if (!jobs[i].report) continue;
      CHECK_INT(jobs[i].report->file_count, 4);
      CHECK(starts_with(jobs[i].report->archive, jobs[i].dir));
      CHECK(is_nonempty_file(jobs[i].report->archive));
      for (size_t f = 0; f < jobs[i].report->file_count; f++)
        CHECK(is_nonempty_file(jobs[i].report->files[f]));
      for (int j = 0; j < i; j++) /* every thread placed its own order */
        if (jobs[j].report) CHECK(strcmp(jobs[i].report->order_no, jobs[j].report->order_no) != 0);
    }
  }
  for (int i = 0; i < THREADS; i++) {
    qcc_radar_report_free(jobs[i].report);
    temp_dir_remove(jobs[i].dir);
  }
  qcc_radar_error_free(err);
  qcc_radar_client_free(client);
  sandbox_stop(&sb);
}

int main(int argc, char **argv) {
  static const struct harness_test tests[] = {
      {"threads_share_one_client", threads_share_one_client},
  };
  return harness_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
