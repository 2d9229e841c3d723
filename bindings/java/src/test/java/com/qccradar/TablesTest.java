package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report's contents as tables ({@link Report#tables()}, {@link Tables#read(Path)}), against the
 * sandbox's {@code tables} scenario: the older API's JSON envelopes, a GBK CSV digest with a
 * quoted line break and a malformed row, a two-sheet workbook, an empty file and a text file.
 * The expectations mirror the Rust suite's ({@code crates/qcc-radar/tests/tables.rs}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TablesTest {
    static final String DIGEST = "风险监控日报/企业风险变化汇总.csv";
    static final String CORP = "风险监控日报/corp.json";
    static final String PERSON = "风险监控日报/person.json";
    static final String NEWS = "风险监控日报/corp_news.json";
    static final String CHANGES = "风险监控日报/风险明细.xlsx#企业变更";
    static final String CASES = "风险监控日报/风险明细.xlsx#司法风险";
    static final String EMPTY = "风险监控日报/明细/空白.csv";

    private Report report;
    private Tables tables;

    /** One fetch from one sandbox for the whole class: every test reads the same report. */
    @BeforeAll
    void fetch(@TempDir Path out) {
        try (Sandbox sb = Sandbox.start("tables"); RadarClient client = sb.client()) {
            report = client.fetchReport(ReportType.DAY, out).orElseThrow();
        }
        tables = report.tables();
    }

    private Table table(String name) {
        return tables.table(name).orElseThrow(() -> new AssertionError("no table " + name + " in " + tables.names()));
    }

    private static Object cell(Table t, int row, String column) {
        Map<String, Object> r = t.rows().get(row);
        assertTrue(r.containsKey(column), () -> t.name() + " has no column " + column + ": " + t.columns());
        return r.get(column);
    }

    @Test
    void everyFileIsATableOrSkippedWithAReason() {
        assertEquals(List.of(CORP, NEWS, PERSON, DIGEST, CHANGES, CASES), tables.names());
        assertEquals(6, tables.size());
        assertEquals(tables.names(), tables.stream().map(Table::name).toList(), "a List<Table> in that order");
        List<SkippedFile> skipped = tables.skipped();
        assertEquals(List.of("说明.txt", EMPTY), skipped.stream().map(SkippedFile::name).toList());
        assertEquals(List.of("unknown_extension", "empty"), skipped.stream().map(SkippedFile::reason).toList());
        SkippedFile empty = skipped.get(1);
        assertEquals("empty file", empty.message());
        assertTrue(empty.path().startsWith(report.folder()), empty.path().toString());
        assertTrue(Files.isRegularFile(empty.path()), empty.path().toString());
        assertTrue(skipped.get(0).message().contains(".txt"), skipped.get(0).message());
        assertTrue(tables.table("nope.csv").isEmpty());

        // Reading the folder again gives the same.
        Tables again = Tables.read(report.folder());
        assertEquals(tables.names(), again.names());
        assertEquals(tables.skipped(), again.skipped());
        assertEquals(tables, again, "tables are values");
        assertTrue(tables.toString().contains("rows=6"), tables.toString());
    }

    @Test
    void theOlderApisJsonEnvelopes() {
        Table corp = table(CORP);
        assertEquals(6, corp.rows().size());
        assertEquals(List.of("id", "corpKeyNo", "corpName", "mainType", "mainTypeName", "type", "typeName", "category"),
                corp.columns().subList(0, 8));
        assertEquals(21, corp.columns().size());
        // A code stays beside its label, each with its own type.
        assertEquals(corp.columns().indexOf("type") + 1, corp.columns().indexOf("typeName"));
        assertEquals(11L, cell(corp, 0, "type"));
        assertEquals("裁判文书", cell(corp, 0, "typeName"));
        assertEquals("杭州云栖智能科技有限公司", cell(corp, 0, "corpName"));
        assertEquals("被执行人", cell(corp, 1, "typeName"));
        assertInstanceOf(LocalDate.class, cell(corp, 0, "changeDate"));
        assertInstanceOf(Long.class, cell(corp, 0, "changeWay"));
        assertInstanceOf(String.class, cell(corp, 0, "corpKeyNo"));

        Table person = table(PERSON);
        assertEquals(3, person.rows().size());
        assertEquals(List.of("personKeyNo", "personName", "id"), person.columns().subList(0, 3));
        assertEquals("陈丽华", cell(person, 1, "personName"));

        Table news = table(NEWS);
        assertEquals(4, news.rows().size());
        assertEquals("[\"债务违约\",\"被执行\"]", cell(news, 0, "newsTagsList"));
        assertEquals("消极", cell(news, 0, "impactDesc"));
        assertInstanceOf(LocalDateTime.class, cell(news, 0, "publishTime"));
    }

    @Test
    void theGbkDigestWithItsMalformedRow() {
        Table t = table(DIGEST);
        assertEquals(List.of("序号", "企业名称", "统一社会信用代码", "风险类型代码", "风险类型", "变化数量", "最新变化日期", "备注",
                "_raw_row"), t.columns());
        assertEquals(6, t.rows().size());
        // GBK decoded.
        assertEquals("杭州云栖智能科技有限公司", cell(t, 0, "企业名称"));
        assertEquals("执行标的：1,250,000元", cell(t, 1, "备注"));
        // A quoted line break inside a field.
        assertEquals("变更前：张建国\r\n变更后：李卫东", cell(t, 2, "备注"));
        assertEquals(1L, cell(t, 0, "序号"));
        assertEquals(6L, cell(t, 5, "序号"));
        assertInstanceOf(LocalDate.class, cell(t, 0, "最新变化日期"));
        assertInstanceOf(String.class, cell(t, 0, "统一社会信用代码"));
        // Row 5 has one field too many: kept whole, as text, its other cells null.
        Map<String, Object> malformed = t.rows().get(4);
        assertEquals("5,广州南沙港航物流有限公司（广州,南沙）,91440115MA59CQ2P5E,1,受益人变更,1," + cell(t, 2, "最新变化日期") + ",",
                malformed.get("_raw_row"));
        for (String column : t.columns().subList(0, 8)) {
            assertTrue(malformed.containsKey(column), column);
            assertNull(malformed.get(column), column);
        }
        assertNull(cell(t, 0, "_raw_row"));
    }

    @Test
    void theWorkbooksSheets() {
        Table changes = table(CHANGES);
        assertEquals(List.of("序号", "企业名称", "变更事项", "变更前", "变更后", "注册资本（万元）", "变更日期"), changes.columns());
        assertEquals(5, changes.rows().size());
        assertEquals(1200.5, cell(changes, 1, "注册资本（万元）"));
        assertInstanceOf(LocalDate.class, cell(changes, 0, "变更日期"));

        // The second sheet.
        Table cases = table(CASES);
        assertEquals(3, cases.rows().size());
        assertEquals("案号", cases.columns().get(1));
        List<Object> row1 = new ArrayList<>(cases.rows().get(1).values());
        assertEquals("（2024）粤0391执5521号", row1.get(1));
        List<Object> row2 = new ArrayList<>(cases.rows().get(2).values());
        assertEquals(86_000.5, row2.get(4));
        assertEquals(Boolean.TRUE, row2.get(6));
        // Dates are real days: the sheet's dates count back from the digest's.
        LocalDate filed = (LocalDate) new ArrayList<>(cases.rows().get(0).values()).get(5);
        LocalDate latest = (LocalDate) cell(table(DIGEST), 0, "最新变化日期");
        assertEquals(30, ChronoUnit.DAYS.between(filed, latest));
    }

    @Test
    void rowsAreUnmodifiableMapsInColumnOrder() {
        for (Table t : tables) {
            assertEquals(t.columns().size(), t.columns().stream().distinct().count(), t.name());
            for (Map<String, Object> row : t.rows()) {
                assertEquals(t.columns(), new ArrayList<>(row.keySet()), t.name());
            }
            assertEquals(t.rows().get(0), t.rows().get(0), "each read makes an equal map");
        }
        Table corp = table(CORP);
        assertThrows(UnsupportedOperationException.class, () -> corp.rows().get(0).put("id", 1L));
        assertThrows(UnsupportedOperationException.class, () -> corp.rows().remove(0));
        assertThrows(UnsupportedOperationException.class, () -> corp.columns().add("x"));
        assertThrows(IndexOutOfBoundsException.class, () -> corp.rows().get(6));
        assertTrue(corp.toString().contains("rows=6"), corp.toString());

        // A table made by hand is copied, and equal to one read with the same contents.
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("a", 1L);
        row.put("b", null);
        List<Map<String, Object>> rows = new ArrayList<>(List.of(row));
        Table made = new Table("t", Arrays.asList("a", "b"), rows);
        row.put("a", 2L);
        rows.clear();
        assertEquals(1L, made.rows().get(0).get("a"));
        assertEquals(new Table("t", List.of("a", "b"), List.of(made.rows().get(0))), made);
    }

    @Test
    void aFolderThatCannotBeReadIsIoAndNullIsConfig(@TempDir Path dir) throws IOException {
        Expect.kind(ErrorKind.IO, () -> Tables.read(dir.resolve("missing")));
        Expect.kind(ErrorKind.CONFIG, () -> Tables.read(null));
        Tables none = Tables.read(Files.createDirectories(dir.resolve("empty")));
        assertEquals(0, none.size());
        assertEquals(List.of(), none.skipped());
    }
}
