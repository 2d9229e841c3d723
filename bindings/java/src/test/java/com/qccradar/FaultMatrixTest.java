package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shared fault matrix ({@code tests/fault-matrix.json}), run against the Java binding.
 *
 * <p>Every front end of qcc-radar reads the same table of sandbox scenarios, operations and
 * expected outcomes, so Java cannot quietly differ from the Rust client (a retried quota error,
 * a kept half-archive, a 201 taken for a failure). For each case this starts a fresh
 * {@code qcc-radar sandbox} process with the case's scenario and overrides, expecting this
 * suite's secret key; builds a {@link RadarClient} with the sandbox's keys and base URL (or the
 * case's {@code base_url}) and the matrix's fixed poll interval; writes the case's
 * {@code setup.ledger} into the out folder when it has one; runs the operation, or each of its
 * {@code steps} in turn against the same sandbox process, client and out folder, through the
 * public API ({@code args.new_order} as {@link FetchOptions#newOrder(boolean)}), passing report
 * types and order numbers as the text given so that the binding's own parsing judges them; and
 * compares, after each step, the outcome, {@link ErrorKind}, code, whether the error carries
 * {@link QccException#getOrderNo()}, the exit status the kind maps to in DESIGN.md's table, the
 * orders the sandbox saw placed so far (its running record, asked for with a line on its stdin)
 * and what is left on disk besides the matrix's {@code bookkeeping} (the order ledger and its
 * lock). It also checks that the
 * secret key appears in no exception text, no {@code toString()} of a result, the client or its
 * builder, and no file written. Every difference is collected; the test fails at the end,
 * listing them all. The format is described in {@code tests/fault_matrix/README.md}.
 *
 * <p>The secret is {@code QCC_LEAK_SECRET} when set (the leak scan sets it), else a fresh
 * {@code qcc-fm-canary-<hex>}; the sandbox learns it from a 0600 file outside any scanned folder.
 * With {@code QCC_LEAK_SCAN_DIR} set, every case's folder is kept under
 * {@code <dir>/java/<case id>/} and the texts the binding showed under
 * {@code <dir>/java/<case id>.out}, for the scan to read. {@code QCC_FAULT_MATRIX_ONLY=id,id}
 * runs only those cases; {@code -Dqcc.fault.matrix=PATH} reads another copy of the matrix (to
 * see the runner catch a changed expectation).
 */
class FaultMatrixTest {
    /** The language's folder name under {@code QCC_LEAK_SCAN_DIR}. */
    private static final String LANGUAGE = "java";
    private static final String FORMAT = "qcc-radar-fault-matrix";
    private static final long VERSION = 2;
    /** The app key for cases without a sandbox (nothing listens; the key is not checked). */
    private static final String APP_KEY = "fault-matrix-app-key";
    /** Where {@code setup.ledger} goes in the out folder: the order ledger's file name. */
    private static final String LEDGER_FILE = "qcc-radar-journal.json";
    /** Cases at once: the timing cases must not starve on a busy two-core machine. */
    private static final int PARALLEL = 4;
    /** The longest one case may take before it counts as hung. */
    private static final Duration CASE_LIMIT = Duration.ofSeconds(180);

    /**
     * DESIGN.md's table of the {@code qcc-radar} command's exit statuses: 2 usage or
     * configuration, 3 rejected by the API (auth, quota, permission, invalid request), 4 report
     * generation failed, 5 timed out, 6 network or server unavailable after retries, 7 unsafe or
     * corrupt archive, 8 an order whose answer was lost (unconfirmed), 9 the local file system.
     * {@link ErrorKind#CANCELLED} and {@link ErrorKind#INTERNAL} are not in it.
     */
    private static final Map<ErrorKind, Integer> EXIT_STATUS = exitStatusTable();

    private static Map<ErrorKind, Integer> exitStatusTable() {
        Map<ErrorKind, Integer> t = new EnumMap<>(ErrorKind.class);
        t.put(ErrorKind.CONFIG, 2);
        t.put(ErrorKind.AUTH, 3);
        t.put(ErrorKind.QUOTA, 3);
        t.put(ErrorKind.PERMISSION, 3);
        t.put(ErrorKind.INVALID_REQUEST, 3);
        t.put(ErrorKind.REPORT_FAILED, 4);
        t.put(ErrorKind.TIMEOUT, 5);
        t.put(ErrorKind.TRANSPORT, 6);
        t.put(ErrorKind.ARCHIVE, 7);
        t.put(ErrorKind.UNCONFIRMED_ORDER, 8);
        t.put(ErrorKind.IO, 9);
        return Collections.unmodifiableMap(t);
    }

    /** The matrix: its defaults, the names any front end may keep in the out folder, and its cases. */
    record Matrix(String reportType, Duration poll, Duration waitTimeout, Set<String> bookkeeping,
            List<JsonObject> cases) {
    }

    /** What an operation gave. */
    private static final class Got {
        String outcome;
        QccException error;
        String reportStatus;
        String orderNo;
        Report report;
        /** Every text the binding showed: messages and string forms, checked for the secret. */
        final List<String> shown = new ArrayList<>();

        static Got error(QccException e) {
            Got g = new Got();
            g.outcome = "error";
            g.error = e;
            g.shown.add(String.valueOf(e.getMessage()));
            g.shown.add(e.toString());
            g.shown.add(String.valueOf(e.getServerMessage()));
            g.shown.add(String.valueOf(e.getOrderNo()));
            return g;
        }

        static Got of(String outcome, Object result) {
            Got g = new Got();
            g.outcome = outcome;
            g.shown.add(String.valueOf(result));
            return g;
        }
    }

    /** A case's precondition failed (no sandbox, no order to work on): not an outcome. */
    private static final class Precondition extends Exception {
        private static final long serialVersionUID = 1L;

        Precondition(String message) {
            super(message);
        }
    }

    // ---- the matrix ----

    private static Path repoRoot() {
        return Path.of(System.getProperty("qcc.repo.root", "../.."));
    }

    /**
     * Reads a matrix, refusing another format or a version this runner does not know.
     *
     * @param text the file's text
     * @param source where it came from, for messages
     * @return the matrix
     * @throws IllegalStateException when the format or version is not this runner's
     */
    static Matrix parse(String text, String source) {
        JsonObject doc = JsonParser.parseString(text).getAsJsonObject();
        String format = doc.has("format") && doc.get("format").isJsonPrimitive() ? doc.get("format").getAsString() : null;
        if (!FORMAT.equals(format)) {
            throw new IllegalStateException(source + " has format " + format + ", not " + FORMAT);
        }
        JsonElement version = doc.get("version");
        if (version == null || !version.isJsonPrimitive() || !version.getAsJsonPrimitive().isNumber()
                || version.getAsLong() != VERSION || version.getAsDouble() != VERSION) {
            throw new IllegalStateException(source + " is version " + version + " of the fault matrix; this runner"
                    + " (bindings/java FaultMatrixTest) reads version " + VERSION + " only: update the runner");
        }
        JsonObject d = doc.has("defaults") ? doc.getAsJsonObject("defaults") : new JsonObject();
        Set<String> bookkeeping = new TreeSet<>();
        JsonElement b = doc.get("bookkeeping");
        if (b != null && !b.isJsonNull()) {
            if (!b.isJsonArray()) {
                throw new IllegalStateException(source + ": bookkeeping is a list of names in version " + VERSION);
            }
            for (JsonElement name : b.getAsJsonArray()) {
                bookkeeping.add(name.getAsString());
            }
        }
        List<JsonObject> cases = new ArrayList<>();
        for (JsonElement c : doc.getAsJsonArray("cases")) {
            cases.add(c.getAsJsonObject());
        }
        return new Matrix(text(d, "report_type").orElse("day"),
                Duration.ofMillis(number(d, "poll_ms").orElse(20L)),
                Duration.ofMillis(number(d, "wait_timeout_ms").orElse(20_000L)),
                Collections.unmodifiableSet(bookkeeping), cases);
    }

    private static Optional<String> text(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() ? Optional.empty() : Optional.of(e.getAsString());
    }

    private static Optional<Boolean> bool(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() ? Optional.empty() : Optional.of(e.getAsBoolean());
    }

    private static Optional<Long> number(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() ? Optional.empty() : Optional.of(e.getAsLong());
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsJsonObject();
    }

    // ---- the secret ----

    /** The leak scan's secret, else this run's own recognisable canary. */
    private static String secret() {
        String s = System.getenv("QCC_LEAK_SECRET");
        if (s != null && !s.isEmpty()) {
            return s;
        }
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        return "qcc-fm-canary-" + HexFormat.of().formatHex(b);
    }

    /** Where the leak scan wants this suite's files, if it is running. */
    private static Path scanDir() {
        String d = System.getenv("QCC_LEAK_SCAN_DIR");
        return d == null || d.isEmpty() ? null : Path.of(d).toAbsolutePath().normalize().resolve(LANGUAGE);
    }

    /**
     * The secret in a 0600 file for {@code --expected-secret-key-file}: in the JVM's temporary
     * folder, which must lie outside the scanned folder (the file is our input, not a leak).
     */
    private static Path writeKeyFile(String secret) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        String scan = System.getenv("QCC_LEAK_SCAN_DIR");
        if (scan != null && !scan.isEmpty() && tmp.startsWith(Path.of(scan).toAbsolutePath().normalize())) {
            throw new IllegalStateException("java.io.tmpdir (" + tmp + ") is inside QCC_LEAK_SCAN_DIR; the secret"
                    + " key file must not be scanned: run the JVM with another -Djava.io.tmpdir");
        }
        Path file = Files.createTempFile(tmp, "qcc-fm-key-", ".txt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        return file;
    }

    // ---- the files ----

    /** Names directly in {@code dir} (none when it does not exist). */
    private static Set<String> names(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names directly in {@code dir} besides the matrix's bookkeeping (the ledger and its lock). */
    private static Set<String> reportNames(Matrix m, Path dir) {
        Set<String> n = new TreeSet<>(names(dir));
        n.removeAll(m.bookkeeping());
        return n;
    }

    /** Every entry under {@code dir} that is not a folder (symbolic links included), sorted. */
    private static List<Path> allFiles(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    // ---- one case ----

    /** Runs a step's operation (a case's own, or one of its {@code steps}) through the public API. */
    private static Got operate(Matrix m, JsonObject c, RadarClient client, Path out) throws Precondition {
        JsonObject args = object(c, "args");
        String type = text(args, "report_type").orElse(m.reportType());
        Duration timeout = number(args, "timeout_ms").map(Duration::ofMillis).orElse(m.waitTimeout());
        boolean newOrder = bool(args, "new_order").orElse(false);
        String op = text(c, "operation").orElse("");
        try {
            switch (op) {
                case "fetch": {
                    FetchOptions options = FetchOptions.defaults().timeout(timeout).newOrder(newOrder);
                    Optional<Report> r = client.fetchReport(type, out, options);
                    return r.isPresent() ? report(r.get()) : Got.of("no_change", r);
                }
                case "create": {
                    Optional<String> o = client.createReport(type);
                    Got g = Got.of(o.isPresent() ? "ok" : "no_change", o);
                    g.orderNo = o.orElse(null);
                    return g;
                }
                case "status":
                case "wait":
                case "download":
                    break;
                default:
                    throw new Precondition("unknown operation " + op);
            }
        } catch (QccException e) {
            return Got.error(e);
        }
        String order = text(args, "order_no").orElseThrow(() -> new Precondition("no order_no argument"));
        if (order.equals("$created")) {
            Optional<String> created;
            try {
                created = client.createReport(type);
            } catch (QccException e) {
                throw new Precondition("the order to work on was not placed: " + e);
            }
            order = created.orElseThrow(() -> new Precondition("the order to work on was not placed: no change"));
        }
        try {
            if (op.equals("download")) {
                return report(client.downloadReport(order, out));
            }
            ReportInfo info = op.equals("status") ? client.reportInfo(order) : client.waitForReport(order, timeout);
            Got g = Got.of("ok", info);
            g.orderNo = order;
            g.reportStatus = info.status().letter();
            return g;
        } catch (QccException e) {
            return Got.error(e);
        }
    }

    private static Got report(Report r) {
        Got g = Got.of("ok", r);
        g.orderNo = r.orderNo();
        g.report = r;
        return g;
    }

    /** Compares what a step did with its expectations; returns every difference. */
    private static List<String> judge(Matrix m, JsonObject c, Got got, Long ordersPlaced, Path parent, Path out) {
        JsonObject x = object(c, "expect");
        List<String> bad = new ArrayList<>();
        String wantOutcome = text(x, "outcome").orElse("?");
        if (!wantOutcome.equals(got.outcome)) {
            bad.add("outcome " + got.outcome + (got.error == null ? "" : " (" + got.error + ")") + ", expected "
                    + wantOutcome);
        }
        String kind = got.error == null ? null : got.error.getKind().wireName();
        String wantKind = text(x, "kind").orElse(null);
        if (!Objects.equals(kind, wantKind)) {
            bad.add("kind " + kind + ", expected " + wantKind);
        }
        Long code = got.error == null || got.error.getCode() == null ? null : got.error.getCode().longValue();
        Long wantCode = number(x, "code").orElse(null);
        if (!Objects.equals(code, wantCode)) {
            bad.add("code " + code + ", expected " + wantCode);
        }
        Integer exit = got.error == null ? Integer.valueOf(0) : EXIT_STATUS.get(got.error.getKind());
        Long wantExit = number(x, "exit_status").orElse(null);
        if (exit == null || wantExit == null || exit.longValue() != wantExit) {
            bad.add("kind " + kind + " maps to exit status " + exit + " in DESIGN.md's table, the matrix says "
                    + wantExit);
        }
        Optional<Boolean> wantOrderNo = bool(x, "error_order_no");
        if (wantOrderNo.isPresent()) {
            String orderNo = got.error == null ? null : got.error.getOrderNo();
            if (got.error == null) {
                if (wantOrderNo.get()) {
                    bad.add("expected an error carrying an order number, and there was no error");
                }
            } else if (wantOrderNo.get() && (orderNo == null || orderNo.isEmpty())) {
                bad.add("the error carries no order number (getOrderNo() is null), expected one: " + got.error);
            } else if (!wantOrderNo.get() && orderNo != null) {
                bad.add("the error carries the order number " + orderNo + ", expected none");
            }
        }
        Optional<Long> wantOrders = number(x, "orders_placed");
        if (wantOrders.isPresent() && !wantOrders.get().equals(ordersPlaced)) {
            bad.add(ordersPlaced + " orders placed, expected " + wantOrders.get());
        }
        Optional<String> wantStatus = text(x, "report_status");
        if (wantStatus.isPresent() && !wantStatus.get().equals(got.reportStatus)) {
            bad.add("report status " + got.reportStatus + ", expected " + wantStatus.get());
        }
        Optional<String> prefix = text(x, "order_no_prefix");
        if (prefix.isPresent() && (got.orderNo == null || !got.orderNo.startsWith(prefix.get()))) {
            bad.add("order " + got.orderNo + ", expected a " + prefix.get() + "… number");
        }
        // Nothing may stand beside the out folder: an archive entry that escaped would land there.
        Set<String> beside = new TreeSet<>(names(parent));
        beside.remove("out");
        if (!beside.isEmpty()) {
            bad.add("written beside the out folder: " + beside);
        }
        String files = text(x, "files").orElse(null);
        if ("report".equals(files)) {
            Report r = got.report;
            if (r == null) {
                bad.add("no report on disk");
            } else {
                String order = r.orderNo();
                Set<String> want = new TreeSet<>(List.of(order + ".zip", order));
                if (!reportNames(m, out).equals(want)) {
                    bad.add("the out folder holds " + names(out) + ", expected " + want + " besides "
                            + m.bookkeeping());
                }
                if (!r.archive().equals(out.resolve(order + ".zip"))
                        || !Files.isRegularFile(r.archive(), LinkOption.NOFOLLOW_LINKS)) {
                    bad.add("archive " + r.archive() + ", expected the file " + out.resolve(order + ".zip"));
                }
                if (!r.folder().equals(out.resolve(order))
                        || !Files.isDirectory(r.folder(), LinkOption.NOFOLLOW_LINKS)) {
                    bad.add("folder " + r.folder() + ", expected the folder " + out.resolve(order));
                }
                List<Path> onDisk = allFiles(out.resolve(order));
                boolean allRegular = onDisk.stream().allMatch(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
                List<Path> returned = r.files().stream().sorted().collect(Collectors.toList());
                if (returned.isEmpty() || !returned.equals(onDisk) || !allRegular) {
                    bad.add("files " + returned + ", on disk " + onDisk);
                }
            }
        } else if ("none".equals(files) && !reportNames(m, out).isEmpty()) {
            bad.add("left on disk: " + reportNames(m, out));
        }
        return bad;
    }

    /**
     * The case's steps: its {@code steps}, or the case itself as one step (its own
     * {@code operation}, {@code args} and {@code expect}).
     */
    static List<JsonObject> steps(JsonObject c) {
        JsonElement s = c.get("steps");
        if (s == null || s.isJsonNull()) {
            if (!c.has("operation") || !c.has("expect")) {
                throw new IllegalStateException("the case has neither steps nor an operation and its expect");
            }
            return List.of(c);
        }
        if (c.has("operation")) {
            throw new IllegalStateException("the case has both steps and an operation of its own");
        }
        List<JsonObject> steps = new ArrayList<>();
        for (JsonElement e : s.getAsJsonArray()) {
            JsonObject step = e.getAsJsonObject();
            if (!step.has("operation") || !step.has("expect")) {
                throw new IllegalStateException("a step without an operation or an expect: " + step);
            }
            steps.add(step);
        }
        if (steps.isEmpty()) {
            throw new IllegalStateException("the case has an empty list of steps");
        }
        return steps;
    }

    /** Runs one case; returns its differences (empty when it passed). */
    private static List<String> runCase(Matrix m, JsonObject c, String secret, Path keyFile) throws IOException {
        String id = text(c, "id").orElseThrow();
        JsonObject spec = object(c, "sandbox");
        Optional<String> caseUrl = text(c, "base_url");
        if (spec == null && caseUrl.isEmpty()) {
            return List.of("the case names neither a sandbox nor a base_url");
        }
        Path scan = scanDir();
        Path parent;
        if (scan != null) {
            parent = scan.resolve(id);
            deleteTree(parent);
            Files.createDirectories(parent);
        } else {
            parent = Files.createTempDirectory("qcc-fm-" + id + "-");
        }
        parent = parent.toAbsolutePath();
        Path out = parent.resolve("out");
        List<JsonObject> steps;
        try {
            steps = steps(c);
        } catch (IllegalStateException e) {
            return List.of(e.getMessage());
        }
        // setup.ledger: the out folder with that ledger text, before the sandbox starts (so no
        // failure here leaves a sandbox running).
        JsonObject setup = object(c, "setup");
        Optional<String> ledger = text(setup, "ledger");
        if (ledger.isPresent()) {
            Files.createDirectories(out);
            Files.writeString(out.resolve(LEDGER_FILE), ledger.get(), StandardCharsets.UTF_8);
        }
        List<String> bad = new ArrayList<>();
        Sandbox sb = null;
        if (spec != null) {
            Sandbox.Options o = new Sandbox.Options(text(spec, "scenario").orElseThrow(
                    () -> new IllegalStateException(id + ": a sandbox without a scenario")))
                    .expectedSecretKeyFile(keyFile);
            number(spec, "polls_until_ready").ifPresent(o::pollsUntilReady);
            number(spec, "slow_ready_after_ms").map(Duration::ofMillis).ifPresent(o::slowReadyAfter);
            number(spec, "link_ttl_ms").map(Duration::ofMillis).ifPresent(o::linkTtl);
            number(spec, "large_bytes").ifPresent(o::largeBytes);
            try {
                sb = Sandbox.start(o);
            } catch (IllegalStateException e) {
                return List.of("the sandbox did not start: " + e.getMessage());
            }
            if (!sb.secretKey.equals(secret)) {
                bad.add("the sandbox does not expect the suite's secret (--expected-secret-key-file not honoured)");
            }
        }
        int judged = 0;
        List<String> shown = new ArrayList<>();
        try {
            RadarClientBuilder builder = RadarClient.builder()
                    .appKey(sb == null ? APP_KEY : sb.appKey)
                    .secretKey(secret)
                    .baseUrl(caseUrl.isPresent() ? caseUrl.get() : sb.baseUrl)
                    .pollInterval(m.poll())
                    .waitTimeout(m.waitTimeout());
            shown.add(builder.toString());
            try (RadarClient client = builder.build()) {
                shown.add(client.toString());
                for (int i = 0; i < steps.size(); i++) {
                    JsonObject step = steps.get(i);
                    String prefix = steps.size() > 1 ? "step " + (i + 1) + " (" + text(step, "operation").orElse("?")
                            + "): " : "";
                    Got got;
                    try {
                        got = operate(m, step, client, out);
                    } catch (Precondition p) {
                        bad.add(prefix + p.getMessage());
                        break;
                    }
                    shown.addAll(got.shown);
                    Long ordersPlaced = null;
                    if (sb != null) {
                        try {
                            ordersPlaced = sb.record().ordersPlaced();
                        } catch (IllegalStateException e) {
                            bad.add(prefix + e.getMessage());
                        }
                    }
                    for (String d : judge(m, step, got, ordersPlaced, parent, out)) {
                        bad.add(prefix + d);
                    }
                    judged++;
                }
            } catch (QccException e) {
                // operate() turns the operation's own errors into outcomes: this is build() or close().
                bad.add("the client did not build or close: " + e);
                shown.add(e.toString());
            } catch (RuntimeException e) {
                bad.add("threw " + e + " rather than a QccException or a result");
                shown.add(e.toString());
            }
        } finally {
            if (sb != null) {
                try {
                    sb.stop();
                } catch (IllegalStateException e) {
                    bad.add(e.getMessage());
                }
            }
        }
        if (judged != steps.size() && bad.isEmpty()) {
            bad.add(judged + " of " + steps.size() + " step(s) judged");
        }
        for (String s : shown) {
            if (s.contains(secret)) {
                bad.add("the binding showed the secret in: " + s);
            }
        }
        byte[] plain = secret.getBytes(StandardCharsets.UTF_8);
        byte[] b64 = Base64.getEncoder().withoutPadding().encodeToString(plain).getBytes(StandardCharsets.US_ASCII);
        for (Path f : allFiles(parent)) {
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                byte[] bytes = Files.readAllBytes(f);
                if (contains(bytes, plain) || contains(bytes, b64)) {
                    bad.add(f + " holds the secret");
                }
            }
        }
        if (scan != null) {
            Files.write(scan.resolve(id + ".out"), shown, StandardCharsets.UTF_8);
        } else {
            deleteTree(parent);
        }
        return bad;
    }

    /**
     * The case's differences, waiting until it has run for {@link #CASE_LIMIT} (counted from
     * when it started: a queued case is not late).
     */
    private static List<String> within(Future<List<String>> f, Supplier<Long> startedAt)
            throws TimeoutException, ExecutionException, InterruptedException {
        while (true) {
            try {
                return f.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException notYet) {
                Long t = startedAt.get();
                if (t != null && System.nanoTime() - t > CASE_LIMIT.toNanos()) {
                    throw notYet;
                }
            }
        }
    }

    // ---- the tests ----

    @Test
    void refusesAnotherFormatOrAnUnknownVersion() {
        for (int version : new int[] {1, 3}) {
            IllegalStateException v = assertThrows(IllegalStateException.class, () -> parse(
                    "{\"format\": \"qcc-radar-fault-matrix\", \"version\": " + version + ", \"cases\": []}", "m.json"));
            assertTrue(v.getMessage().contains("version " + version) && v.getMessage().contains("reads version 2 only"),
                    v.getMessage());
        }
        IllegalStateException f = assertThrows(IllegalStateException.class,
                () -> parse("{\"format\": \"something-else\", \"version\": 2, \"cases\": []}", "m.json"));
        assertTrue(f.getMessage().contains("something-else"), f.getMessage());
        Matrix ok = parse("{\"format\": \"qcc-radar-fault-matrix\", \"version\": 2, \"future_field\": 1,"
                + " \"defaults\": {\"poll_ms\": 7}, \"bookkeeping\": [\"a\", \".b\"], \"cases\": []}", "m.json");
        assertEquals(Duration.ofMillis(7), ok.poll(), "known fields are read, unknown ones ignored");
        assertEquals(Set.of("a", ".b"), ok.bookkeeping());
        assertThrows(IllegalStateException.class, () -> parse("{\"format\": \"qcc-radar-fault-matrix\", \"version\": 2,"
                + " \"bookkeeping\": {\"cli\": [\"a\"]}, \"cases\": []}", "m.json"), "version 1's bookkeeping object");
    }

    @Test
    void aCaseIsOneStepOrAListOfSteps() {
        JsonObject one = JsonParser.parseString("{\"id\": \"x\", \"operation\": \"fetch\", \"args\": {},"
                + " \"expect\": {\"outcome\": \"ok\"}}").getAsJsonObject();
        assertEquals(List.of(one), steps(one));
        JsonObject two = JsonParser.parseString("{\"id\": \"y\", \"steps\": ["
                + "{\"operation\": \"fetch\", \"args\": {}, \"expect\": {}},"
                + "{\"operation\": \"fetch\", \"args\": {\"new_order\": true}, \"expect\": {}}]}").getAsJsonObject();
        assertEquals(2, steps(two).size());
        assertTrue(steps(two).get(1).getAsJsonObject("args").get("new_order").getAsBoolean());
        assertThrows(IllegalStateException.class, () -> steps(JsonParser.parseString(
                "{\"id\": \"z\", \"steps\": []}").getAsJsonObject()));
        assertThrows(IllegalStateException.class, () -> steps(JsonParser.parseString(
                "{\"id\": \"z\", \"operation\": \"fetch\", \"expect\": {}, \"steps\": [{\"operation\": \"fetch\","
                        + " \"expect\": {}}]}").getAsJsonObject()));
        assertThrows(IllegalStateException.class, () -> steps(JsonParser.parseString("{\"id\": \"z\"}").getAsJsonObject()));
    }

    @Test
    void everyCaseOfTheFaultMatrix() throws Exception {
        // -Dqcc.fault.matrix=PATH reads a changed copy instead, to see the runner catch a difference.
        String other = System.getProperty("qcc.fault.matrix");
        Path file = other == null || other.isBlank() ? repoRoot().resolve("tests/fault-matrix.json") : Path.of(other);
        Matrix m = parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        Map<String, JsonObject> cases = new LinkedHashMap<>();
        for (JsonObject c : m.cases()) {
            String id = text(c, "id").orElseThrow(() -> new IllegalStateException("a case without an id"));
            assertTrue(id.matches("[a-z0-9_]+"), "a case id is snake_case (it names a folder): " + id);
            assertTrue(cases.put(id, c) == null, "case ids are unique: " + id);
        }
        assertTrue(cases.size() >= 30, "the matrix holds its cases: " + cases.size());
        assertTrue(cases.values().stream().anyMatch(c -> c.has("steps")) && !m.bookkeeping().isEmpty(),
                "a version 2 matrix has multi-step cases and a bookkeeping list");
        String onlyVar = System.getenv("QCC_FAULT_MATRIX_ONLY");
        if (onlyVar != null && !onlyVar.isBlank()) {
            Set<String> only = new LinkedHashSet<>();
            for (String s : onlyVar.split(",")) {
                if (!s.isBlank()) {
                    only.add(s.trim());
                }
            }
            Set<String> unknown = new TreeSet<>(only);
            unknown.removeAll(cases.keySet());
            assertTrue(unknown.isEmpty(), "QCC_FAULT_MATRIX_ONLY names cases the matrix lacks: " + unknown);
            cases.keySet().retainAll(only);
        }

        String secret = secret();
        Path keyFile = writeKeyFile(secret);
        Path scan = scanDir();
        if (scan != null) {
            Files.createDirectories(scan);
        }
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> started = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            Map<String, Future<List<String>>> running = new LinkedHashMap<>();
            for (Map.Entry<String, JsonObject> e : cases.entrySet()) {
                running.put(e.getKey(), pool.submit(() -> {
                    started.put(e.getKey(), System.nanoTime());
                    List<String> bad = runCase(m, e.getValue(), secret, keyFile);
                    System.out.printf("%-28s %s%n", e.getKey(), bad.isEmpty() ? "ok" : "FAILED");
                    return bad;
                }));
            }
            for (Map.Entry<String, Future<List<String>>> e : running.entrySet()) {
                List<String> bad;
                try {
                    bad = within(e.getValue(), () -> started.get(e.getKey()));
                } catch (TimeoutException t) {
                    // Interrupting the case's thread cancels its blocking call; its sandbox still stops.
                    e.getValue().cancel(true);
                    bad = List.of("did not finish within " + CASE_LIMIT.toSeconds() + " s");
                    System.out.printf("%-28s %s%n", e.getKey(), "FAILED");
                } catch (ExecutionException x) {
                    bad = List.of("the runner failed: " + x.getCause());
                    System.out.printf("%-28s %s%n", e.getKey(), "FAILED");
                }
                for (String b : bad) {
                    failures.add(e.getKey() + ": " + b.replace(secret, "<SECRET>"));
                }
            }
        } finally {
            pool.shutdownNow();
            Files.deleteIfExists(keyFile);
        }
        System.out.printf("fault matrix (java): %d case(s), %d difference(s)%n", cases.size(), failures.size());
        assertTrue(failures.isEmpty(), failures.size() + " difference(s) from " + file + ":\n"
                + String.join("\n", failures));
    }
}
