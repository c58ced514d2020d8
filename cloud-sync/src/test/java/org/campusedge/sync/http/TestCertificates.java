package org.campusedge.sync.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throw-away CA and server certificates signed by it, made with the {@code openssl} command in
 * a test's temporary folder. The server certificate names localhost, 127.0.0.1 and ::1.
 */
public final class TestCertificates {

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Makes a CA ({@code ca.pem}, {@code ca.key}) in {@code dir}. */
    public static TestCertificates ca(Path dir) throws IOException, InterruptedException {
        TestCertificates c = new TestCertificates(dir);
        c.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=campus-edge-test-ca",
                "-keyout", "ca.key", "-out", "ca.pem");
        return c;
    }

    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** A PKCS#8 RSA key and its certificate: {@code <name>.key}, {@code <name>.pem}. */
    public Path[] rsaServer(String name) throws IOException, InterruptedException {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
        return sign(name);
    }

    /** A PKCS#8 EC (P-256) key and its certificate: {@code <name>.key}, {@code <name>.pem}. */
    public Path[] ecServer(String name) throws IOException, InterruptedException {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
        return sign(name);
    }

    /** Runs {@code openssl} in the folder; fails with its output if it fails. */
    public void openssl(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private Path[] sign(String name) throws IOException, InterruptedException {
        openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=localhost", "-out", name + ".csr");
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
        return new Path[] {dir.resolve(name + ".pem"), dir.resolve(name + ".key")};
    }
}
