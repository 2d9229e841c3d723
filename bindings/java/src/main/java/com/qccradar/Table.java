package com.qccradar;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One table of a report: a JSON or CSV file, or one sheet of a workbook, as read by
 * {@link Report#tables()} and {@link Tables#read(java.nio.file.Path)}.
 *
 * <p>Each row is a map from column name to value, in column order (a {@link LinkedHashMap});
 * every row has every column. A value is typed as its column is:
 *
 * <table>
 * <caption>Value types</caption>
 * <tr><th>column</th><th>Java value</th></tr>
 * <tr><td>integer</td><td>{@link Long}</td></tr>
 * <tr><td>float</td><td>{@link Double}</td></tr>
 * <tr><td>boolean</td><td>{@link Boolean}</td></tr>
 * <tr><td>date</td><td>{@link java.time.LocalDate}</td></tr>
 * <tr><td>date and time (no zone: QCC writes Beijing time)</td><td>{@link java.time.LocalDateTime}</td></tr>
 * <tr><td>text, and any column whose values do not all agree on a type</td><td>{@link String}</td></tr>
 * <tr><td>an empty cell, in any column</td><td>{@code null}</td></tr>
 * </table>
 *
 * <p>A column is typed only when every value in it agrees, so a code such as
 * {@code 91330106MA2H0J1X7B} or {@code 0571} stays text. A CSV row that does not fit the header
 * is kept whole, as text, in the extra column {@code _raw_row} (its other cells null).
 *
 * <p>The rows of a table read from a report are kept column by column and each row's map is
 * made when it is read, so a large table costs little until it is used; the list and its maps
 * are unmodifiable.
 *
 * @param name the file's path inside the report folder with {@code /} separators
 *     ({@code 风险监控日报/corp.json}), plus {@code #} and the sheet's name for a workbook sheet
 *     ({@code 风险监控日报/风险明细.xlsx#司法风险})
 * @param columns the column names in the source's order, as it wrote them (a repeated name gets
 *     {@code _2}, a blank one {@code column_N}); unmodifiable
 * @param rows the rows, each a map in column order; unmodifiable
 */
public record Table(String name, List<String> columns, List<Map<String, Object>> rows) {
    /**
     * A table; {@code columns} and {@code rows} are copied (each row into a
     * {@link LinkedHashMap}) so the record stays unmodifiable.
     *
     * @param name the name
     * @param columns the column names
     * @param rows the rows
     */
    public Table {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        if (!(rows instanceof TableRows)) {
            rows = rows.stream()
                    .map(r -> Collections.unmodifiableMap(new LinkedHashMap<>(r)))
                    .toList();
        }
    }

    /**
     * The name, the columns and the number of rows (not the rows, which may be many).
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "Table[name=" + name + ", columns=" + columns + ", rows=" + rows.size() + "]";
    }
}
