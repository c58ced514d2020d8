package org.campusedge.sync.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerTlsTest {

    @TempDir
    Path dir;

    @Test
    void loads_pkcs8_rsa_and_ec_keys_with_their_certificates() throws Exception {
        TestCertificates ca = TestCertificates.ca(dir);
        Path[] rsa = ca.rsaServer("rsa");
        Path[] ec = ca.ecServer("ec");

        assertThat(ServerTls.load(rsa[0], rsa[1]).certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(ServerTls.load(ec[0], ec[1]).certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void missing_files_are_named() throws Exception {
        TestCertificates ca = TestCertificates.ca(dir);
        Path[] rsa = ca.rsaServer("rsa");

        assertThatThrownBy(() -> ServerTls.load(dir.resolve("nope.pem"), rsa[1]))
                .isInstanceOf(TlsSetupException.class).hasMessage(dir.resolve("nope.pem") + ": cannot read the certificate file: no such file");
        assertThatThrownBy(() -> ServerTls.load(rsa[0], dir.resolve("nope.key")))
                .isInstanceOf(TlsSetupException.class).hasMessage(dir.resolve("nope.key") + ": cannot read the key file: no such file");
    }

    @Test
    void a_key_of_another_certificate_is_refused() throws Exception {
        TestCertificates ca = TestCertificates.ca(dir);
        Path[] one = ca.rsaServer("one");
        Path[] two = ca.rsaServer("two");
        Path[] ec = ca.ecServer("ec");

        assertThatThrownBy(() -> ServerTls.load(one[0], two[1]))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("is not the private key of the certificate in " + one[0]);
        assertThatThrownBy(() -> ServerTls.load(one[0], ec[1]))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("is not the private key");
    }

    @Test
    void traditional_and_encrypted_keys_and_non_pem_files_get_a_hint() throws Exception {
        TestCertificates ca = TestCertificates.ca(dir);
        Path[] rsa = ca.rsaServer("rsa");
        ca.openssl("rsa", "-in", "rsa.key", "-traditional", "-out", "pkcs1.key");
        ca.openssl("pkcs8", "-topk8", "-in", "rsa.key", "-passout", "pass:secret", "-out", "encrypted.key");
        Files.writeString(dir.resolve("garbage.pem"), "hello\n");

        assertThatThrownBy(() -> ServerTls.load(rsa[0], dir.resolve("pkcs1.key")))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("PKCS#1").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        assertThatThrownBy(() -> ServerTls.load(rsa[0], dir.resolve("encrypted.key")))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("encrypted");
        assertThatThrownBy(() -> ServerTls.load(dir.resolve("garbage.pem"), rsa[1]))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("garbage.pem");
    }
}
