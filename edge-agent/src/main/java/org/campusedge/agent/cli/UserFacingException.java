package org.campusedge.agent.cli;

/** A failure whose message is meant for the person at the terminal, with the exit code to use. */
final class UserFacingException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    UserFacingException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
