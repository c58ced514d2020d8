package org.campusedge.sync.http;

import java.nio.file.Path;

/**
 * A certificate or key file for {@link ServerTls} is missing, unreadable, in a format we do not
 * read, or the key does not belong to the certificate. The message names the file.
 */
public final class TlsSetupException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String file;

    /**
     * @param file    the certificate or key file at fault
     * @param message what is wrong with it, starting with the file's name
     */
    public TlsSetupException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file.toString();
    }

    /** The certificate or key file at fault. */
    public Path file() {
        return Path.of(file);
    }
}
