package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link RadarClient#sign} against the vectors every binding checks: tests/vectors/signing.json. */
class SigningVectorsTest {
    static Path repoRoot() {
        return Path.of(System.getProperty("qcc.repo.root", "../.."));
    }

    @Test
    void everySharedVectorMatches() throws IOException {
        Path file = repoRoot().resolve("tests/vectors/signing.json");
        JsonObject doc = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        int checked = 0;
        for (JsonElement c : doc.getAsJsonArray("cases")) {
            JsonObject v = c.getAsJsonObject();
            String note = v.has("note") ? v.get("note").getAsString() : "";
            assertEquals(v.get("token").getAsString(),
                    RadarClient.sign(v.get("app_key").getAsString(), v.get("timespan").getAsLong(),
                            v.get("secret_key").getAsString()),
                    note);
            checked++;
        }
        assertTrue(checked >= 5, "read the vectors: " + checked);
    }

    @Test
    void theDocumentedExample() {
        assertEquals("F82D2EC0DA9D602FB2F633CEBEBDE66E", RadarClient.sign("key", 1700000000L, "secret"));
    }
}
