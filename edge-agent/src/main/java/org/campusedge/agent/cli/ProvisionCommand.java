package org.campusedge.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code campus-edge provision}: issue a new box's identity — a device id and a random bearer
 * token — and print what goes into the data center's and the box's configuration. The token is
 * shown once; only its hash is kept by the data center.
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Issue a device token for a new box and print the configuration to add.",
            "The data center keeps only a hash of the token; the box reads it from a file (mode 0600)."})
final class ProvisionCommand implements Callable<Integer> {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Option(names = "--id", required = true, paramLabel = "DEVICE", description = "The box's device id, e.g. school-017-box-1.")
    String id;

    @Option(names = "--school", required = true, paramLabel = "NAME", description = "The school's name.")
    String school;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Also write the token to this file with mode 0600 (for the box's sync.token-file).")
    Path tokenFile;

    @Override
    public Integer call() throws Exception {
        if (!ID.matcher(id).matches()) {
            throw new UserFacingException("--id must be 1-64 letters, digits, '.', '_' or '-', got \"" + id + "\"",
                    FailureHandler.BAD_CONFIG);
        }
        if (school.isBlank() || school.contains("\n")) {
            throw new UserFacingException("--school must be a single line of text", FailureHandler.BAD_CONFIG);
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        if (tokenFile != null) {
            if (Files.exists(tokenFile)) {
                throw new UserFacingException(tokenFile + " already exists; refusing to overwrite a device token",
                        FailureHandler.BAD_CONFIG);
            }
            Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tokenFile, token + "\n");
        }
        System.out.printf("Device %s (%s) provisioned. The token is shown only now:%n%n  %s%n%n", id, school, token);
        System.out.printf("Add to the data center's configuration (devices:):%n  - id: %s%n    school: \"%s\"%n    token: %s%n%n",
                id, school.replace("\"", "\\\""), token);
        System.out.printf("On the box (agent configuration):%n  device:%n    id: %s%n  sync:%n    %s%n", id,
                tokenFile != null ? "token-file: " + tokenFile.toAbsolutePath() : "token: " + token);
        return 0;
    }
}
