package org.campusedge.agent;

import org.campusedge.agent.config.ReaderConfig;
import org.campusedge.agent.config.SecureChannelConfig;
import org.campusedge.bridge.osdp.OsdpSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Secure channel keys of OSDP readers, one key file each (32 hex digits, mode 0600). In install
 * mode a reader without a key file gets a fresh random key, written to its file once the reader
 * has accepted it.
 */
final class OsdpKeys {

    private static final Logger LOG = LoggerFactory.getLogger(OsdpKeys.class);

    private OsdpKeys() {
    }

    static Optional<OsdpSecurity> security(ReaderConfig reader) {
        if (reader.secureChannel().isEmpty()) {
            LOG.warn("reader {}: OSDP without secure channel: card numbers cross the bus in clear text", reader.id());
            return Optional.empty();
        }
        SecureChannelConfig sc = reader.secureChannel().get();
        Optional<byte[]> existing = read(sc.keyFile());
        if (!sc.installMode()) {
            return Optional.of(OsdpSecurity.withKey(existing.orElseThrow(() ->
                    new IllegalStateException("reader " + reader.id() + ": key file " + sc.keyFile() + " is missing"))));
        }
        LOG.warn("reader {}: OSDP INSTALL MODE IS ON: the reader may be addressed with the well-known default key"
                + " until it has its own. Turn install-mode off once it is provisioned.", reader.id());
        byte[] key = existing.orElseGet(() -> {
            byte[] k = new byte[16];
            new SecureRandom().nextBytes(k);
            return k;
        });
        return Optional.of(new OsdpSecurity(Optional.of(key), true, accepted -> {
            if (existing.isEmpty()) {
                write(sc.keyFile(), accepted);
                LOG.info("reader {}: its new secure channel key is stored in {}", reader.id(), sc.keyFile());
            }
        }));
    }

    private static Optional<byte[]> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(HexFormat.of().parseHex(Files.readString(file).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + file, e);
        }
    }

    private static void write(Path file, byte[] key) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            // Written whole to a private temporary file, synced, then renamed into place: the key file
            // either does not exist or holds the complete key, even if the box loses power here.
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".key-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                try (FileChannel ch = FileChannel.open(tmp,
                        StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap((HexFormat.of().formatHex(key) + "\n")
                            .getBytes(StandardCharsets.US_ASCII)));
                    ch.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            LOG.error("cannot store the new key in {}: {}; the reader has it, keep install mode on and fix the folder",
                    file, e.getMessage());
        }
    }
}
