package com.qccradar;

/** Which digest to order. */
public enum ReportType {
    /** The daily report ({@code day}). */
    DAY("day"),
    /** The weekly report ({@code week}). */
    WEEK("week"),
    /** The monthly report ({@code month}). */
    MONTH("month");

    private final String apiName;

    ReportType(String apiName) {
        this.apiName = apiName;
    }

    /**
     * The API's spelling.
     *
     * @return {@code "day"}, {@code "week"} or {@code "month"}
     */
    public String apiName() {
        return apiName;
    }

    /** The type for a name the native library produced; null for null. */
    static ReportType fromApiName(String name) {
        if (name == null) {
            return null;
        }
        for (ReportType t : values()) {
            if (t.apiName.equals(name)) {
                return t;
            }
        }
        throw new QccException(ErrorKind.INTERNAL, "unknown report type from the native library: " + name);
    }

    @Override
    public String toString() {
        return apiName;
    }
}
