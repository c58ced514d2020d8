package org.campusedge.sync.center;

import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.config.ConfigNode;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the {@code queries:} section of the data center's configuration; errors name the key. Stateless. */
final class DataCenterQueriesConfig {

    private DataCenterQueriesConfig() {
    }

    /** @param deviceTokens the hashes of the configured device tokens, which no reader may reuse */
    static DataCenterConfig.Queries read(ConfigNode q, Set<TokenHash> deviceTokens) throws ConfigException {
        List<DataCenterConfig.Reader> readers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<TokenHash> tokens = new HashSet<>();
        for (ConfigNode r : q.sections("readers")) {
            String name = r.requiredString("name");
            if (!names.add(name)) {
                throw r.error("name", "\"" + name + "\" is listed twice");
            }
            String token = r.requiredString("token");
            if (token.length() < DataCenterConfig.MIN_TOKEN_LENGTH) {
                throw r.error("token", "must be at least " + DataCenterConfig.MIN_TOKEN_LENGTH
                        + " characters (generate one with: openssl rand -hex 24)");
            }
            TokenHash hash = TokenHash.of(token);
            if (deviceTokens.contains(hash) || !tokens.add(hash)) {
                throw r.error("token", "is already the token of a device or another reader; every reader needs its own");
            }
            readers.add(new DataCenterConfig.Reader(name, hash));
        }
        ZoneId zone;
        String zoneText = q.string("zone", "UTC");
        try {
            zone = zoneText.equals("UTC") ? ZoneOffset.UTC : ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            throw q.error("zone", "must be a time zone such as Asia/Shanghai or UTC, got \"" + zoneText + "\"");
        }
        List<DataCenterConfig.Term> terms = new ArrayList<>();
        Set<String> termNames = new HashSet<>();
        for (ConfigNode t : q.sections("terms")) {
            String name = t.requiredString("name");
            if (!termNames.add(name)) {
                throw t.error("name", "\"" + name + "\" is listed twice");
            }
            LocalDate from = date(t, "from");
            LocalDate to = date(t, "to");
            if (to.isBefore(from)) {
                throw t.error("to", "is before from (" + from + ")");
            }
            if (!terms.isEmpty() && !from.isAfter(terms.get(terms.size() - 1).to())) {
                throw t.error("from", "must be after the previous term's last day " + terms.get(terms.size() - 1).to()
                        + " (list terms in date order, not overlapping)");
            }
            terms.add(new DataCenterConfig.Term(name, from, to));
        }
        int maxRange = q.integer("max-range-days", DataCenterConfig.Queries.DEFAULT_MAX_RANGE_DAYS, 1, 3_660);
        int maxPage = q.integer("max-page", DataCenterConfig.Queries.DEFAULT_MAX_PAGE, 1, EventQuery.MAX_LIMIT);
        return new DataCenterConfig.Queries(readers, zone, terms, maxRange, maxPage);
    }

    private static LocalDate date(ConfigNode node, String key) throws ConfigException {
        String text = node.requiredString(key);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw node.error(key, "must be a date such as 2026-09-01, got \"" + text + "\"");
        }
    }
}
