package org.campusedge.sync.center;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceStoreTest {

    private static final Instant T0 = Instant.parse("2026-09-01T08:00:00Z");
    private static final Instant T1 = Instant.parse("2026-09-02T09:30:00Z");

    @TempDir
    Path dir;

    @Test
    void a_provisioned_token_authenticates_until_revoked_and_only_its_hash_is_stored() throws Exception {
        try (DeviceStore store = DeviceStore.open(dir.resolve("devices.db"))) {
            String token = store.provision("box-1", "Riverside", T0);

            assertThat(token).hasSize(2 * DeviceStore.TOKEN_BYTES).matches("[0-9a-f]+");
            assertThat(store.authenticate(token)).contains(new Device("box-1", "Riverside"));
            assertThat(store.authenticate(token + "x")).isEmpty();
            assertThat(store.authenticate("")).isEmpty();
            assertThat(java.nio.file.Files.readAllBytes(dir.resolve("devices.db")))
                    .asString(java.nio.charset.StandardCharsets.ISO_8859_1).doesNotContain(token);

            assertThat(store.revoke("box-1", T1)).isTrue();
            assertThat(store.revoke("box-1", T1.plusSeconds(60))).isTrue();
            assertThat(store.revoke("nobody", T1)).isFalse();
            assertThat(store.authenticate(token)).contains(new Device("box-1", "Riverside", Optional.of(T1)));
            assertThat(store.size()).isZero();
        }
    }

    @Test
    void provisioning_an_existing_id_is_refused_and_tokens_differ() {
        try (DeviceStore store = DeviceStore.open(dir.resolve("devices.db"))) {
            String a = store.provision("box-1", "Riverside", T0);
            String b = store.provision("box-2", "Riverside", T0);
            assertThat(a).isNotEqualTo(b);
            assertThatThrownBy(() -> store.provision("box-1", "Hillcrest", T1))
                    .isInstanceOf(DeviceStoreException.class).hasMessageContaining("device box-1 already exists");
        }
    }

    @Test
    void list_shows_created_revoked_and_last_contact_and_another_connection_sees_changes() {
        try (DeviceStore center = DeviceStore.open(dir.resolve("devices.db"));
             DeviceStore cli = DeviceStore.open(dir.resolve("devices.db"))) {
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
        Path file = dir.resolve("devices.db");
        try (DeviceStore store = DeviceStore.open(file)) {
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
        try (DeviceStore store = DeviceStore.open(dir.resolve("devices.db"))) {
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
