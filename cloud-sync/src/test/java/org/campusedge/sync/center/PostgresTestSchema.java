package org.campusedge.sync.center;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh schema in the test PostgreSQL (127.0.0.1:5432, database {@code test}, trust
 * authentication; override with {@code -Dcampusedge.pg.url=...}), dropped on close, so test runs
 * never see each other's tables. Stores opened on {@link #url()} work inside it, and their
 * sessions carry an application name unique to it.
 */
final class PostgresTestSchema implements AutoCloseable {

    static final String SERVER = System.getProperty("campusedge.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("campusedge.pg.user", "postgres");

    private final String name;

    private PostgresTestSchema(String name) {
        this.name = name;
    }

    static PostgresTestSchema create() throws SQLException {
        String name = "ce_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        }
        return new PostgresTestSchema(name);
    }

    /** A connection to the test database outside any test schema. */
    static Connection admin() throws SQLException {
        return DriverManager.getConnection(SERVER, USER, "");
    }

    String name() {
        return name;
    }

    /** The JDBC URL of this schema; sessions on it are named {@link #applicationName()}. */
    String url() {
        return SERVER + (SERVER.contains("?") ? "&" : "?") + "currentSchema=" + name + "&ApplicationName=" + applicationName();
    }

    String applicationName() {
        return "campus-edge-" + name;
    }

    /** A connection working in this schema. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
