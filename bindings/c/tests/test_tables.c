/*
 * A report's contents as tables through the C interface, against `qcc-radar sandbox --scenario
 * tables` (corp.json, person.json, corp_news.json in the older API's shape, a GBK CSV digest
 * with a quoted line break and a malformed row, a two-sheet xlsx, an empty file and a text
 * file). Every table comes out as an Arrow C stream, and this file consumes those streams with
 * nothing but the Arrow C stream interface as the specification describes it: get_schema, walk
 * the children's names and formats, get_next until an array with a NULL release, read the
 * buffers (validity bitmaps, utf8 offsets and data, int64, float64, boolean bits), release
 * everything. The expectations mirror crates/qcc-radar/tests/tables.rs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define CORP "风险监控日报/corp.json"
#define NEWS "风险监控日报/corp_news.json"
#define PERSON "风险监控日报/person.json"
#define DIGEST "风险监控日报/企业风险变化汇总.csv"
#define CHANGES "风险监控日报/风险明细.xlsx#企业变更"
#define CASES "风险监控日报/风险明细.xlsx#司法风险"
#define README_TXT "说明.txt"
#define EMPTY_CSV "风险监控日报/明细/空白.csv"

/* ---- A table read from an Arrow C stream, with plain C ----------------------------------- */

#define MAX_BATCHES 16

/* The schema and every batch of one stream, kept until consumed_release(). */
struct consumed {
  struct ArrowSchema schema;
  struct ArrowArray batches[MAX_BATCHES];
  int n_batches;
  int64_t rows;
};

/* Reads the whole stream (and releases the stream itself). Returns 0, or -1 (recorded). */
static int consume(struct ArrowArrayStream *stream, struct consumed *c) {
  memset(c, 0, sizeof *c);
  int rc = -1;
  if (!CHECK(stream->release != NULL)) return -1;
  if (!CHECK(stream->get_schema != NULL && stream->get_next != NULL)) goto out;
  int e = stream->get_schema(stream, &c->schema);
  if (e != 0) {
    const char *why = stream->get_last_error ? stream->get_last_error(stream) : NULL;
    fprintf(stderr, "    get_schema: %d (%s)\n", e, why ? why : "no message");
    CHECK(e == 0);
    goto out;
  }
  if (!CHECK(c->schema.release != NULL)) goto out;
  /* A table's schema is a struct of its columns. */
  CHECK_STR(c->schema.format, "+s");
  for (;;) {
    struct ArrowArray next;
    memset(&next, 0, sizeof next);
    e = stream->get_next(stream, &next);
    if (e != 0) {
      const char *why = stream->get_last_error ? stream->get_last_error(stream) : NULL;
      fprintf(stderr, "    get_next: %d (%s)\n", e, why ? why : "no message");
      CHECK(e == 0);
      goto out;
    }
    if (next.release == NULL) break; /* the end of the stream */
    if (c->n_batches == MAX_BATCHES) {
      next.release(&next);
      CHECK(c->n_batches < MAX_BATCHES);
      goto out;
    }
    CHECK_INT(next.n_children, c->schema.n_children);
    CHECK_INT(next.null_count, 0);
    c->rows += next.length;
    c->batches[c->n_batches++] = next; /* moved: the copy is now the owner */
  }
  rc = 0;
out:
  stream->release(stream);
  CHECK(stream->release == NULL); /* a released stream marks itself so */
  return rc;
}

static void consumed_release(struct consumed *c) {
  for (int i = 0; i < c->n_batches; i++) {
    if (c->batches[i].release) c->batches[i].release(&c->batches[i]);
    CHECK(c->batches[i].release == NULL);
  }
  if (c->schema.release) c->schema.release(&c->schema);
  CHECK(c->schema.release == NULL);
  c->n_batches = 0;
}

/* The index of the column named `name`, or -1. */
static int column(const struct consumed *c, const char *name) {
  for (int64_t i = 0; i < c->schema.n_children; i++)
    if (strcmp(c->schema.children[i]->name, name) == 0) return (int)i;
  fprintf(stderr, "    no column \"%s\"\n", name);
  return -1;
}

