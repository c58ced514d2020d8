package org.campusedge.agent.access;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an allow-list CSV as exported from a school's card system:
 *
 * <pre>
 * card_id,person,rooms,valid_from,valid_until,groups
 * 0A00D6E3F2,S2024-0117,studio-1;robotics-1,2026-09-01,2027-07-15,grade-8;media-club
 * 1F00A4B2C3,T-0042,*,,,staff
 * 2B00C1D2E3,S2024-0388,,,,grade-8
 * </pre>
 *
 * {@code rooms} lists room ids separated by ';' or '*' for all rooms; dates are optional ISO
 * dates; {@code groups} lists the holder's groups separated by ';', which the rooms' access rules
 * name. The {@code groups} column is optional (files without it have no groups); {@code rooms}
 * may be empty when {@code groups} is not. Lines starting with '#' and blank lines are skipped.
 * Every error names the line.
 */
public final class AllowListCsv {

    private static final List<String> HEADER = List.of("card_id", "person", "rooms", "valid_from", "valid_until");
    private static final List<String> HEADER_WITH_GROUPS =
            List.of("card_id", "person", "rooms", "valid_from", "valid_until", "groups");

    private AllowListCsv() {
    }

    /** A line of the file could not be used. */
    public static final class CsvException extends Exception {
        private static final long serialVersionUID = 1L;

        CsvException(String source, int line, String reason) {
            super(source + ":" + line + ": " + reason);
        }
    }

    public static List<Permission> read(Reader in, String source, Set<String> knownRooms) throws IOException, CsvException {
        BufferedReader r = new BufferedReader(in);
        List<Permission> out = new ArrayList<>();
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
                    throw new CsvException(source, n, "the first line must be the header " + String.join(",", HEADER)
                            + " or " + String.join(",", HEADER_WITH_GROUPS));
                }
                continue;
            }
            if (cells.size() != header.size()) {
                throw new CsvException(source, n, "expected " + header.size() + " columns, found " + cells.size());
            }
            Permission p = permission(cells, source, n, knownRooms);
            if (!seen.add(p.cardId())) {
                throw new CsvException(source, n, "card " + p.cardId() + " appears twice");
            }
            out.add(p);
        }
        if (!headerSeen) {
            throw new CsvException(source, Math.max(n, 1), "the file is empty (expected a header " + String.join(",", HEADER) + ")");
        }
        return out;
    }

    private static Permission permission(List<String> cells, String source, int n, Set<String> knownRooms)
            throws CsvException {
        String card = Permission.normaliseCardId(cells.get(0));
        if (!card.matches("[0-9A-F]{4,32}|[0-9]{1,20}")) {
            throw new CsvException(source, n, "card_id must be 4-32 hex digits or a decimal card number, got \""
                    + cells.get(0) + "\"");
        }
        String person = cells.get(1);
        if (person.isEmpty()) {
            throw new CsvException(source, n, "person is required");
        }
        Set<String> groups = groups(cells.size() > 5 ? cells.get(5) : "", source, n);
        String roomsCell = cells.get(2);
        boolean all = roomsCell.equals("*");
        Set<String> rooms = new LinkedHashSet<>();
        if (!all) {
            for (String room : roomsCell.split(";")) {
                String id = room.strip();
                if (id.isEmpty()) {
                    continue;
                }
                if (!knownRooms.contains(id)) {
                    throw new CsvException(source, n, "unknown room \"" + id + "\" (known: " + String.join(", ", knownRooms) + ")");
                }
                rooms.add(id);
            }
            if (rooms.isEmpty() && groups.isEmpty()) {
                throw new CsvException(source, n, "rooms is empty: list room ids separated by ';' or * for all rooms,"
                        + " or the card's groups in the groups column");
            }
        }
        Optional<LocalDate> from = date(cells.get(3), "valid_from", source, n);
        Optional<LocalDate> until = date(cells.get(4), "valid_until", source, n);
        try {
            return new Permission(card, person, rooms, all, from, until, groups);
        } catch (IllegalArgumentException e) {
            throw new CsvException(source, n, e.getMessage());
        }
    }

    private static Set<String> groups(String cell, String source, int n) throws CsvException {
        Set<String> groups = new LinkedHashSet<>();
        for (String raw : cell.split(";")) {
            String g = Permission.normaliseGroup(raw);
            if (g.isEmpty()) {
                continue;
            }
            if (!Permission.isGroupName(g)) {
                throw new CsvException(source, n, "group must be 1-64 letters, digits, '.', '_' or '-', got \"" + raw.strip() + "\"");
            }
            groups.add(g);
        }
        return groups;
    }

    private static Optional<LocalDate> date(String cell, String column, String source, int n) throws CsvException {
        if (cell.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(cell));
        } catch (DateTimeParseException e) {
            throw new CsvException(source, n, column + " must be a date like 2026-09-01, got \"" + cell + "\"");
        }
    }
}
