package org.campusedge.sync.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a response body of unknown length, piece by piece, for a {@link BodyAnswer#stream}. Runs on
 * the worker thread that handled the request; {@code out} blocks while the client is slow, so the
 * writer never holds more than a chunk of its body in memory.
 */
@FunctionalInterface
public interface BodyWriter {

    /**
     * @param out the response body; the server ends the response after this returns (do not close it)
     * @throws IOException if the client went away or was too slow: the writer should simply return it
     */
    void write(OutputStream out) throws IOException;
}
