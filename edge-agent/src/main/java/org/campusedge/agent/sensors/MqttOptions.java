package org.campusedge.agent.sensors;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

/** Builds Paho connect options from the configuration: clean session, last will, credentials, TLS. */
public final class MqttOptions {

    private MqttOptions() {
    }

    /** Plain TCP sockets with buffered input, as the ingest uses for {@code tcp://} brokers. */
    public static javax.net.SocketFactory bufferedSockets() {
        return new BufferedSocketFactory();
    }

    static MqttConnectOptions of(MqttSensorConfig config) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval((int) config.keepAlive().toSeconds());
        o.setConnectionTimeout(10);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        // MQTT 3.1.1 section 3.1.2.5: the broker publishes the will if we vanish without DISCONNECT.
        o.setWill(config.statusTopic(), "offline".getBytes(StandardCharsets.UTF_8), 1, true);
        config.username().ifPresent(o::setUserName);
        config.password().ifPresent(p -> o.setPassword(p.toCharArray()));
        if (config.url().getScheme().equals("tcp")) {
            o.setSocketFactory(new BufferedSocketFactory());
        }
        config.caFile().ifPresent(ca -> o.setSocketFactory(trusting(ca).getSocketFactory()));
        return o;
    }

    /** A TLS context trusting exactly the certificates in a PEM file. */
    static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalStateException("no certificate in " + caFile);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load CA certificates from " + caFile + ": " + e.getMessage(), e);
        }
    }
}
