package com.qccradar.examples;

import com.qccradar.QccException;
import com.qccradar.RadarClient;
import com.qccradar.Report;
import com.qccradar.ReportType;
import com.qccradar.Table;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The README's example: fetch today's report and list its tables, then fetch this week's without
 * blocking.
 *
 * <p>Configuration comes from the environment ({@code QCC_APP_KEY}, {@code QCC_SECRET_KEY},
 * {@code QCC_BASE_URL}); point it at a sandbox with
 * {@code eval "$(qcc-radar sandbox ... )"} or at QCC itself. Run with the output folder as the
 * only argument. Exits 0 on success or no change, else with the CLI's exit code for the kind.
 */
public final class FetchReportExample {
    private FetchReportExample() {
    }

    /**
     * Runs the example.
     *
     * @param args the output folder (default {@code reports})
     */
    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "reports");
        try (RadarClient client = RadarClient.builder().waitTimeout(Duration.ofMinutes(10)).build()) {
            System.out.println("qcc-radar " + RadarClient.version() + " at " + client.baseUrl()
                    + " (native library from " + RadarClient.nativeLibrarySource() + ")");

            // The whole flow, blocking: order, wait, download, extract.
            Optional<Report> today = client.fetchReport(ReportType.DAY, out);
            today.ifPresentOrElse(
                    r -> System.out.println("day report " + r.orderNo() + ": " + r.files().size()
                            + " files in " + r.folder()),
                    () -> System.out.println("no risk changes today, so no report"));

            // Its contents as tables: one per CSV or JSON file and per workbook sheet.
            if (today.isPresent()) {
                for (Table t : today.get().tables()) {
                    System.out.println("  " + t.name() + ": " + t.rows().size() + " rows, columns " + t.columns());
                }
            }

            // The same without blocking a thread.
            CompletableFuture<Optional<Report>> week = client.fetchReportAsync(ReportType.WEEK, out);
            week.thenAccept(r -> r.ifPresent(report -> System.out.println(
                    "week report " + report.orderNo() + ": " + report.files().size() + " files"))).join();
        } catch (QccException e) {
            System.err.println("failed (" + e.getKind().wireName()
                    + (e.getCode() != null ? ", status " + e.getCode() : "")
                    + (e.getOrderNo() != null ? ", order " + e.getOrderNo() : "") + "): " + e.getMessage());
            System.exit(exitCode(e));
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof QccException) {
                QccException q = (QccException) e.getCause();
                System.err.println("failed (" + q.getKind().wireName() + "): " + q.getMessage());
                System.exit(exitCode(q));
            }
            throw e;
        }
    }

    /** The {@code qcc-radar} command's exit code for an error's kind. */
    private static int exitCode(QccException e) {
        switch (e.getKind()) {
            case CONFIG:
                return 2;
            case AUTH:
            case QUOTA:
            case PERMISSION:
            case INVALID_REQUEST:
                return 3;
            case REPORT_FAILED:
                return 4;
            case TIMEOUT:
                return 5;
            case TRANSPORT:
                return 6;
            case ARCHIVE:
                return 7;
            case UNCONFIRMED_ORDER:
                return 8;
            case IO:
                return 9;
            case CANCELLED:
                return 130;
            default:
                return 1;
        }
    }
}
