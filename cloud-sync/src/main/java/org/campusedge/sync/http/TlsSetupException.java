package org.campusedge.sync.http;

/**
 * A certificate or key file for {@link ServerTls} is missing, unreadable, in a format we do not
 * read, or the key does not belong to the certificate. The message names the file.
 */
public final class TlsSetupException extends Exception {

    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
