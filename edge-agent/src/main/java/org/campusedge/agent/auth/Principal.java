package org.campusedge.agent.auth;

/**
 * Who sent a request, as the {@link AuthGate} established it.
 *
 * @param name the account or token name; {@code local} for an agent without accounts
 * @param role what the request may do
 * @param via  how the request proved it
 */
public record Principal(String name, Role role, Via via) {

    /** How a request was authenticated. */
    public enum Via {
        /** A log-in session cookie (a person in the dashboard). */
        SESSION,
        /** An {@code Authorization: Bearer} token (an IT tool). */
        TOKEN,
        /** Nothing: the agent has no accounts and the request came from this machine (read-only). */
        LOCAL
    }
}
