package com.qccradar;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * A report's contents as tables: a {@code List<Table>}, one per JSON or CSV file and per
 * workbook sheet, sorted by name (a workbook's sheets in workbook order), plus the files that
 * are not tables with the reason ({@link #skipped()}). Unmodifiable.
 *
 * <pre>{@code
 * Tables tables = report.tables();                 // or Tables.read(Path.of("reports/JKDAY-…"))
 * for (Table t : tables) {
 *     System.out.println(t.name() + ": " + t.rows().size() + " rows, columns " + t.columns());
 * }
 * Table corp = tables.table("风险监控日报/corp.json").orElseThrow();
 * String company = (String) corp.rows().get(0).get("corpName");
 * tables.skipped().forEach(s -> System.out.println("not a table: " + s.name() + " (" + s.message() + ")"));
 * }</pre>
 *
 * <p>Reading needs no request and no client: JSON (an array of records, or an object whose
 * {@code result} is one, as the older API's {@code corp.json}), CSV (UTF-8, UTF-8 with a BOM,
 * GBK/GB18030, detected), and every sheet of an xlsx, xlsm, xlsb, xls or ods workbook (the
 * header row found below any title lines). The work is done in the native library on the
 * calling thread; see {@link Table} for the value types.
 */
public final class Tables extends AbstractList<Table> implements RandomAccess {
    private final List<Table> tables;
    private final List<SkippedFile> skipped;

    private Tables(List<Table> tables, List<SkippedFile> skipped) {
        this.tables = List.copyOf(tables);
        this.skipped = List.copyOf(skipped);
    }

    /**
     * Reads every file under a report folder already on disk (a report's {@link Report#folder()},
     * or one extracted by other means) into tables.
     *
     * @param folder the folder
     * @return its tables and the files that are not tables
     * @throws QccException {@link ErrorKind#IO} when the folder cannot be listed (missing,
     *     permission denied); {@link ErrorKind#CONFIG} when {@code folder} is null. A file that
     *     cannot be read is listed in {@link #skipped()}, not thrown.
     */
    public static Tables read(Path folder) {
        NativeLibrary.ensureLoaded();
        String dir = folder == null ? null : folder.toAbsolutePath().toString();
        BlockingSink sink = new BlockingSink();
        RadarClient.guard(() -> {
            NativeBridge.readTables(dir, sink);
            return 0;
        });
        return fromNative(sink.get());
    }

    /** Decodes {@code {Object[] tables, Object[] skipped}} from the native library. */
    private static Tables fromNative(Object payload) {
        Object[] p = (Object[]) payload;
        Object[] t = (Object[]) p[0];
        Object[] s = (Object[]) p[1];
        List<Table> tables = new ArrayList<>(t.length);
        for (Object table : t) {
            tables.add(TableRows.fromNative(table));
        }
        List<SkippedFile> skipped = new ArrayList<>(s.length);
        for (Object o : s) {
            String[] f = (String[]) o;
            skipped.add(new SkippedFile(f[0], Report.path(f[1]), f[2], f[3]));
        }
        return new Tables(tables, skipped);
    }

    @Override
    public Table get(int index) {
        return tables.get(index);
    }

    @Override
    public int size() {
        return tables.size();
    }

    /**
     * The table named {@code name} ({@link Table#name()}).
     *
     * @param name a table's name, such as {@code 风险监控日报/风险明细.xlsx#司法风险}
     * @return the table, or empty when there is none of that name
     */
    public Optional<Table> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The tables' names, in order.
     *
     * @return the names; unmodifiable
     */
    public List<String> names() {
        return tables.stream().map(Table::name).toList();
    }

    /**
     * The files, and workbook sheets, that are not tables, with the reason; sorted by name.
     *
     * @return the skipped files; unmodifiable
     */
    public List<SkippedFile> skipped() {
        return skipped;
    }

    /**
     * The tables' names and row counts, and the skipped files.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "Tables" + tables + " skipped " + skipped;
    }
}
