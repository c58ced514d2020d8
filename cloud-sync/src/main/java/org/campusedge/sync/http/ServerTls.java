package org.campusedge.sync.http;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The certificate chain and private key an {@link HttpServer} presents over TLS, read from PEM
 * files: the chain (server certificate first, then intermediates) and an unencrypted PKCS#8 key
 * ({@code BEGIN PRIVATE KEY}), RSA or EC. TLS runs on the JDK's own provider (no native
 * tcnative), TLS 1.3 and 1.2 only.
 *
 * <p>{@link #load} checks that the key belongs to the certificate by signing with one and
 * verifying with the other: the JDK would otherwise accept a mismatched pair and fail every
 * handshake later with an obscure alert.
 *
 * <p>Immutable and thread-safe.
 */
public final class ServerTls {

    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private final SslContext context;
    private final X509Certificate certificate;

    private ServerTls(SslContext context, X509Certificate certificate) {
        this.context = context;
        this.certificate = certificate;
    }

    /**
     * Reads and checks a certificate chain and its key.
     *
     * @throws TlsSetupException naming the file and what is wrong with it
     */
    public static ServerTls load(Path certificateFile, Path keyFile) throws TlsSetupException {
        List<X509Certificate> chain = readChain(certificateFile);
        PrivateKey key = readKey(keyFile);
        checkPair(chain.get(0), key, certificateFile, keyFile);
        try {
            SslContext context = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
            return new ServerTls(context, chain.get(0));
        } catch (SSLException e) {
            throw new TlsSetupException(certificateFile, certificateFile + ": cannot set up TLS with this certificate and key: " + e.getMessage(), e);
        }
    }

    /** The server certificate (the first of the chain). */
    public X509Certificate certificate() {
        return certificate;
    }

    SslContext context() {
        return context;
    }

    private static List<X509Certificate> readChain(Path file) throws TlsSetupException {
        List<X509Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
        } catch (IOException e) {
            throw new TlsSetupException(file, file + ": cannot read the certificate file: " + describe(e), e);
        } catch (CertificateException e) {
            throw new TlsSetupException(file, file + ": not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new TlsSetupException(file, file + ": holds no certificate (expected -----BEGIN CERTIFICATE-----)", null);
        }
        return chain;
    }

    private static PrivateKey readKey(Path file) throws TlsSetupException {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsSetupException(file, file + ": cannot read the key file: " + describe(e), e);
        }
        Matcher m = PEM_KEY.matcher(pem);
        if (!m.find()) {
            String hint = pem.contains("ENCRYPTED PRIVATE KEY")
                    ? "the key is encrypted; store it unencrypted with mode 0600 (openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem)"
                    : pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")
                    ? "the key is in the traditional (PKCS#1 / SEC1) format; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem"
                    : "expected an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)";
            throw new TlsSetupException(file, file + ": " + hint, null);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new TlsSetupException(file, file + ": the PEM key is not valid base64", e);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // Not this algorithm; try the next.
                continue;
            } catch (GeneralSecurityException e) {
                throw new TlsSetupException(file, file + ": cannot read the key: " + e.getMessage(), e);
            }
        }
        throw new TlsSetupException(file, file + ": not an RSA or EC private key", null);
    }

    private static void checkPair(X509Certificate certificate, PrivateKey key, Path certificateFile, Path keyFile)
            throws TlsSetupException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new TlsSetupException(keyFile, keyFile + ": unsupported key algorithm " + key.getAlgorithm(), null);
        };
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // A key of another algorithm than the certificate's lands here.
            matches = false;
        }
        if (!matches) {
            throw new TlsSetupException(keyFile, keyFile + " is not the private key of the certificate in " + certificateFile
                    + " (" + certificate.getSubjectX500Principal().getName() + ")", null);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return Objects.toString(e.getMessage(), e.getClass().getSimpleName());
    }
}
