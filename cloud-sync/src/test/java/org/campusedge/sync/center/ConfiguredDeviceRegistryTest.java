package org.campusedge.sync.center;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfiguredDeviceRegistryTest {

    private final ConfiguredDeviceRegistry registry = new ConfiguredDeviceRegistry(List.of(
            DataCenterConfig.DeviceEntry.withToken("box-1", "Riverside", "token-of-box-1-0000"),
            DataCenterConfig.DeviceEntry.withToken("box-2", "Hillcrest", "token-of-box-2-0000")));

    @Test
    void a_token_identifies_its_device() {
        assertThat(registry.authenticate("token-of-box-2-0000")).contains(new Device("box-2", "Hillcrest"));
        assertThat(registry.authenticate("token-of-box-1-0000")).contains(new Device("box-1", "Riverside"));
        assertThat(registry.size()).isEqualTo(2);
    }

    @Test
    void unknown_empty_or_missing_tokens_identify_nobody() {
        assertThat(registry.authenticate("token-of-box-3-0000")).isEmpty();
        assertThat(registry.authenticate("token-of-box-1-000")).isEmpty();
        assertThat(registry.authenticate("")).isEmpty();
        assertThat(registry.authenticate(null)).isEmpty();
    }

    @Test
    void refuses_a_device_listed_twice() {
        assertThatThrownBy(() -> new ConfiguredDeviceRegistry(List.of(
                DataCenterConfig.DeviceEntry.withToken("box-1", "", "aaaaaaaaaaaaaaaaaaaa"),
                DataCenterConfig.DeviceEntry.withToken("box-1", "", "bbbbbbbbbbbbbbbbbbbb"))))
                .hasMessageContaining("box-1");
    }
}
