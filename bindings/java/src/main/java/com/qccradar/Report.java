package com.qccradar;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A report on disk: the kept archive {@code DIR/<orderNo>.zip} and the files extracted from it
 * into {@code DIR/<orderNo>/}.
 *
 * @param orderNo the order it was made for, such as {@code JKDAY-167660123348194027}
 * @param reportType its type, or null when it cannot be told (an unknown order prefix)
 * @param archive the kept zip
 * @param folder the folder it was extracted into
 * @param files the extracted files (not folders), sorted; unmodifiable
 */
public record Report(String orderNo, ReportType reportType, Path archive, Path folder, List<Path> files) {
    /**
     * A report; {@code files} is copied so the record stays unmodifiable.
     *
     * @param orderNo the order number
     * @param reportType the type, or null
     * @param archive the kept zip
     * @param folder the extraction folder
     * @param files the extracted files
     */
    public Report {
        files = List.copyOf(files);
    }

    /** Decodes {@code [orderNo, reportType, archive, folder, file...]} from the native library. */
    static Report fromNative(Object payload) {
        String[] a = (String[]) payload;
        List<Path> files = new ArrayList<>(Math.max(0, a.length - 4));
        for (int i = 4; i < a.length; i++) {
            files.add(path(a[i]));
        }
        return new Report(a[0], ReportType.fromApiName(a[1]), path(a[2]), path(a[3]), files);
    }

    /**
     * The report's files as tables, read from {@link #folder()} with no request: one per JSON or
     * CSV file and per workbook sheet, and the files that are not tables with the reason
     * ({@link Tables#skipped()}). See {@link Tables} and {@link Table}.
     *
     * @return the tables, a {@code List<Table>}
     * @throws QccException {@link ErrorKind#IO} when the folder cannot be listed (it was moved or
     *     deleted)
     */
    public Tables tables() {
        return Tables.read(folder);
    }

    /** A path from the native library, or a {@code CONFIG} error saying to use a UTF-8 locale. */
    static Path path(String p) {
        try {
            return Path.of(p);
        } catch (InvalidPathException e) {
            // Java maps file names through sun.jnu.encoding, which follows the locale: under the C
            // locale it cannot represent the Chinese names QCC's reports use.
            throw new QccException(ErrorKind.CONFIG, null,
                    "Java cannot represent the extracted file name " + p + " in this locale ("
                            + System.getProperty("sun.jnu.encoding")
                            + "); run Java with a UTF-8 locale, such as LC_ALL=C.UTF-8",
                    null, e);
        }
    }
}
