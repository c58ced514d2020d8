package org.campusedge.agent.cli;

import org.campusedge.agent.auth.Account;
import org.campusedge.agent.auth.Role;
import org.campusedge.agent.auth.UsersFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code campus-edge users add|list}: the password comes from standard input, never the command line. */
class UsersCommandTest {

    @RegisterExtension
    final StdStreams std = new StdStreams();
    private final ByteArrayOutputStream out = std.out;
    private final ByteArrayOutputStream err = std.err;

    @TempDir
    Path dir;

    private int run(String stdin, String... args) {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return CampusEdgeCli.run(args);
    }

    @Test
    void adds_an_account_with_the_password_from_stdin_and_prints_its_line() throws Exception {
        Path file = dir.resolve("users");
        assertThat(run("a long enough password\n", "users", "add", "--file", file.toString(), "--name", "wang.li",
                "--role", "manager", "--iterations", "1000")).isZero();
        Account a = UsersFile.read(file).get(0);
        assertThat(a.name()).isEqualTo("wang.li");
        assertThat(a.role()).isEqualTo(Role.MANAGER);
        assertThat(a.password().matches("a long enough password".toCharArray())).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo(UsersFile.line(a));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("added wang.li (manager)");

        assertThat(run("another password!\n", "users", "add", "--file", file.toString(), "--name", "wang.li",
                "--role", "viewer", "--iterations", "1000")).isZero();
        assertThat(UsersFile.read(file)).singleElement().satisfies(x -> assertThat(x.role()).isEqualTo(Role.VIEWER));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("changed wang.li (viewer)");
        out.reset();
        assertThat(run("", "users", "list", "--file", file.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wang.li").contains("viewer").doesNotContain("pbkdf2");
    }

    @Test
    void refuses_a_short_password_a_bad_role_or_name_and_writes_nothing() {
        Path file = dir.resolve("users");
        assertThat(run("short\n", "users", "add", "--file", file.toString(), "--name", "a", "--role", "viewer")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("at least 10 characters");
        assertThat(run("a long enough password\n", "users", "add", "--file", file.toString(), "--name", "a", "--role", "root"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--role must be one of viewer, manager, admin");
        assertThat(run("a long enough password\n", "users", "add", "--file", file.toString(), "--name", "a b", "--role", "viewer"))
                .isEqualTo(2);
        assertThat(Files.exists(file)).isFalse();
        assertThat(run("", "users", "add", "--file", file.toString(), "--name", "a", "--role", "viewer", "--password", "x"))
                .as("no password option").isEqualTo(2);
    }
}
