package com.qccradar;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings as name/value pairs, in the order they were given, for the native library to map
 * through the client's one settings table ({@code bindings/java/src/options.rs}).
 *
 * <p>Nothing is checked here: the native side parses every value and applies every rule, with
 * the same messages as the other languages. A time travels as its milliseconds (fractions
 * kept), a count or fraction as a number, a flag as a flag, and text as text (which may carry a
 * unit, {@code "1500ms"}). Setting a name again adds a pair; the last one wins. Setting it to
 * null removes its pairs, so it falls back to its default.
 */
final class NamedValues {
    static final byte TEXT = 0;
    static final byte NUMBER = 1;
    static final byte FLAG = 2;

    private record Pair(String name, byte kind, String text, double number) {
    }

    private final List<Pair> pairs = new ArrayList<>();

    /** Records text; null removes the name's pairs. */
    NamedValues text(String name, String value) {
        if (value == null) {
            return remove(name);
        }
        pairs.add(new Pair(name, TEXT, value, 0));
        return this;
    }

    /** Records a number. */
    NamedValues number(String name, double value) {
        pairs.add(new Pair(name, NUMBER, null, value));
        return this;
    }

    /** Records a flag. */
    NamedValues flag(String name, boolean value) {
        pairs.add(new Pair(name, FLAG, null, value ? 1 : 0));
        return this;
    }

    /** Records a time as milliseconds; null removes the name's pairs. */
    NamedValues duration(String name, Duration value) {
        if (value == null) {
            return remove(name);
        }
        return number(name, millis(value));
    }

    /** Forgets every pair of {@code name}. */
    NamedValues remove(String name) {
        pairs.removeIf(p -> p.name.equals(name));
        return this;
    }

    /** The last text given for {@code name}, or null. */
    String lastText(String name) {
        for (int i = pairs.size() - 1; i >= 0; i--) {
            Pair p = pairs.get(i);
            if (p.name.equals(name)) {
                return p.kind == TEXT ? p.text : null;
            }
        }
        return null;
    }

    /** Whether {@code name} has a pair. */
    boolean has(String name) {
        return pairs.stream().anyMatch(p -> p.name.equals(name));
    }

    /** A copy, so a built client does not change with its builder. */
    NamedValues copy() {
        NamedValues c = new NamedValues();
        c.pairs.addAll(pairs);
        return c;
    }

    String[] names() {
        return pairs.stream().map(Pair::name).toArray(String[]::new);
    }

    byte[] kinds() {
        byte[] k = new byte[pairs.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = pairs.get(i).kind;
        }
        return k;
    }

    String[] texts() {
        return pairs.stream().map(Pair::text).toArray(String[]::new);
    }

    double[] numbers() {
        return pairs.stream().mapToDouble(Pair::number).toArray();
    }

    /**
     * A duration in milliseconds as a double: exact to the nanosecond for any time a setting
     * could sensibly hold, never overflowing (unlike {@link Duration#toMillis()}), negative for a
     * negative duration (which the native side refuses, naming the setting).
     */
    static double millis(Duration d) {
        return d.getSeconds() * 1000.0 + d.getNano() / 1_000_000.0;
    }
}
