package org.campusedge.sync.http;

import java.io.IOException;

/**
 * An {@link HttpServer} could not listen where it was told to. The message names the server,
 * the {@code host:port} and the cause, e.g.
 * {@code datacenter: cannot listen on 127.0.0.1:8090: Address already in use}.
 */
public final class HttpBindException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String hostAndPort;

    public HttpBindException(String serverName, String hostAndPort, String reason, Throwable cause) {
        super(serverName + ": cannot listen on " + hostAndPort + ": " + reason, cause);
        this.hostAndPort = hostAndPort;
    }

    /** The address that failed, e.g. {@code [::1]:8090}. */
    public String hostAndPort() {
        return hostAndPort;
    }
}
