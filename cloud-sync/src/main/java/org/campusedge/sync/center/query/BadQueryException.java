package org.campusedge.sync.center.query;

/** A query parameter the city-wide queries refuse; the message names the parameter and says what is expected. */
final class BadQueryException extends Exception {

    private static final long serialVersionUID = 1L;

    BadQueryException(String message) {
        super(message);
    }
}
