package org.campusedge.sync.center;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@link DeviceRegistryContract} on SQLite: one registry file per test. */
class SqliteDeviceStoreTest extends DeviceRegistryContract {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("devices.db");
    }

    @Override
    protected void createDatabase() {
        // The store creates its file.
    }

    @Override
    protected DeviceStore open() {
        return DeviceStore.open(file());
    }

    @Override
    protected Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + file());
    }

    @Override
    protected void dropDatabase() {
        // @TempDir removes the file.
    }

    @Test
    void the_file_never_holds_a_plain_token_and_the_configuration_names_it() throws Exception {
        DataCenterConfig config = new DataCenterConfig(DataCenterConfig.of(0, dir.resolve("events.db"), java.util.List.of()).http(),
                new DataCenterConfig.Storage(dir.resolve("events.db")), java.util.List.of(), new DataCenterConfig.Registry(file()));
        String token;
        try (DeviceStore store = DeviceStore.open(config)) {
            token = store.provision("box-1", "Riverside", Instant.parse("2026-09-01T08:00:00Z"));
            assertThat(store.where()).isEqualTo(file().toString());
        }
        assertThat(Files.readAllBytes(file())).asString(StandardCharsets.ISO_8859_1).doesNotContain(token);
    }
}