static const char *format_of(const struct consumed *c, int col) {
  return col >= 0 && col < c->schema.n_children ? c->schema.children[col]->format : NULL;
}

static int bit(const void *bitmap, int64_t i) {
  return (((const uint8_t *)bitmap)[i / 8] >> (i % 8)) & 1;
}

/* The child array and the index in its buffers of (row, col), or NULL when out of range. */
static const struct ArrowArray *cell(const struct consumed *c, int col, int64_t row,
                                     int64_t *index) {
  if (col < 0 || col >= c->schema.n_children) return NULL;
  for (int b = 0; b < c->n_batches; b++) {
    const struct ArrowArray *batch = &c->batches[b];
    if (row < batch->length) {
      const struct ArrowArray *child = batch->children[col];
      /* A struct's offset applies to its children, which add their own. */
      *index = batch->offset + row + child->offset;
      return child;
    }
    row -= batch->length;
  }
  return NULL;
}

static int is_null(const struct consumed *c, int col, int64_t row) {
  int64_t i;
  const struct ArrowArray *a = cell(c, col, row, &i);
  if (!a) return -1;
  if (a->null_count == 0 || a->buffers[0] == NULL) return 0;
  return !bit(a->buffers[0], i);
}

/* The utf8 cell (row, col) as a malloc'd NUL-terminated string; NULL when null, not utf8 or out
 * of range. Buffers of "u": validity, int32 offsets, the bytes. */
static char *text(const struct consumed *c, int col, int64_t row) {
  int64_t i;
  const struct ArrowArray *a = cell(c, col, row, &i);
  const char *format = format_of(c, col);
  if (!a || !format || strcmp(format, "u") != 0 || a->n_buffers != 3) return NULL;
  if (is_null(c, col, row)) return NULL;
  const int32_t *offsets = a->buffers[1];
  const char *data = a->buffers[2];
  int32_t start = offsets[i], end = offsets[i + 1];
  char *s = malloc((size_t)(end - start) + 1);
  if (!s) return NULL;
  if (end > start) memcpy(s, data + start, (size_t)(end - start));
  s[end - start] = '\0';
  return s;
}

/* Checks a utf8 cell against `expected` (NULL: a null cell). */
#define CHECK_TEXT(c, col, row, expected)                                                      \
  do {                                                                                         \
    char *got_ = text((c), (col), (row));                                                      \
    CHECK_STR(got_, (expected));                                                               \
    free(got_);                                                                                \
  } while (0)

/* An int64 ("l") cell; buffers: validity, values. */
static int64_t int64_at(const struct consumed *c, int col, int64_t row) {
  int64_t i;
  const struct ArrowArray *a = cell(c, col, row, &i);
  const char *format = format_of(c, col);
  if (!a || !format || strcmp(format, "l") != 0) return INT64_MIN;
  return ((const int64_t *)a->buffers[1])[i];
}

/* A float64 ("g") cell. */
static double float64_at(const struct consumed *c, int col, int64_t row) {
  int64_t i;
  const struct ArrowArray *a = cell(c, col, row, &i);
  const char *format = format_of(c, col);
  if (!a || !format || strcmp(format, "g") != 0) return NAN;
  return ((const double *)a->buffers[1])[i];
}

/* A boolean ("b") cell: values are bits. */
static int bool_at(const struct consumed *c, int col, int64_t row) {
  int64_t i;
  const struct ArrowArray *a = cell(c, col, row, &i);
  const char *format = format_of(c, col);
  if (!a || !format || strcmp(format, "b") != 0) return -1;
  return bit(a->buffers[1], i);
}

/* A date32 ("tdD") cell: days since 1970-01-01. */
static int32_t date32_at(const struct consumed *c, int col, int64_t row) {
  int64_t i;
  const struct ArrowArray *a = cell(c, col, row, &i);
  const char *format = format_of(c, col);
  if (!a || !format || strcmp(format, "tdD") != 0) return INT32_MIN;
  return ((const int32_t *)a->buffers[1])[i];
}

