package org.campusedge.sync.downlink;

/**
 * A line of a cards CSV could not be used; the message names the source, line and, where one
 * cell is at fault, the column: {@code cards.csv:3: column 4 (valid_from): must be a date...}.
 */
public final class CardsCsvException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final String column;

    public CardsCsvException(String source, int line, String column, int columnNumber, String reason) {
        super(source + ":" + line + ": " + (column == null ? "" : "column " + columnNumber + " (" + column + "): ") + reason);
        this.line = line;
        this.column = column;
    }

    /** The 1-based line at fault. */
    public int line() {
        return line;
    }

    /** The column at fault, by header name; null when the whole line is. */
    public String column() {
        return column;
    }
}
