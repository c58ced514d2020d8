package org.campusedge.agent.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The dashboard's accounts, one a line: {@code name:role:pbkdf2-sha256$<iterations>$<salt>$<hash>}
 * ({@link PasswordHash}); blank lines and lines starting with {@code #} are ignored. Made and
 * changed with {@code campus-edge users add}, which writes the file atomically with mode 0600.
 */
public final class UsersFile {

    private UsersFile() {
    }

    /** A users file that cannot be used, with the line at fault; never echoes a hash. */
    public static final class UsersFileException extends Exception {
        private static final long serialVersionUID = 1L;

        UsersFileException(String message) {
            super(message);
        }
    }

    /** The accounts in {@code file}. */
    public static List<Account> read(Path file) throws UsersFileException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsersFileException("cannot read " + file + ": " + e.getMessage());
        }
        List<Account> accounts = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            Optional<Account> account;
            try {
                account = parse(lines.get(i));
            } catch (IllegalArgumentException e) {
                throw new UsersFileException(file + " line " + (i + 1) + ": " + e.getMessage());
            }
            if (account.isPresent()) {
                if (!names.add(account.get().name())) {
                    throw new UsersFileException(file + " line " + (i + 1) + ": account " + account.get().name()
                            + " appears twice");
                }
                accounts.add(account.get());
            }
        }
        return List.copyOf(accounts);
    }

    /** The line for {@code account}. */
    public static String line(Account account) {
        return account.name() + ":" + account.role().wireName() + ":" + account.password();
    }

    /**
     * Adds {@code account} to {@code file}, or replaces the line of the account with its name;
     * other lines, comments included, stay as they are. Creates the file (mode 0600) if needed.
     *
     * @return whether an existing account was replaced
     */
    public static boolean put(Path file, Account account) throws UsersFileException, IOException {
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8))
                : new ArrayList<>(List.of("# CampusEdge dashboard accounts: name:role:password-hash (campus-edge users add)"));
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            Optional<Account> existing;
            try {
                existing = parse(lines.get(i));
            } catch (IllegalArgumentException e) {
                throw new UsersFileException(file + " line " + (i + 1) + ": " + e.getMessage() + "; fix it first");
            }
            if (existing.isPresent() && existing.get().name().equals(account.name())) {
                lines.set(i, line(account));
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(line(account));
        }
        write(file, String.join("\n", lines) + "\n");
        return replaced;
    }

    private static Optional<Account> parse(String raw) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return Optional.empty();
        }
        String[] parts = line.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("must be name:role:password-hash");
        }
        String name = Account.checkName(parts[0]);
        Role role = Role.ofWireName(parts[1]).orElseThrow(() -> new IllegalArgumentException(
                "the role of " + name + " must be one of " + Role.names()));
        PasswordHash hash;
        try {
            hash = PasswordHash.parse(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the password hash of " + name + " " + e.getMessage(), e);
        }
        return Optional.of(new Account(name, role, hash));
    }

    /** Writes a sibling temporary file readable by the owner only, then moves it into place. */
    private static void write(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException raced) {
            throw new IOException("another process is writing " + file + " (" + tmp + " exists)", raced);
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