/* ---- Fixture: the tables of a fetched `tables` report -------------------------------------- */

struct fixture {
  struct sandbox sb;
  struct qcc_radar_client *client;
  struct qcc_radar_report *report;
  struct qcc_radar_tables *tables;
  char *dir;
};

static int fixture_start(struct fixture *f) {
  struct qcc_radar_error *err = NULL;
  memset(f, 0, sizeof *f);
  f->sb = (struct sandbox)SANDBOX_NONE;
  int ok = 0;
  REQUIRE((f->dir = temp_dir_new()) != NULL);
  REQUIRE(sandbox_start(&f->sb, "tables") == 0);
  struct qcc_radar_client_options o = sandbox_options(&f->sb);
  REQUIRE(CHECK_STATUS(qcc_radar_client_new(&o, &f->client, &err), QCC_RADAR_STATUS_OK, err));
  REQUIRE(CHECK_STATUS(qcc_radar_fetch_report(f->client, "day", f->dir, 20000, &f->report, &err),
                       QCC_RADAR_STATUS_OK, err));
  REQUIRE(f->report != NULL);
  REQUIRE(CHECK_STATUS(qcc_radar_report_tables(f->report, &f->tables, &err), QCC_RADAR_STATUS_OK,
                       err));
  REQUIRE(f->tables != NULL);
  ok = 1;
out:
  qcc_radar_error_free(err);
  return ok ? 0 : -1;
}

static void fixture_stop(struct fixture *f) {
  qcc_radar_tables_free(f->tables);
  qcc_radar_report_free(f->report);
  qcc_radar_client_free(f->client);
  sandbox_stop(&f->sb);
  temp_dir_remove(f->dir);
}

/* The index of table `name`, or -1 (recorded). */
static long table_index(const struct qcc_radar_tables *tables, const char *name) {
  for (size_t i = 0; i < qcc_radar_tables_count(tables); i++)
    if (strcmp(qcc_radar_tables_name(tables, i), name) == 0) return (long)i;
  fprintf(stderr, "    no table \"%s\"\n", name);
  CHECK(!"the table exists");
  return -1;
}

/* Opens table `name` as a stream and consumes it into `c`. Returns 0, or -1 (recorded). */
static int read_table(const struct qcc_radar_tables *tables, const char *name,
                      struct consumed *c) {
  struct qcc_radar_error *err = NULL;
  struct ArrowArrayStream stream;
  memset(c, 0, sizeof *c);
  long i = table_index(tables, name);
  if (i < 0) return -1;
  int ok = CHECK_STATUS(qcc_radar_tables_stream(tables, (size_t)i, &stream, &err),
                        QCC_RADAR_STATUS_OK, err);
  qcc_radar_error_free(err);
  if (!ok) return -1;
  return consume(&stream, c);
}

static void check_columns(const struct consumed *c, const char *const *names, size_t n) {
  for (size_t i = 0; i < n && (int64_t)i < c->schema.n_children; i++)
    CHECK_STR(c->schema.children[i]->name, names[i]);
}

/* ---- Tests ------------------------------------------------------------------------------- */

