package com.qccradar;

/** Where a report's generation stands. */
public enum ReportStatus {
    /** {@code P}: still being made. */
    PENDING("P"),
    /** {@code S}: made; the link is ready. */
    SUCCEEDED("S"),
    /** {@code F}: making it failed. */
    FAILED("F");

    private final String letter;

    ReportStatus(String letter) {
        this.letter = letter;
    }

    /**
     * The API's letter.
     *
     * @return {@code "P"}, {@code "S"} or {@code "F"}
     */
    public String letter() {
        return letter;
    }

    /** The status for a letter the native library produced. */
    static ReportStatus fromLetter(String letter) {
        for (ReportStatus s : values()) {
            if (s.letter.equals(letter)) {
                return s;
            }
        }
        throw new QccException(ErrorKind.INTERNAL, "unknown report status from the native library: " + letter);
    }
}
