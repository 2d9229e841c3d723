package com.qccradar;

import java.nio.file.Path;

/**
 * A file of a report, or a sheet of a workbook, that is not a table, and why: listed by
 * {@link Tables#skipped()} so that nothing in a report goes unnoticed.
 *
 * @param name named as a table would be: the path inside the report folder ({@code 说明.txt}),
 *     with {@code #sheet} for a workbook sheet
 * @param path the file
 * @param reason a stable code: {@code empty} (no bytes, or only a byte-order mark and blank
 *     lines), {@code empty_sheet}, {@code binary}, {@code unknown_extension} (not json, csv, tsv,
 *     xlsx, xlsm, xlsb, xls or ods), {@code not_a_table} (a JSON number, say) or
 *     {@code unreadable} (permissions, a broken workbook)
 * @param message the reason as a sentence, such as {@code empty file}
 */
public record SkippedFile(String name, Path path, String reason, String message) {
}