static void every_file_is_a_table_or_skipped_with_a_reason(void) {
  static const char *const names[] = {CORP, NEWS, PERSON, DIGEST, CHANGES, CASES};
  struct fixture f;
  struct qcc_radar_tables *again = NULL;
  struct qcc_radar_error *err = NULL;
  REQUIRE(fixture_start(&f) == 0);

  REQUIRE(CHECK_INT(qcc_radar_tables_count(f.tables), 6));
  for (size_t i = 0; i < 6; i++) CHECK_STR(qcc_radar_tables_name(f.tables, i), names[i]);
  CHECK(qcc_radar_tables_name(f.tables, 6) == NULL);

  REQUIRE(CHECK_INT(qcc_radar_tables_skipped_count(f.tables), 2));
  CHECK_STR(qcc_radar_tables_skipped_name(f.tables, 0), README_TXT);
  CHECK_STR(qcc_radar_tables_skipped_kind(f.tables, 0), "unknown_extension");
  const char *reason = qcc_radar_tables_skipped_reason(f.tables, 0);
  CHECK(reason != NULL && strstr(reason, ".txt") != NULL);
  CHECK_STR(qcc_radar_tables_skipped_name(f.tables, 1), EMPTY_CSV);
  CHECK_STR(qcc_radar_tables_skipped_kind(f.tables, 1), "empty");
  CHECK_STR(qcc_radar_tables_skipped_reason(f.tables, 1), "empty file");
  CHECK(qcc_radar_tables_skipped_name(f.tables, 2) == NULL);
  CHECK(qcc_radar_tables_skipped_kind(f.tables, 2) == NULL);
  CHECK(qcc_radar_tables_skipped_reason(f.tables, 2) == NULL);

  /* Reading the folder gives the same, and needs neither the report nor the client. */
  REQUIRE(CHECK_STATUS(qcc_radar_read_tables(f.report->folder, &again, &err), QCC_RADAR_STATUS_OK,
                       err));
  REQUIRE(CHECK_INT(qcc_radar_tables_count(again), 6));
  for (size_t i = 0; i < 6; i++)
    CHECK_STR(qcc_radar_tables_name(again, i), qcc_radar_tables_name(f.tables, i));
  CHECK_INT(qcc_radar_tables_skipped_count(again), 2);
  CHECK_STR(qcc_radar_tables_skipped_name(again, 1), EMPTY_CSV);
out:
  qcc_radar_error_free(err);
  qcc_radar_tables_free(again);
  fixture_stop(&f);
}

static void the_older_apis_json_envelopes(void) {
  static const char *const corp_columns[] = {"id",   "corpKeyNo", "corpName", "mainType",
                                             "mainTypeName", "type", "typeName", "category"};
  struct fixture f;
  struct consumed corp = {0}, person = {0}, news = {0};
  REQUIRE(fixture_start(&f) == 0);

  REQUIRE(read_table(f.tables, CORP, &corp) == 0);
  CHECK_INT(corp.rows, 6);
  CHECK_INT(corp.schema.n_children, 21);
  check_columns(&corp, corp_columns, 8);
  /* A code stays beside its label, each with its own type. */
  int type = column(&corp, "type"), type_name = column(&corp, "typeName");
  CHECK_INT(type_name, type + 1);
  CHECK_STR(format_of(&corp, type), "l");
  CHECK_STR(format_of(&corp, type_name), "u");
  CHECK_INT(int64_at(&corp, type, 0), 11);
  CHECK_TEXT(&corp, type_name, 0, "裁判文书");
  CHECK_TEXT(&corp, column(&corp, "corpName"), 0, "杭州云栖智能科技有限公司");
  CHECK_TEXT(&corp, type_name, 1, "被执行人");
  CHECK_STR(format_of(&corp, column(&corp, "changeDate")), "tdD");
  CHECK_STR(format_of(&corp, column(&corp, "corpKeyNo")), "u");

  REQUIRE(read_table(f.tables, PERSON, &person) == 0);
  CHECK_INT(person.rows, 3);
  static const char *const person_columns[] = {"personKeyNo", "personName", "id"};
  check_columns(&person, person_columns, 3);
  CHECK_TEXT(&person, 1, 1, "陈丽华");

  REQUIRE(read_table(f.tables, NEWS, &news) == 0);
  CHECK_INT(news.rows, 4);
  CHECK_TEXT(&news, column(&news, "newsTagsList"), 0, "[\"债务违约\",\"被执行\"]");
  CHECK_TEXT(&news, column(&news, "impactDesc"), 0, "消极");
  CHECK_STR(format_of(&news, column(&news, "publishTime")), "tsm:");
out:
  consumed_release(&corp);
  consumed_release(&person);
  consumed_release(&news);
  fixture_stop(&f);
}

