/*
 * tables: fetch today's QCC risk report (or read a report folder) and print its contents as
 * tables: each table's name, columns with their Arrow formats and row count, and the files that
 * are not tables with the reason.
 *
 *   QCC_APP_KEY=... QCC_SECRET_KEY=... ./tables [OUT_DIR]     fetch (ledger-backed), then read
 *   ./tables --folder REPORT_FOLDER                           read a folder already extracted
 *
 * Each table comes out as an Arrow C stream (struct ArrowArrayStream): this program reads it
 * with plain C, as any Arrow consumer (nanoarrow, Arrow C++, DuckDB) would take it over.
 * Ownership: the struct qcc_radar_tables is freed with qcc_radar_tables_free(); each stream,
 * schema and batch is ended by its own release callback. Exit status as fetch.c's: 0 ok,
 * otherwise the kind's exit code (2 configuration, 9 local file system, …).
 */
#include <stdio.h>
#include <string.h>

#include <qcc_radar.h>

/* Prints one table from its stream, then releases everything the stream gave. */
static int print_table(const char *name, struct ArrowArrayStream *stream) {
  struct ArrowSchema schema;
  struct ArrowArray batch;
  int64_t rows = 0;
  int rc = stream->get_schema(stream, &schema);
  if (rc != 0) {
    const char *why = stream->get_last_error(stream);
    fprintf(stderr, "%s: get_schema failed: %s\n", name, why ? why : strerror(rc));
    return rc;
  }
  printf("%s\n  columns:", name);
  for (int64_t c = 0; c < schema.n_children; c++)
    printf("%s %s (%s)", c ? "," : "", schema.children[c]->name, schema.children[c]->format);
  printf("\n");
  /* Read batches until the stream gives a released array: the end. */
  while ((rc = stream->get_next(stream, &batch)) == 0 && batch.release != NULL) {
    rows += batch.length;
    batch.release(&batch);
  }
  if (rc != 0) {
    const char *why = stream->get_last_error(stream);
    fprintf(stderr, "%s: get_next failed: %s\n", name, why ? why : strerror(rc));
  } else {
    printf("  rows: %lld\n", (long long)rows);
  }
  schema.release(&schema);
  return rc;
}

int main(int argc, char **argv) {
  const char *folder_arg = NULL, *out_dir = "reports";
  if (argc > 2 && strcmp(argv[1], "--folder") == 0)
    folder_arg = argv[2];
  else if (argc > 1)
    out_dir = argv[1];
  struct qcc_radar_client *client = NULL;
  struct qcc_radar_report *report = NULL;
  struct qcc_radar_tables *tables = NULL;
  struct qcc_radar_error *err = NULL;
  enum qcc_radar_status status = QCC_RADAR_STATUS_OK;

  if (folder_arg != NULL) {
    status = qcc_radar_read_tables(folder_arg, &tables, &err);
  } else {
    status = qcc_radar_client_new(NULL, &client, &err);
    if (status == QCC_RADAR_STATUS_OK)
      status = qcc_radar_fetch_report(client, "day", out_dir, 0, &report, &err);
    if (status == QCC_RADAR_STATUS_OK && report == NULL) printf("no risk changes: no report\n");
    if (status == QCC_RADAR_STATUS_OK && report != NULL)
      status = qcc_radar_report_tables(report, &tables, &err);
  }

  int failed = 0;
  for (size_t i = 0; status == QCC_RADAR_STATUS_OK && i < qcc_radar_tables_count(tables); i++) {
    struct ArrowArrayStream stream; /* caller storage, filled by the call */
    status = qcc_radar_tables_stream(tables, i, &stream, &err);
    if (status != QCC_RADAR_STATUS_OK) break;
    failed |= print_table(qcc_radar_tables_name(tables, i), &stream) != 0;
    stream.release(&stream);
  }
  for (size_t i = 0; status == QCC_RADAR_STATUS_OK && i < qcc_radar_tables_skipped_count(tables);
       i++)
    printf("skipped %s: %s (%s)\n", qcc_radar_tables_skipped_name(tables, i),
           qcc_radar_tables_skipped_reason(tables, i), qcc_radar_tables_skipped_kind(tables, i));

  int code = failed ? 1 : 0;
  if (status != QCC_RADAR_STATUS_OK) {
    fprintf(stderr, "tables failed (%s): %s\n", qcc_radar_error_kind_name(err),
            qcc_radar_error_message(err));
    code = status == QCC_RADAR_STATUS_CONFIG ? 2 : status == QCC_RADAR_STATUS_IO ? 9 : 1;
  }
  qcc_radar_tables_free(tables); /* every free function accepts NULL */
  qcc_radar_report_free(report);
  qcc_radar_error_free(err);
  qcc_radar_client_free(client);
  return code;
}
