package org.campusedge.agent.journal;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on one of the journal's connections: the writer's (in its own transaction) or the reader's. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