static void the_gbk_digest_with_its_malformed_row(void) {
  static const char *const columns[] = {"序号",   "企业名称",     "统一社会信用代码",
                                        "风险类型代码", "风险类型", "变化数量",
                                        "最新变化日期", "备注",     "_raw_row"};
  static const char *const formats[] = {"l", "u", "u", "l", "u", "l", "tdD", "u", "u"};
  struct fixture f;
  struct consumed t = {0};
  REQUIRE(fixture_start(&f) == 0);
  REQUIRE(read_table(f.tables, DIGEST, &t) == 0);

  REQUIRE(CHECK_INT(t.schema.n_children, 9));
  check_columns(&t, columns, 9);
  for (int i = 0; i < 9; i++) CHECK_STR(format_of(&t, i), formats[i]);
  CHECK_INT(t.rows, 6);
  /* GBK decoded into UTF-8. */
  CHECK_TEXT(&t, 1, 0, "杭州云栖智能科技有限公司");
  CHECK_TEXT(&t, 7, 1, "执行标的：1,250,000元");
  /* A quoted field with a line break. */
  CHECK_TEXT(&t, 7, 2, "变更前：张建国\r\n变更后：李卫东");

  /* Row 5 has one field too many: kept whole, as text, in _raw_row; its other cells null. */
  int raw = column(&t, "_raw_row");
  CHECK_INT(raw, 8);
  char *row5 = text(&t, raw, 4);
  static const char prefix[] =
      "5,广州南沙港航物流有限公司（广州,南沙）,91440115MA59CQ2P5E,1,受益人变更,1,";
  CHECK(row5 != NULL && strncmp(row5, prefix, sizeof prefix - 1) == 0);
  CHECK(row5 != NULL && row5[strlen(row5) - 1] == ',');
  free(row5);
  for (int col = 0; col < 8; col++) CHECK_INT(is_null(&t, col, 4), 1);
  CHECK_INT(is_null(&t, raw, 0), 1);
  CHECK_TEXT(&t, raw, 0, NULL);
  CHECK_INT(int64_at(&t, 0, 5), 6);
out:
  consumed_release(&t);
  fixture_stop(&f);
}

static void the_workbook_sheets(void) {
  static const char *const change_columns[] = {"序号",   "企业名称", "变更事项",         "变更前",
                                               "变更后", "注册资本（万元）", "变更日期"};
  struct fixture f;
  struct consumed changes = {0}, cases = {0}, digest = {0};
  REQUIRE(fixture_start(&f) == 0);

  REQUIRE(read_table(f.tables, CHANGES, &changes) == 0);
  REQUIRE(CHECK_INT(changes.schema.n_children, 7));
  check_columns(&changes, change_columns, 7);
  CHECK_INT(changes.rows, 5);
  CHECK(float64_at(&changes, 5, 1) == 1200.5);

  /* The second sheet. */
  REQUIRE(read_table(f.tables, CASES, &cases) == 0);
  CHECK_INT(cases.rows, 3);
  REQUIRE(cases.schema.n_children >= 7);
  CHECK_STR(cases.schema.children[1]->name, "案号");
  CHECK_TEXT(&cases, 1, 1, "（2024）粤0391执5521号");
  CHECK(float64_at(&cases, 4, 2) == 86000.5);
  CHECK_INT(bool_at(&cases, 6, 2), 1);
  CHECK_STR(format_of(&cases, 5), "tdD");
  /* Dates are real days: the sheet's count back 30 from the digest's. */
  REQUIRE(read_table(f.tables, DIGEST, &digest) == 0);
  CHECK_INT(date32_at(&digest, 6, 0) - date32_at(&cases, 5, 0), 30);
out:
  consumed_release(&changes);
  consumed_release(&cases);
  consumed_release(&digest);
  fixture_stop(&f);
}

