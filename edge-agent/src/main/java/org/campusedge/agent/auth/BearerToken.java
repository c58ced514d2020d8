package org.campusedge.agent.auth;

import org.campusedge.sync.center.TokenHash;

import java.util.Objects;

/**
 * A bearer token an IT tool sends as {@code Authorization: Bearer <token>} (a monitoring system
 * scraping {@code /metrics}, the {@code campus-edge access mode} command). Only its SHA-256 is kept.
 *
 * @param name names the token in logs and in the journal ("operator" for http.operator-token-file)
 * @param role what requests carrying it may do
 * @param hash the token's hash
 */
public record BearerToken(String name, Role role, TokenHash hash) {

    public BearerToken {
        Account.checkName(name);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(hash, "hash");
    }
}
