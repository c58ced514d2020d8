package org.campusedge.agent.cli;

import org.campusedge.agent.auth.Account;
import org.campusedge.agent.auth.PasswordHash;
import org.campusedge.agent.auth.Role;
import org.campusedge.agent.auth.UsersFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code campus-edge users}: the dashboard's accounts in a users file ({@code http.users-file}). */
@Command(name = "users", mixinStandardHelpOptions = true, description = "Dashboard accounts (the agent's http.users-file).",
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class})
final class UsersCommand {

    /** Shortest password accepted. */
    static final int MIN_PASSWORD = 10;

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add an account to a users file, or set the role and password of an existing one; prints its line.",
                "The password is read from the terminal (asked twice), or as one line from standard input when that is "
                    + "not a terminal; never from the command line. The agent reads the file when it starts."})
    static final class Add implements Callable<Integer> {

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The users file (created, mode 0600, if missing).")
        Path file;

        @Option(names = "--name", required = true, description = "The account name: letters, digits, '.', '_', '-', '@'.")
        String name;

        @Option(names = "--role", required = true, description = "viewer, manager (access mode, alarms) or admin.")
        String role;

        @Option(names = "--iterations", hidden = true, defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS,
                description = "PBKDF2 iterations (tests only).")
        int iterations;

        @Override
        public Integer call() throws Exception {
            try {
                Account.checkName(name);
            } catch (IllegalArgumentException e) {
                throw new UserFacingException("--name: " + e.getMessage(), FailureHandler.BAD_CONFIG);
            }
            Role r = Role.ofWireName(role).orElseThrow(() -> new UserFacingException(
                    "--role must be one of " + Role.names() + ", got \"" + role + "\"", FailureHandler.BAD_CONFIG));
            char[] password = readPassword();
            Account account;
            try {
                account = new Account(name, r, PasswordHash.create(password, iterations));
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(e.getMessage(), FailureHandler.BAD_CONFIG);
            } finally {
                Arrays.fill(password, '\0');
            }
            boolean replaced;
            try {
                replaced = UsersFile.put(file, account);
            } catch (UsersFile.UsersFileException e) {
                throw new UserFacingException(e.getMessage(), FailureHandler.BAD_CONFIG);
            }
            System.err.printf("%s %s (%s) in %s; a running agent sees it after a restart%n", replaced ? "changed" : "added",
                    name, r.wireName(), file);
            System.out.println(UsersFile.line(account));
            return 0;
        }

        private char[] readPassword() throws IOException, UserFacingException {
            Console console = System.console();
            char[] password;
            if (console != null) {
                password = console.readPassword("Password for %s: ", name);
                char[] again = console.readPassword("Again: ");
                if (password == null || again == null || !Arrays.equals(password, again)) {
                    throw new UserFacingException("the two passwords differ", FailureHandler.BAD_CONFIG);
                }
                Arrays.fill(again, '\0');
            } else {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                password = line == null ? new char[0] : line.toCharArray();
            }
            if (password.length < MIN_PASSWORD) {
                throw new UserFacingException("the password must have at least " + MIN_PASSWORD + " characters",
                        FailureHandler.BAD_CONFIG);
            }
            return password;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the accounts of a users file: name and role.")
    static final class ListUsers implements Callable<Integer> {

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The users file.")
        Path file;

        @Override
        public Integer call() throws UserFacingException {
            try {
                for (Account a : UsersFile.read(file)) {
                    System.out.printf("%-24s %s%n", a.name(), a.role().wireName());
                }
            } catch (UsersFile.UsersFileException e) {
                throw new UserFacingException(e.getMessage(), FailureHandler.BAD_CONFIG);
            }
            return 0;
        }
    }
}
