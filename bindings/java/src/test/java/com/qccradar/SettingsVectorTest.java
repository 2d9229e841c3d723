package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared settings vector ({@code tests/settings.json}), run through the public API: every
 * case's settings go to the {@link RadarClientBuilder} method of the setting's {@code java}
 * spelling ({@code {"seconds": x}} as a {@link Duration}), {@code fetch} cases to
 * {@link RadarClient#fetchReport(ReportType, Path, FetchOptions)} with {@link FetchOptions};
 * an expected error must be a {@link ErrorKind#CONFIG} {@link QccException} with exactly the
 * vector's message, each {@code {name}} replaced by its Java spelling, and a case without one
 * must build. The Java types cannot express some values (2.5 attempts for an {@code int}): such
 * a case is skipped, and counted, as the vector allows. Every difference is collected and the
 * test fails at the end listing them all; the summary line
 * {@code settings vector (java): N case(s), S skipped, 0 difference(s)} is printed either way.
 *
 * <p>It also holds the builder to the table: every {@code java} spelling in the vector's
 * header has a method of that name ({@link RadarClientBuilder} for client settings,
 * {@link FetchOptions} for fetch options), so a setting added to the client cannot be missing
 * in Java.
 */
class SettingsVectorTest {
    @TempDir
    Path out;

    /** A setting of the vector's header. */
    record Setting(String name, String java, String scope, String unit) {
    }

    /** The vector: its header by canonical name, the base settings and the cases. */
    record Vector(Map<String, Setting> settings, JsonObject base, List<JsonObject> cases) {
    }

    /** A case this binding's types cannot express. */
    private static final class Skip extends Exception {
        private static final long serialVersionUID = 1L;

        Skip(String why) {
            super(why);
        }
    }

    static Vector vector() throws IOException {
        Path file = Path.of(System.getProperty("qcc.repo.root", "../..")).resolve("tests/settings.json");
        JsonObject doc = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (JsonElement e : doc.getAsJsonArray("settings")) {
            JsonObject s = e.getAsJsonObject();
            settings.put(s.get("name").getAsString(), new Setting(s.get("name").getAsString(),
                    s.get("java").getAsString(), s.get("scope").getAsString(), s.get("unit").getAsString()));
        }
        List<JsonObject> cases = new ArrayList<>();
        for (JsonElement c : doc.getAsJsonArray("cases")) {
            cases.add(c.getAsJsonObject());
        }
        return new Vector(settings, doc.getAsJsonObject("base"), cases);
    }

    /** The public one-argument method {@code name} of {@code type}. */
    private static Optional<Method> method(Class<?> type, String name) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name) && m.getParameterCount() == 1
                        && !Modifier.isStatic(m.getModifiers()) && m.getReturnType() == type)
                .findFirst();
    }

    /** A vector value as the Java type {@code type} holds it. */
    private static Object javaValue(Class<?> type, JsonElement v) throws Skip {
        if (v.isJsonObject()) {
            double secs = v.getAsJsonObject().get("seconds").getAsDouble();
            if (type != Duration.class) {
                throw new IllegalStateException("a time for a " + type);
            }
            return Duration.ofNanos(Math.round(secs * 1e9));
        }
        JsonPrimitive p = v.getAsJsonPrimitive();
        if (type == String.class) {
            return p.getAsString();
        }
        if (type == Path.class) {
            return Path.of(p.getAsString());
        }
        if (type == boolean.class) {
            return p.getAsBoolean();
        }
        if (type == double.class) {
            return p.getAsDouble();
        }
        double n = p.getAsDouble();
        if (n != Math.rint(n)) {
            throw new Skip(n + " is no " + type);
        }
        if (type == int.class) {
            return (int) n;
        }
        if (type == long.class) {
            return (long) n;
        }
        throw new IllegalStateException("no conversion to " + type);
    }

    /** Calls the builder method of {@code setting} with {@code value}. */
    private static void apply(RadarClientBuilder b, Setting setting, JsonElement value) throws Skip {
        Method m = method(RadarClientBuilder.class, setting.java())
                .orElseThrow(() -> new IllegalStateException("RadarClientBuilder has no " + setting.java()));
        Object arg = javaValue(m.getParameterTypes()[0], value);
        try {
            m.invoke(b, arg);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static RadarClientBuilder base(Vector v) throws Skip {
        RadarClientBuilder b = RadarClient.builder();
        for (Map.Entry<String, JsonElement> e : v.base().entrySet()) {
            apply(b, v.settings().get(e.getKey()), e.getValue());
        }
        return b;
    }

    private static FetchOptions fetchOptions(Vector v, JsonObject fetch) throws Skip {
        FetchOptions o = FetchOptions.defaults();
        for (Map.Entry<String, JsonElement> e : fetch.entrySet()) {
            Setting s = v.settings().get(e.getKey());
            Method m = method(FetchOptions.class, s.java())
                    .orElseThrow(() -> new IllegalStateException("FetchOptions has no " + s.java()));
            try {
                o = (FetchOptions) m.invoke(o, javaValue(m.getParameterTypes()[0], e.getValue()));
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return o;
    }

    /** The vector's message with each {@code {name}} in Java's spelling. */
    private static String expected(Vector v, String message) {
        String m = message;
        for (Setting s : v.settings().values()) {
            m = m.replace("{" + s.name() + "}", s.java());
        }
        return m;
    }

    /** Runs one case; returns its difference, or null. */
    private String run(Vector v, JsonObject c) throws Skip, IOException {
        String error = c.has("error") ? expected(v, c.get("error").getAsString()) : null;
        QccException got = null;
        try {
            if (c.has("fetch")) {
                FetchOptions options = fetchOptions(v, c.getAsJsonObject("fetch"));
                try (RadarClient client = base(v).build()) {
                    Path dir = Files.createTempDirectory(out, "fetch");
                    client.fetchReport(ReportType.DAY, dir, options);
                }
            } else {
                RadarClientBuilder b = base(v);
                JsonObject settings = c.getAsJsonObject("settings");
                for (Map.Entry<String, JsonElement> e : settings.entrySet()) {
                    apply(b, v.settings().get(e.getKey()), e.getValue());
                }
                b.build().close();
            }
        } catch (QccException e) {
            got = e;
        }
        if (error == null) {
            return got == null ? null : "expected success, got " + got.getKind() + ": " + got.getMessage();
        }
        if (got == null) {
            return "expected CONFIG \"" + error + "\", got success";
        }
        if (got.getKind() != ErrorKind.CONFIG || !error.equals(got.getMessage())) {
            return "expected CONFIG \"" + error + "\", got " + got.getKind() + " \"" + got.getMessage() + "\"";
        }
        return null;
    }

    @Test
    void everyCaseOfTheSharedVector() throws Exception {
        Vector v = vector();
        List<String> differences = new ArrayList<>();
        int skipped = 0;
        for (JsonObject c : v.cases()) {
            String name = c.get("name").getAsString();
            try {
                String difference = run(v, c);
                if (difference != null) {
                    differences.add(name + ": " + difference);
                }
            } catch (Skip s) {
                skipped++;
                System.out.println("settings vector (java): skipped \"" + name + "\": " + s.getMessage());
            }
        }
        System.out.println("settings vector (java): " + v.cases().size() + " case(s), " + skipped + " skipped, "
                + differences.size() + " difference(s)");
        assertTrue(differences.isEmpty(), () -> String.join("\n", differences));
        assertTrue(v.cases().size() - skipped >= 30, "most cases run in Java");
    }

    @Test
    void everyJavaSpellingIsAMethod() throws Exception {
        Vector v = vector();
        assertFalse(v.settings().isEmpty());
        List<String> missing = new ArrayList<>();
        for (Setting s : v.settings().values()) {
            Class<?> owner = "fetch".equals(s.scope()) ? FetchOptions.class : RadarClientBuilder.class;
            if (method(owner, s.java()).isEmpty()) {
                missing.add(owner.getSimpleName() + "." + s.java() + " (" + s.name() + ")");
            }
            if ("duration".equals(s.unit())) {
                method(owner, s.java()).ifPresent(m -> assertEquals(Duration.class, m.getParameterTypes()[0],
                        () -> m + " takes a Duration"));
            }
        }
        assertTrue(missing.isEmpty(), () -> "settings of the table without a Java method: " + missing);
    }

    @Test
    void settingsByNameTakeTextWithUnits() throws Exception {
        Vector v = vector();
        RadarClientBuilder b = base(v).set("requestTimeout", "1500ms").set("max_attempts", "3")
                .set("maxArchiveBytes", "10MiB").set("clockSkewCorrection", "off").set("pollInitial", "1s")
                .set("pollMax", "2m");
        b.build().close();
        QccException e = Expect.kind(ErrorKind.CONFIG, () -> base(v).set("pollInitial", "5s").set("pollMax", "1s")
                .build());
        assertEquals("pollMax must not be smaller than pollInitial", e.getMessage());
        e = Expect.kind(ErrorKind.CONFIG, () -> base(v).set("requestTimeout", "soon").build());
        assertEquals("requestTimeout must be a finite duration of 0 or more", e.getMessage());
        e = Expect.kind(ErrorKind.CONFIG, () -> base(v).set("requestTimout", "1s").build());
        assertTrue(e.getMessage().startsWith("unknown setting \"requestTimout\"; the settings are: appKey, secretKey,"),
                e.getMessage());
        // Null forgets what was given, so the default applies again.
        base(v).set("requestTimeout", "0s").set("requestTimeout", null).build().close();
        base(v).requestTimeout(Duration.ZERO).requestTimeout(null).build().close();
    }

    @Test
    void conveniencesSetTheSameNames() throws Exception {
        Vector v = vector();
        QccException e = Expect.kind(ErrorKind.CONFIG,
                () -> base(v).pollSchedule(Duration.ofSeconds(5), 2, Duration.ofSeconds(1)).build());
        assertEquals("pollMax must not be smaller than pollInitial", e.getMessage());
        e = Expect.kind(ErrorKind.CONFIG,
                () -> base(v).retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build());
        assertEquals("retryCap must not be smaller than retryBase", e.getMessage());
        e = Expect.kind(ErrorKind.CONFIG, () -> base(v).pollInterval(Duration.ZERO).build());
        assertEquals("pollInitial must be more than 0", e.getMessage());
        base(v).pollInterval(Duration.ofMillis(50)).retryBudget(Duration.ofSeconds(5)).build().close();
    }
}
