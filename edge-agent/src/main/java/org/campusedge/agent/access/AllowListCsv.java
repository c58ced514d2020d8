package org.campusedge.agent.access;

import org.campusedge.sync.downlink.CardGrant;
import org.campusedge.sync.downlink.CardsCsv;
import org.campusedge.sync.downlink.CardsCsvException;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
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
 * Every error names the line and, where one cell is wrong, its column. The reading itself is
 * {@link CardsCsv}'s, shared with the data center's {@code downlink import}.
 */
public final class AllowListCsv {

    private AllowListCsv() {
    }

    /** A line of the file could not be used. */
    public static final class CsvException extends Exception {
        private static final long serialVersionUID = 1L;

        CsvException(CardsCsvException cause) {
            super(cause.getMessage(), cause);
        }
    }

    public static List<Permission> read(Reader in, String source, Set<String> knownRooms) throws IOException, CsvException {
        List<CardsCsv.Row> rows;
        try {
            rows = CardsCsv.read(in, source, knownRooms::contains, String.join(", ", knownRooms));
        } catch (CardsCsvException e) {
            throw new CsvException(e);
        }
        List<Permission> out = new ArrayList<>(rows.size());
        for (CardsCsv.Row row : rows) {
            out.add(permission(row.cardId(), row.grant()));
        }
        return out;
    }

    /** The box's permission for a card the downlink or a CSV grants. */
    public static Permission permission(String cardId, CardGrant g) {
        return new Permission(cardId, g.person(), g.allRooms() ? Set.of() : Set.copyOf(g.rooms()), g.allRooms(),
                Optional.ofNullable(g.validFrom()), Optional.ofNullable(g.validUntil()), Set.copyOf(g.groups()));
    }
}
