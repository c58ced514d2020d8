package org.campusedge.agent.cli;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures {@code System.out} and {@code System.err} for each test of a CLI verb and puts them
 * (and {@code System.in}, which a test may replace) back after it:
 * {@code @RegisterExtension final StdStreams std = new StdStreams();}.
 */
final class StdStreams implements BeforeEachCallback, AfterEachCallback {

    /** What the test's code printed to standard output. */
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** What the test's code printed to standard error. */
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;
    private InputStream savedIn;

    @Override
    public void beforeEach(ExtensionContext context) {
        savedOut = System.out;
        savedErr = System.err;
        savedIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setOut(savedOut);
        System.setErr(savedErr);
        System.setIn(savedIn);
    }
}
