/*
 * fetch: order today's QCC risk report, wait for it, download and extract it.
 *
 *   QCC_APP_KEY=... QCC_SECRET_KEY=... ./fetch [day|week|month] [OUT_DIR]
 *
 * Configuration comes from the environment (QCC_APP_KEY, QCC_SECRET_KEY and optionally
 * QCC_BASE_URL), so the secret never appears on a command line. Safe to re-run (from cron, say):
 * OUT_DIR keeps the order ledger, so a second run for the same period returns the same report
 * and places no second order. The exit status follows the `qcc-radar` command: 0 report or no
 * change, 2 configuration, 3 rejected by the API, 4 report failed, 5 timed out, 6 network,
 * 7 unsafe archive, 8 unconfirmed order, 9 local file system.
 */
#include <stdio.h>

#include <qcc_radar.h>

static int exit_code(enum qcc_radar_status status) {
  switch (status) {
    case QCC_RADAR_STATUS_OK: return 0;
    case QCC_RADAR_STATUS_CONFIG: return 2;
    case QCC_RADAR_STATUS_AUTH:
    case QCC_RADAR_STATUS_QUOTA:
    case QCC_RADAR_STATUS_PERMISSION:
    case QCC_RADAR_STATUS_INVALID_REQUEST: return 3;
    case QCC_RADAR_STATUS_REPORT_FAILED: return 4;
    case QCC_RADAR_STATUS_TIMEOUT: return 5;
    case QCC_RADAR_STATUS_TRANSPORT: return 6;
    case QCC_RADAR_STATUS_ARCHIVE: return 7;
    case QCC_RADAR_STATUS_UNCONFIRMED_ORDER: return 8;
    case QCC_RADAR_STATUS_IO: return 9;
    default: return 1;
  }
}

int main(int argc, char **argv) {
  const char *type = argc > 1 ? argv[1] : "day";
  const char *out_dir = argc > 2 ? argv[2] : "reports";
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_error *err = NULL;

  /* NULL options: everything from the environment. */
  enum qcc_radar_status status = qcc_radar_client_new(NULL, &client, &err);
  if (status == QCC_RADAR_STATUS_OK)
    status = qcc_radar_fetch_report(client, type, out_dir, 0 /* default wait */, &report, &err);

  if (status != QCC_RADAR_STATUS_OK) {
    fprintf(stderr, "fetch failed (%s, code %d): %s\n", qcc_radar_error_kind_name(err),
            qcc_radar_error_code(err), qcc_radar_error_message(err));
    /* The order concerned, when there is one (a timeout: running again resumes it). */
    if (qcc_radar_error_order_no(err) != NULL)
      fprintf(stderr, "order: %s\n", qcc_radar_error_order_no(err));
  } else if (report == NULL) {
    printf("no risk changes: no %s report\n", type);
  } else {
    printf("report %s (%s): %zu files in %s\n", report->order_no,
           report->report_type ? report->report_type : "?",
           report->file_count, report->folder);
    for (size_t i = 0; i < report->file_count; i++) printf("  %s\n", report->files[i]);
  }

  qcc_radar_report_free(report);
  qcc_radar_error_free(err);
  qcc_radar_client_free(client);
  printf("qcc_radar %s\n", qcc_radar_version());
  return exit_code(status);
}
