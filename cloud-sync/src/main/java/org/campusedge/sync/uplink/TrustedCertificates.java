package org.campusedge.sync.uplink;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

/**
 * A TLS context that trusts exactly the CA certificates in one PEM file, for a data center whose
 * certificate a private CA (the city's) signed. Host names are still verified against the
 * certificate by the JDK's HTTP client.
 */
public final class TrustedCertificates {

    private TrustedCertificates() {
    }

    /**
     * Reads every certificate in {@code pemFile} as a trust anchor.
     *
     * @throws IllegalArgumentException naming the file, if it is missing, unreadable or holds no certificate
     */
    public static SSLContext trustOnly(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) {
                throw new IllegalArgumentException(pemFile + ": holds no certificate (expected -----BEGIN CERTIFICATE-----)");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(pemFile + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(pemFile + ": cannot read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(pemFile + ": not a PEM certificate file: " + e.getMessage(), e);
        }
    }
}
