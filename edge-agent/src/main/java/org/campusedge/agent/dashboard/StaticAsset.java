package org.campusedge.agent.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * One file the dashboard serves, held in memory: its bytes, a gzip copy when that is smaller,
 * and a strong entity tag (RFC 9110 section 8.8.3) derived from the bytes.
 *
 * @param contentType  the {@code Content-Type} answered
 * @param cacheControl the {@code Cache-Control} answered
 * @param body         the file as read from the classpath
 * @param gzip         the gzip-coded body, when text compresses
 * @param etag         quoted, e.g. {@code "3q2-7w..."}
 */
record StaticAsset(String contentType, String cacheControl, byte[] body, Optional<byte[]> gzip, String etag) {

    /** Files smaller than this are sent as they are: gzip's header would eat the gain. */
    private static final int GZIP_MIN_BYTES = 256;

    StaticAsset {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(cacheControl, "cacheControl");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(gzip, "gzip");
        Objects.requireNonNull(etag, "etag");
    }

    /** An asset for {@code body}; text types get a gzip copy when it is smaller. */
    static StaticAsset of(String contentType, String cacheControl, byte[] body) {
        byte[] copy = body.clone();
        Optional<byte[]> gzip = Optional.empty();
        if (compressible(contentType) && copy.length >= GZIP_MIN_BYTES) {
            byte[] z = gzip(copy);
            if (z.length < copy.length) {
                gzip = Optional.of(z);
            }
        }
        return new StaticAsset(contentType, cacheControl, copy, gzip, etag(copy));
    }

    private static boolean compressible(String contentType) {
        return contentType.startsWith("text/") || contentType.startsWith("application/javascript")
                || contentType.startsWith("image/svg+xml") || contentType.startsWith("application/json");
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory failed", e);
        }
        return out.toByteArray();
    }

    /** The first 128 bits of the body's SHA-256, base64url: changes whenever a byte does. */
    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
