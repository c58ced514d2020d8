package org.campusedge.agent.cli;

import org.campusedge.agent.journal.JournalException;
import org.campusedge.sync.center.DeviceStoreException;
import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.http.TlsSetupException;
import picocli.CommandLine;

/**
 * Turns expected failures into one clear line on stderr and an exit code; only a real bug
 * prints a stack trace.
 */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {

    static final int CHECK_FAILED = 1;
    static final int BAD_CONFIG = 2;
    static final int RUNTIME_FAILURE = 3;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        String prefix = "campus-edge " + cmd.getCommandName() + ": ";
        if (e instanceof ConfigException) {
            System.err.println(prefix + "configuration error: " + e.getMessage());
            return BAD_CONFIG;
        }
        if (e instanceof TlsSetupException) {
            System.err.println(prefix + "TLS configuration error: " + e.getMessage());
            return BAD_CONFIG;
        }
        if (e instanceof DeviceStoreException) {
            System.err.println(prefix + e.getMessage());
            return RUNTIME_FAILURE;
        }
        if (e instanceof UserFacingException) {
            System.err.println(prefix + e.getMessage());
            return ((UserFacingException) e).exitCode();
        }
        if (e instanceof JournalException || e instanceof java.io.IOException) {
            // Some (java.net.ConnectException from HttpClient) carry no message: their class says it.
            System.err.println(prefix + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return RUNTIME_FAILURE;
        }
        System.err.println(prefix + "unexpected failure: " + e);
        e.printStackTrace(System.err);
        return RUNTIME_FAILURE;
    }
}
