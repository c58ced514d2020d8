package org.campusedge.sync.downlink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads a cards CSV as exported from a school's card system, the one format for the box's
 * {@code cards import} and the data center's {@code downlink import --cards}:
 *
 * <pre>
 * card_id,person,rooms,valid_from,valid_until,groups
 * 0A00D6E3F2,S2024-0117,studio-1;robotics-1,2026-09-01,2027-07-15,grade-8;media-club
 * 1F00A4B2C3,T-0042,*,,,staff
 * 2B00C1D2E3,S2024-0388,,,,grade-8
 * </pre>
 *
 * {@code rooms} lists room ids separated by ';' or '*' for all rooms; dates are optional ISO
 * dates; {@code groups} (an optional column) lists the holder's groups separated by ';'.
 * {@code rooms} may be empty when {@code groups} is not. Lines starting with '#' and blank lines
 * are skipped. Every error names the line and, where one cell is wrong, its column; a file with
 * an error yields nothing.
 */
public final class CardsCsv {

    /** One card of the file. */
    public record Row(String cardId, CardGrant grant) {
    }

    private static final List<String> HEADER = List.of("card_id", "person", "rooms", "valid_from", "valid_until");
    private static final List<String> HEADER_WITH_GROUPS =
            List.of("card_id", "person", "rooms", "valid_from", "valid_until", "groups");

    private CardsCsv() {
    }

    /**
     * @param knownRoom which room ids the reader accepts (the box's configured rooms); the center,
     *                  which does not know a box's rooms, accepts any
     */
    public static List<Row> read(Reader in, String source, Predicate<String> knownRoom, String knownRoomsHint)
            throws IOException, CardsCsvException {
        BufferedReader r = new BufferedReader(in);
        List<Row> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String line;
        int n = 0;
        boolean headerSeen = false;
        List<String> header = HEADER;
        while ((line = r.readLine()) != null) {
            n++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            List<String> cells = Arrays.stream(trimmed.split(",", -1)).map(String::strip).toList();
            if (!headerSeen) {
                headerSeen = true;
                if (cells.equals(HEADER_WITH_GROUPS)) {
                    header = HEADER_WITH_GROUPS;
                } else if (!cells.equals(HEADER)) {
                    throw new CardsCsvException(source, n, null, 0, "the first line must be the header " + String.join(",", HEADER)
                            + " or " + String.join(",", HEADER_WITH_GROUPS));
                }
                continue;
            }
            if (cells.size() != header.size()) {
                throw new CardsCsvException(source, n, null, 0, "expected " + header.size() + " columns, found " + cells.size());
            }
            Row row = row(cells, source, n, knownRoom, knownRoomsHint);
            if (!seen.add(row.cardId())) {
                throw new CardsCsvException(source, n, "card_id", 1, "card " + row.cardId() + " appears twice");
            }
            out.add(row);
        }
        if (!headerSeen) {
            throw new CardsCsvException(source, Math.max(n, 1), null, 0, "the file is empty (expected a header "
                    + String.join(",", HEADER) + ")");
        }
        return out;
    }

    private static Row row(List<String> cells, String source, int n, Predicate<String> knownRoom, String hint)
            throws CardsCsvException {
        String card = CardGrant.normaliseCardId(cells.get(0));
        if (!CardGrant.CARD_ID.matcher(card).matches()) {
            throw new CardsCsvException(source, n, "card_id", 1, "card_id must be 4-32 hex digits or a decimal card number, got \""
                    + cells.get(0) + "\"");
        }
        if (cells.get(1).isEmpty()) {
            throw new CardsCsvException(source, n, "person", 2, "person is required");
        }
        List<String> groups = cells.size() > 5 ? split(cells.get(5)) : List.of();
        List<String> rooms = split(cells.get(2));
        for (String room : rooms) {
            if (!room.equals("*") && !knownRoom.test(room)) {
                throw new CardsCsvException(source, n, "rooms", 3, "unknown room \"" + room + "\" (known: " + hint + ")");
            }
        }
        LocalDate from = date(cells.get(3), "valid_from", 4, source, n);
        LocalDate until = date(cells.get(4), "valid_until", 5, source, n);
        try {
            return new Row(card, new CardGrant(cells.get(1), rooms, groups, from, until));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            String column = m.startsWith("group") ? "groups" : m.startsWith("valid_until") ? "valid_until" : "rooms";
            int number = switch (column) {
                case "groups" -> 6;
                case "valid_until" -> 5;
                default -> 3;
            };
            throw new CardsCsvException(source, n, column, number, m);
        }
    }

    private static List<String> split(String cell) {
        return Arrays.stream(cell.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static LocalDate date(String cell, String column, int number, String source, int n) throws CardsCsvException {
        if (cell.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(cell);
        } catch (DateTimeParseException e) {
            throw new CardsCsvException(source, n, column, number, column + " must be a date like 2026-09-01, got \"" + cell + "\"");
        }
    }
}
