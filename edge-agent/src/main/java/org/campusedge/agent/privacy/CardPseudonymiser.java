package org.campusedge.agent.privacy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * Replaces card numbers (and, if configured, person ids) in events leaving the box with a keyed
 * hash: HMAC-SHA256 (RFC 2104, FIPS 198-1) under a city-wide key, so the city can still count
 * unique cards and follow one card across schools, but cannot read a card number back without
 * the key. The same value under the same key always gives the same pseudonym, so an event sent
 * twice is identical. Pseudonyms look like {@code hk1:<43 base64url characters>}.
 *
 * <p>Thread-safe: a {@link Mac} is made per call (cheap next to an upload).
 */
public final class CardPseudonymiser {

    /** Marks a pseudonym and the scheme that made it, so a key or scheme change is visible at the city. */
    public static final String PREFIX = "hk1:";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Set<String> fields;

    /**
     * @param key    the city-wide key, at least 32 bytes
     * @param fields payload fields to replace, e.g. {@code card}, {@code person}
     */
    public CardPseudonymiser(byte[] key, Set<String> fields) {
        Objects.requireNonNull(key, "key");
        if (key.length < 32) {
            throw new IllegalArgumentException("the pseudonymisation key must be at least 32 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.fields = Set.copyOf(fields);
    }

    public Set<String> fields() {
        return fields;
    }

    /** The pseudonym of one value. */
    public String pseudonym(String value) {
        if (value.startsWith(PREFIX)) {
            return value; // already a pseudonym: never hash twice
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, value.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] mac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    /** The keyed key spec, for tests against published HMAC vectors. */
    static SecretKeySpec keySpec(byte[] key) {
        return new SecretKeySpec(key, ALGORITHM);
    }
}
