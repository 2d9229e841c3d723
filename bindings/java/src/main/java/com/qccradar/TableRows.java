package com.qccradar;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.AbstractList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * The rows of a table read from a report, kept as the native library handed them over: one
 * primitive array per column ({@code bindings/java/src/tables.rs}), boxed only when a row is read.
 * A 200,000-row table thus crosses JNI as a few bulk copies rather than a call per cell, and
 * holds a {@code long} per integer rather than a {@code Long}.
 */
final class TableRows extends AbstractList<Map<String, Object>> implements RandomAccess {
    private static final byte TEXT = 0;
    private static final byte INT = 1;
    private static final byte FLOAT = 2;
    private static final byte BOOL = 3;
    private static final byte DATE = 4;
    private static final byte DATE_TIME = 5;

    private final String[] names;
    private final byte[] kinds;
    /** Per column: {@code String[]}, {@code long[]}, {@code double[]}, {@code boolean[]} or {@code int[]}. */
    private final Object[] values;
    /** Per column: which rows hold a value, or null when all do. */
    private final boolean[][] valid;
    private final int size;

    private TableRows(String[] names, byte[] kinds, Object[] values, boolean[][] valid, int size) {
        this.names = names;
        this.kinds = kinds;
        this.values = values;
        this.valid = valid;
        this.size = size;
    }

    /** Decodes one table of the native payload: {@code {name, String[] columns, byte[] kinds, int[] {rows}, Object[] data}}. */
    static Table fromNative(Object payload) {
        Object[] t = (Object[]) payload;
        String name = (String) t[0];
        String[] names = (String[]) t[1];
        byte[] kinds = (byte[]) t[2];
        int size = ((int[]) t[3])[0];
        Object[] data = (Object[]) t[4];
        Object[] values = new Object[names.length];
        boolean[][] valid = new boolean[names.length][];
        for (int c = 0; c < names.length; c++) {
            Object[] column = (Object[]) data[c];
            values[c] = kinds[c] == TEXT ? text((byte[]) column[0], (int[]) column[1], size) : column[0];
            valid[c] = (boolean[]) column[2];
        }
        return new Table(name, List.of(names), new TableRows(names, kinds, values, valid, size));
    }

    /** UTF-8 strings laid end to end, split at {@code offsets} (rows + 1 of them). */
    private static String[] text(byte[] bytes, int[] offsets, int size) {
        String[] out = new String[size];
        for (int r = 0; r < size; r++) {
            out[r] = new String(bytes, offsets[r], offsets[r + 1] - offsets[r], StandardCharsets.UTF_8);
        }
        return out;
    }

    private Object value(int c, int r) {
        if (valid[c] != null && !valid[c][r]) {
            return null;
        }
        Object v = values[c];
        switch (kinds[c]) {
            case INT:
                return ((long[]) v)[r];
            case FLOAT:
                return ((double[]) v)[r];
            case BOOL:
                return ((boolean[]) v)[r];
            case DATE:
                return LocalDate.ofEpochDay(((int[]) v)[r]);
            case DATE_TIME:
                long ms = ((long[]) v)[r];
                return LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000L),
                        (int) Math.floorMod(ms, 1000L) * 1_000_000, ZoneOffset.UTC);
            default:
                return ((String[]) v)[r];
        }
    }

    @Override
    public Map<String, Object> get(int row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size);
        }
        Map<String, Object> map = new LinkedHashMap<>((int) (names.length / 0.75f) + 1);
        for (int c = 0; c < names.length; c++) {
            map.put(names[c], value(c, row));
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public int size() {
        return size;
    }
}