/* Every table, consumed fully; streams are independent of the tables object and of each other. */
static void streams_are_owned_by_the_caller(void) {
  struct fixture f;
  struct qcc_radar_error *err = NULL;
  struct ArrowArrayStream streams[6], extra;
  struct consumed c = {0};
  size_t made = 0;
  memset(streams, 0, sizeof streams);
  memset(&extra, 0, sizeof extra);
  REQUIRE(fixture_start(&f) == 0);
  REQUIRE(qcc_radar_tables_count(f.tables) == 6);

  for (; made < 6; made++)
    REQUIRE(CHECK_STATUS(qcc_radar_tables_stream(f.tables, made, &streams[made], &err),
                         QCC_RADAR_STATUS_OK, err));
  /* A second stream over the same table, released unread. */
  REQUIRE(CHECK_STATUS(qcc_radar_tables_stream(f.tables, 0, &extra, &err), QCC_RADAR_STATUS_OK,
                       err));
  extra.release(&extra);
  CHECK(extra.release == NULL);

  /* The streams outlive the object, the report and the client. */
  qcc_radar_tables_free(f.tables);
  f.tables = NULL;
  qcc_radar_report_free(f.report);
  f.report = NULL;
  qcc_radar_client_free(f.client);
  f.client = NULL;
  static const int64_t rows[] = {6, 4, 3, 6, 5, 3};
  for (size_t i = 0; i < made; i++) {
    if (consume(&streams[i], &c) == 0) {
      CHECK_INT(c.rows, rows[i]);
      CHECK(c.schema.n_children > 0);
      for (int64_t k = 0; k < c.schema.n_children; k++) {
        CHECK(c.schema.children[k]->name != NULL && c.schema.children[k]->name[0] != '\0');
        CHECK(c.schema.children[k]->format != NULL);
      }
    }
    consumed_release(&c);
  }
  made = 0;
out:
  for (size_t i = 0; i < made; i++)
    if (streams[i].release) streams[i].release(&streams[i]);
  qcc_radar_error_free(err);
  fixture_stop(&f);
}

/* A stream's schema and a batch may outlive the stream (each is released on its own). */
static void schema_and_batch_outlive_their_stream(void) {
  struct fixture f;
  struct qcc_radar_error *err = NULL;
  struct ArrowArrayStream stream;
  struct ArrowSchema schema;
  struct ArrowArray batch;
  memset(&schema, 0, sizeof schema);
  memset(&batch, 0, sizeof batch);
  REQUIRE(fixture_start(&f) == 0);
  long i = table_index(f.tables, PERSON);
  REQUIRE(i >= 0);
  REQUIRE(CHECK_STATUS(qcc_radar_tables_stream(f.tables, (size_t)i, &stream, &err),
                       QCC_RADAR_STATUS_OK, err));
  CHECK_INT(stream.get_schema(&stream, &schema), 0);
  CHECK_INT(stream.get_next(&stream, &batch), 0);
  stream.release(&stream);
  qcc_radar_tables_free(f.tables);
  f.tables = NULL;
  REQUIRE(schema.release != NULL && batch.release != NULL);
  CHECK_INT(batch.length, 3);
  CHECK_STR(schema.children[1]->name, "personName");
  CHECK_STR(schema.children[1]->format, "u");
  const struct ArrowArray *names = batch.children[1];
  const int32_t *offsets = names->buffers[1];
  const char *data = names->buffers[2];
  int64_t row = batch.offset + names->offset + 1;
  CHECK_INT(offsets[row + 1] - offsets[row], (int)strlen("陈丽华"));
  CHECK(memcmp(data + offsets[row], "陈丽华", strlen("陈丽华")) == 0);
out:
  if (batch.release) batch.release(&batch);
  if (schema.release) schema.release(&schema);
  qcc_radar_error_free(err);
  fixture_stop(&f);
}

