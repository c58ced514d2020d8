package org.campusedge.agent.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsersFileTest {

    @TempDir
    Path dir;

    private static Account account(String name, Role role, String password) {
        return new Account(name, role, PasswordHash.create(password.toCharArray(), 1_000));
    }

    @Test
    void adds_and_replaces_accounts_keeping_other_lines_and_owner_only_permissions() throws Exception {
        Path file = dir.resolve("users");
        assertThat(UsersFile.put(file, account("alice", Role.VIEWER, "first-password"))).isFalse();
        Files.writeString(file, Files.readString(file) + "\n# the caretaker\n");
        assertThat(UsersFile.put(file, account("bob", Role.ADMIN, "bobs-password"))).isFalse();
        assertThat(UsersFile.put(file, account("alice", Role.MANAGER, "second-password"))).isTrue();

        assertThat(UsersFile.read(file)).extracting(Account::name, Account::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", Role.MANAGER),
                        org.assertj.core.groups.Tuple.tuple("bob", Role.ADMIN));
        Account alice = UsersFile.read(file).get(0);
        assertThat(alice.password().matches("second-password".toCharArray())).isTrue();
        assertThat(alice.password().matches("first-password".toCharArray())).isFalse();
        assertThat(Files.readString(file)).contains("# the caretaker").doesNotContain("first-password", "second-password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(UsersFile.line(alice)).startsWith("alice:manager:pbkdf2-sha256$1000$");
    }

    @Test
    void names_the_line_of_a_bad_entry_without_echoing_the_hash() throws Exception {
        Path file = dir.resolve("users");
        String good = UsersFile.line(account("alice", Role.VIEWER, "first-password"));
        Files.writeString(file, good + "\nbob:superuser:" + good.substring(good.lastIndexOf(':') + 1) + "\n");
        assertThatThrownBy(() -> UsersFile.read(file)).hasMessageContaining("line 2").hasMessageContaining("viewer, manager, admin");
        Files.writeString(file, good + "\ncarol:viewer:s3cret-plain\n");
        assertThatThrownBy(() -> UsersFile.read(file)).hasMessageContaining("line 2").hasMessageNotContaining("s3cret-plain");
        Files.writeString(file, good + "\n" + good + "\n");
        assertThatThrownBy(() -> UsersFile.read(file)).hasMessageContaining("appears twice");
        Files.writeString(file, "no colons here\n");
        assertThatThrownBy(() -> UsersFile.read(file)).hasMessageContaining("name:role:password-hash");
        assertThatThrownBy(() -> UsersFile.read(dir.resolve("missing"))).hasMessageContaining("cannot read");
        assertThatThrownBy(() -> account("bad name", Role.VIEWER, "pw")).isInstanceOf(IllegalArgumentException.class);
    }
}
