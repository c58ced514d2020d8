package org.campusedge.sync.center;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the device registry promises on either database: SQLite ({@link SqliteDeviceStoreTest}) and
 * PostgreSQL ({@code PostgresDeviceStoreIT}). A subclass gives each test a fresh, empty database.
 */
abstract class DeviceRegistryContract {

    private static final Instant T0 = Instant.parse("2026-09-01T08:00:00Z");
    private static final Instant T1 = Instant.parse("2026-09-02T09:30:00Z");

    /** Makes this test's fresh database. */
    protected abstract void createDatabase() throws Exception;

    /** Opens a registry on this test's database; each call is a new connection, as the CLI beside the data center. */
    protected abstract DeviceStore open();

    /** A plain connection to this test's database, to look at what is stored. */
    protected abstract Connection connect() throws Exception;

    /** Removes this test's database. */
    protected abstract void dropDatabase() throws Exception;

    @BeforeEach
    void fresh() throws Exception {
        createDatabase();
    }

    @AfterEach
    void drop() throws Exception {
        dropDatabase();
    }

    /** Every value of every row of the devices table, as text. */
    private String everythingStored() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM devices")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    all.append(rs.getString(i)).append('|');
                }
            }
        }
        return all.toString();
    }

    @Test
    void a_provisioned_token_authenticates_until_revoked_and_only_its_hash_is_stored() throws Exception {
        try (DeviceStore store = open()) {
            String token = store.provision("box-1", "Riverside", T0);

            assertThat(token).hasSize(2 * DeviceStore.TOKEN_BYTES).matches("[0-9a-f]+");
            assertThat(store.authenticate(token)).contains(new Device("box-1", "Riverside"));
            assertThat(store.authenticate(token + "x")).isEmpty();
            assertThat(store.authenticate("")).isEmpty();
            assertThat(everythingStored()).contains("box-1", TokenHash.of(token).hex()).doesNotContain(token);

            assertThat(store.revoke("box-1", T1)).isTrue();
            assertThat(store.revoke("box-1", T1.plusSeconds(60))).isTrue();
            assertThat(store.revoke("nobody", T1)).isFalse();
            assertThat(store.authenticate(token)).contains(new Device("box-1", "Riverside", Optional.of(T1)));
            assertThat(store.size()).isZero();
        }
    }

    @Test
    void provisioning_an_existing_id_is_refused_and_tokens_differ() {
        try (DeviceStore store = open()) {
            String a = store.provision("box-1", "Riverside", T0);
            String b = store.provision("box-2", "Riverside", T0);
            assertThat(a).isNotEqualTo(b);
            assertThatThrownBy(() -> store.provision("box-1", "Hillcrest", T1))
                    .isInstanceOf(DeviceStoreException.class).hasMessageContaining("device box-1 already exists");
        }
    }

    @Test
    void list_shows_created_revoked_and_last_contact_and_another_connection_sees_changes() {
        try (DeviceStore center = open();
             DeviceStore cli = open()) {
            String token = cli.provision("box-1", "Riverside", T0);
            cli.provision("box-2", "Hillcrest", T0);
            Device box1 = center.authenticate(token).orElseThrow();
            center.contacted(box1, T1);
            center.contacted(box1, T1.plusSeconds(5));
            cli.revoke("box-2", T1);

            assertThat(cli.list()).containsExactly(
                    new RegisteredDevice("box-1", "Riverside", T0, Optional.empty(), Optional.of(T1), DeviceStore.PROVISIONED),
                    new RegisteredDevice("box-2", "Hillcrest", T0, Optional.of(T1), Optional.empty(), DeviceStore.PROVISIONED));
        }
    }

    @Test
    void configured_devices_merge_in_and_leaving_the_list_revokes_but_a_revoked_device_stays_revoked() {
        try (DeviceStore store = open()) {
            store.provision("box-p", "Provisioned School", T0);
            store.importConfigured(List.of(
                    DataCenterConfig.DeviceEntry.withToken("box-1", "Riverside", "token-of-box-1-000"),
                    DataCenterConfig.DeviceEntry.withToken("box-2", "Hillcrest", "token-of-box-2-000")), T0);
            assertThat(store.authenticate("token-of-box-1-000")).contains(new Device("box-1", "Riverside"));

            // The next start: box-1 gets a new token, box-2 left the file, box-p is not the file's business.
            store.importConfigured(List.of(
                    DataCenterConfig.DeviceEntry.withToken("box-1", "Riverside", "new-token-of-box-1")), T1);
            assertThat(store.authenticate("token-of-box-1-000")).isEmpty();
            assertThat(store.authenticate("new-token-of-box-1")).contains(new Device("box-1", "Riverside"));
            assertThat(store.authenticate("token-of-box-2-000")).contains(new Device("box-2", "Hillcrest", Optional.of(T1)));
            assertThat(store.list()).extracting(RegisteredDevice::id, RegisteredDevice::revokedAt).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("box-1", Optional.empty()),
                    org.assertj.core.groups.Tuple.tuple("box-2", Optional.of(T1)),
                    org.assertj.core.groups.Tuple.tuple("box-p", Optional.empty()));

            // Listing box-2 again does not bring it back.
            store.importConfigured(List.of(
                    DataCenterConfig.DeviceEntry.withToken("box-1", "Riverside", "new-token-of-box-1"),
                    DataCenterConfig.DeviceEntry.withToken("box-2", "Hillcrest", "token-of-box-2-000")), T1.plusSeconds(60));
            assertThat(store.authenticate("token-of-box-2-000").orElseThrow().revoked()).isTrue();
        }
    }

    @Test
    void a_configured_token_that_is_another_devices_fails_the_import_and_changes_nothing() {
        try (DeviceStore store = open()) {
            store.importConfigured(List.of(DataCenterConfig.DeviceEntry.withToken("box-1", "Riverside", "token-of-box-1-000")), T0);
            assertThatThrownBy(() -> store.importConfigured(List.of(
                    DataCenterConfig.DeviceEntry.withToken("box-0", "Hillcrest", "fresh-token-of-box-0"),
                    DataCenterConfig.DeviceEntry.withToken("box-2", "Hillcrest", "token-of-box-1-000")), T1))
                    .isInstanceOf(DeviceStoreException.class)
                    .hasMessageContaining("the token of box-2 is already the token of device box-1");
            assertThat(store.list()).extracting(RegisteredDevice::id).containsExactly("box-1");
            assertThat(store.authenticate("token-of-box-1-000").orElseThrow().revoked()).isFalse();
        }
    }
}
