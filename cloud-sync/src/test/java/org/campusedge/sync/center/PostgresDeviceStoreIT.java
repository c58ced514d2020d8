package org.campusedge.sync.center;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@link DeviceRegistryContract} on a real PostgreSQL, each test in its own schema, plus reconnecting. */
class PostgresDeviceStoreIT extends DeviceRegistryContract {

    private PostgresTestSchema schema;

    @Override
    protected void createDatabase() throws SQLException {
        schema = PostgresTestSchema.create();
    }

    @Override
    protected DeviceStore open() {
        return DeviceStore.openPostgres(schema.url(), PostgresTestSchema.USER, null);
    }

    @Override
    protected Connection connect() throws SQLException {
        return schema.connect();
    }

    @Override
    protected void dropDatabase() throws SQLException {
        schema.close();
    }

    @Test
    void postgresql_storage_puts_the_registry_in_the_same_database() {
        DataCenterConfig config = new DataCenterConfig(DataCenterConfig.of(0, Path.of("unused.db"), List.of()).http(),
                DataCenterConfig.Storage.postgresql(new DataCenterConfig.Postgres(schema.url(), PostgresTestSchema.USER, null, 2)),
                List.of(), new DataCenterConfig.Registry(Path.of("unused-devices.db")));
        try (DeviceStore store = DeviceStore.open(config); DeviceStore other = open()) {
            String token = store.provision("box-1", "Riverside", Instant.parse("2026-09-01T08:00:00Z"));
            assertThat(other.authenticate(token)).contains(new Device("box-1", "Riverside"));
            assertThat(store.where()).startsWith("PostgreSQL jdbc:postgresql://").doesNotContain("?");
        }
    }

    @Test
    void a_terminated_session_fails_one_call_and_the_next_reconnects() throws Exception {
        try (DeviceStore store = open()) {
            String token = store.provision("box-1", "Riverside", Instant.parse("2026-09-01T08:00:00Z"));
            try (Connection admin = PostgresTestSchema.admin();
                 PreparedStatement kill = admin.prepareStatement(
                         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
                kill.setString(1, schema.applicationName());
                kill.executeQuery().close();
            }

            assertThatThrownBy(() -> store.authenticate(token)).isInstanceOf(DeviceStoreException.class)
                    .hasMessageContaining("cannot look up a token");
            assertThat(store.authenticate(token)).contains(new Device("box-1", "Riverside"));
        }
    }
}