static void bad_arguments_are_config_errors(void) {
  struct qcc_radar_tables *tables = NULL;
  struct qcc_radar_error *err = NULL;
  struct ArrowArrayStream stream;
  struct qcc_radar_report empty_report;
  char *dir = temp_dir_new();
  char *missing = NULL;
  REQUIRE(dir != NULL);

  tables = (struct qcc_radar_tables *)dir; /* must be reset to NULL */
  CHECK_STATUS(qcc_radar_read_tables(NULL, &tables, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK(tables == NULL);
  qcc_radar_error_free(err);
  err = NULL;
  CHECK_STATUS(qcc_radar_read_tables("\xff\xfe", &tables, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  err = NULL;
  CHECK_STATUS(qcc_radar_read_tables(dir, NULL, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  err = NULL;
  tables = (struct qcc_radar_tables *)dir;
  CHECK_STATUS(qcc_radar_report_tables(NULL, &tables, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK(tables == NULL);
  qcc_radar_error_free(err);
  err = NULL;
  memset(&empty_report, 0, sizeof empty_report);
  CHECK_STATUS(qcc_radar_report_tables(&empty_report, &tables, &err), QCC_RADAR_STATUS_CONFIG,
               err);
  qcc_radar_error_free(err);
  err = NULL;
  /* NULL err is fine too. */
  CHECK_INT(qcc_radar_read_tables(NULL, &tables, NULL), QCC_RADAR_STATUS_CONFIG);

  /* A folder that is not there: io, naming it. */
  REQUIRE(asprintf(&missing, "%s/not-here", dir) > 0);
  tables = (struct qcc_radar_tables *)dir;
  CHECK_STATUS(qcc_radar_read_tables(missing, &tables, &err), QCC_RADAR_STATUS_IO, err);
  CHECK(tables == NULL);
  CHECK(err != NULL && strstr(qcc_radar_error_message(err), "not-here") != NULL);
  qcc_radar_error_free(err);
  err = NULL;

  /* An empty folder: no tables, nothing skipped. */
  REQUIRE(CHECK_STATUS(qcc_radar_read_tables(dir, &tables, &err), QCC_RADAR_STATUS_OK, err));
  CHECK_INT(qcc_radar_tables_count(tables), 0);
  CHECK_INT(qcc_radar_tables_skipped_count(tables), 0);
  CHECK(qcc_radar_tables_name(tables, 0) == NULL);

  /* Streams: an index out of range or a NULL object leaves a released (zeroed) stream. */
  memset(&stream, 0xab, sizeof stream);
  CHECK_STATUS(qcc_radar_tables_stream(tables, 0, &stream, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK(stream.release == NULL && stream.private_data == NULL);
  CHECK(err != NULL && strstr(qcc_radar_error_message(err), "out of range") != NULL);
  qcc_radar_error_free(err);
  err = NULL;
  memset(&stream, 0xab, sizeof stream);
  CHECK_STATUS(qcc_radar_tables_stream(NULL, 0, &stream, &err), QCC_RADAR_STATUS_CONFIG, err);
  CHECK(stream.release == NULL);
  qcc_radar_error_free(err);
  err = NULL;
  CHECK_STATUS(qcc_radar_tables_stream(tables, 0, NULL, &err), QCC_RADAR_STATUS_CONFIG, err);
  qcc_radar_error_free(err);
  err = NULL;

  /* Accessors and free accept NULL. */
  CHECK_INT(qcc_radar_tables_count(NULL), 0);
  CHECK_INT(qcc_radar_tables_skipped_count(NULL), 0);
  CHECK(qcc_radar_tables_name(NULL, 0) == NULL);
  CHECK(qcc_radar_tables_skipped_name(NULL, 0) == NULL);
  CHECK(qcc_radar_tables_skipped_kind(NULL, 0) == NULL);
  CHECK(qcc_radar_tables_skipped_reason(NULL, 0) == NULL);
  qcc_radar_tables_free(NULL);
out:
  qcc_radar_error_free(err);
  if (tables != (struct qcc_radar_tables *)dir) qcc_radar_tables_free(tables);
  free(missing);
  temp_dir_remove(dir);
}

int main(int argc, char **argv) {
  static const struct harness_test tests[] = {
      {"every_file_is_a_table_or_skipped_with_a_reason",
       every_file_is_a_table_or_skipped_with_a_reason},
      {"the_older_apis_json_envelopes", the_older_apis_json_envelopes},
      {"the_gbk_digest_with_its_malformed_row", the_gbk_digest_with_its_malformed_row},
      {"the_workbook_sheets", the_workbook_sheets},
      {"streams_are_owned_by_the_caller", streams_are_owned_by_the_caller},
      {"schema_and_batch_outlive_their_stream", schema_and_batch_outlive_their_stream},
      {"bad_arguments_are_config_errors", bad_arguments_are_config_errors},
  };
  return harness_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
