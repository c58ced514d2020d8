package org.campusedge.agent.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHashTest {

    @Test
    void matches_its_password_and_no_other() {
        PasswordHash h = PasswordHash.create("s3cret".toCharArray(), 1_000);
        assertThat(h.matches("s3cret".toCharArray())).isTrue();
        assertThat(h.matches("s3creT".toCharArray())).isFalse();
        assertThat(h.matches(new char[0])).isFalse();
    }

    @Test
    void text_form_round_trips_and_salts_differ() {
        PasswordHash a = PasswordHash.create("pw".toCharArray(), 1_000);
        PasswordHash b = PasswordHash.create("pw".toCharArray(), 1_000);
        assertThat(a.toString()).startsWith("pbkdf2-sha256$1000$").doesNotContain("pw$");
        assertThat(PasswordHash.parse(a.toString())).isEqualTo(a);
        assertThat(PasswordHash.parse(a.toString()).matches("pw".toCharArray())).isTrue();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void parse_rejects_malformed_text_without_echoing_it() {
        assertThatThrownBy(() -> PasswordHash.parse("plaintext-password"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("plaintext-password");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$many$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA=="))
                .hasMessageContaining("iteration");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$10$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA=="))
                .hasMessageContaining("1000");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$1000$!!$AAAAAAAAAAAAAAAAAAAAAA=="))
                .hasMessageContaining("base64");
    }
}
