package org.campusedge.agent.auth;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A person who may log in to the dashboard: a name, a role and the hash of a password.
 *
 * @param name     1-64 letters, digits, '.', '_', '-' or '@'
 * @param role     what the account may do
 * @param password the salted PBKDF2 hash; the password itself is never kept
 */
public record Account(String name, Role role, PasswordHash password) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    public Account {
        checkName(name);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(password, "password");
    }

    /** @throws IllegalArgumentException if {@code name} is not a valid account name */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an account name is 1-64 letters, digits, '.', '_', '-' or '@', got \""
                    + (name == null ? "" : name.length() > 70 ? name.substring(0, 70) + "…" : name) + "\"");
        }
        return name;
    }
}
