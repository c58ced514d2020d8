package org.campusedge.agent.broker;

import java.io.IOException;

/**
 * The embedded broker could not listen where it was told to. The message names the address and
 * the cause, e.g. {@code embedded MQTT broker: cannot listen on [::1]:1884: Address already in use}.
 */
public final class BrokerBindException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String hostAndPort;

    BrokerBindException(String brokerName, String hostAndPort, String reason, Throwable cause) {
        super(brokerName + ": cannot listen on " + hostAndPort + ": " + reason, cause);
        this.hostAndPort = hostAndPort;
    }

    /** The same failure from the shared listener code, under the broker's own type. */
    BrokerBindException(org.campusedge.sync.http.HttpBindException e) {
        super(e.getMessage(), e.getCause());
        this.hostAndPort = e.hostAndPort();
    }

    /** The address that failed, e.g. {@code [::1]:1884}. */
    public String hostAndPort() {
        return hostAndPort;
    }
}
