package org.campusedge.sync.center.query;

import java.util.List;

/**
 * CSV text by RFC 4180: fields with a comma, quote, CR or LF are quoted, quotes doubled; lines end
 * in CRLF. A field starting with {@code = + - @} is prefixed with a quote mark, so a spreadsheet
 * opening the file never runs a school name or payload as a formula (OWASP "CSV injection").
 * Not thread-safe: one writer per answer. Also used by the edge agent for its events export.
 */
public final class Csv {

    /** The UTF-8 byte order mark, which spreadsheet programs need to read Chinese text as UTF-8. */
    public static final String BOM = "\uFEFF";

    private final StringBuilder out = new StringBuilder(4096);

    public Csv line(List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            field(fields.get(i) == null ? "" : fields.get(i).toString());
        }
        out.append("\r\n");
        return this;
    }

    private void field(String text) {
        String value = !text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 && !isNumber(text) ? "'" + text : text;
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            out.append(value);
            return;
        }
        out.append('"').append(value.replace("\"", "\"\"")).append('"');
    }

    private static boolean isNumber(String text) {
        return text.matches("-?\\d+(\\.\\d+)?");
    }

    public String text() {
        return out.toString();
    }
}
