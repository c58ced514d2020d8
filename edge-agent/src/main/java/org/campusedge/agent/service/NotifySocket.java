package org.campusedge.agent.service;

import java.io.IOException;

/** Where sd_notify messages go: the service manager's {@code NOTIFY_SOCKET}, or a fake in tests. */
public interface NotifySocket extends AutoCloseable {

    /** Sends one datagram: newline-separated {@code KEY=VALUE} assignments (sd_notify(3)). */
    void send(String message) throws IOException;

    @Override
    void close();
}
