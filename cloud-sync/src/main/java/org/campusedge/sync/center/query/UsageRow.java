package org.campusedge.sync.center.query;

/**
 * One line of the usage report: one period, one school (or {@link #ALL_SCHOOLS}), one room type.
 *
 * @param period         the period's label, e.g. {@code 2026-W36}, {@code 2026-09}, {@code 2026-autumn}
 * @param periodStart    its first day, ISO date
 * @param periodEnd      its last day, ISO date
 * @param school         the school, or {@link #ALL_SCHOOLS} for the city-wide line
 * @param roomType       e.g. {@code recording-studio}; {@code unknown} when the box did not say
 * @param rooms          rooms of this type with at least one session
 * @param sessions       sessions that started in the period
 * @param uniqueStudents distinct students (person, else card pseudonym) in those sessions
 * @param occupiedHours  the sessions' length in hours, two decimals
 * @param grantedEntries granted entries in those sessions
 */
public record UsageRow(String period, String periodStart, String periodEnd, String school, String roomType, int rooms,
                       int sessions, int uniqueStudents, double occupiedHours, int grantedEntries) {

    /** The school column of the city-wide lines. */
    public static final String ALL_SCHOOLS = "ALL";
}
