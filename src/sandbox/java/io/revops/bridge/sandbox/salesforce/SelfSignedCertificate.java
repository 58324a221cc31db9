package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A key pair with a self-signed certificate, generated once with the JDK's keytool into a PKCS12 store holding that
 * one key entry. {@link #tls} is the TLS identity of the emulated org (REST, OAuth and Pub/Sub, for localhost and
 * 127.0.0.1); the same store is the trust store of the client side in the sandbox, so camel-salesforce keeps its
 * production TLS code path. {@link #jwtSigning} is the key a client signs JWT bearer assertions with, its
 * certificate the one uploaded to the connected app.
 */
final class SelfSignedCertificate {
    static final String PASSWORD = "sandbox";

    private final Path keyStore;
    private final String alias;
    private final String[] extensions;

    private SelfSignedCertificate(Path keyStore, String alias, String... extensions) {
        this.keyStore = keyStore.toAbsolutePath();
        this.alias = alias;
        this.extensions = extensions;
    }

    static SelfSignedCertificate tls(Path dir) {
        return new SelfSignedCertificate(dir.resolve("pubsub-tls.p12"), "pubsub", "-ext", "SAN=dns:localhost,ip:127.0.0.1");
    }

    static SelfSignedCertificate jwtSigning(Path dir) {
        return new SelfSignedCertificate(dir.resolve("jwt-signing.p12"), "jwt");
    }

    Path keyStore() {
        return keyStore;
    }

    /** The certificate alone, PEM-encoded, next to the store: for curl --cacert, NODE_EXTRA_CA_CERTS, a connected app. */
    Path certificatePem() {
        return keyStore.resolveSibling(keyStore.getFileName().toString().replaceFirst("\\.p12$", ".pem"));
    }

    private void writePem() throws IOException {
        try {
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate().getEncoded());
            Files.writeString(certificatePem(), "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    void ensureExists() {
        try {
            if (!Files.exists(keyStore)) {
                generate();
            }
            if (!Files.exists(certificatePem())) {
                writePem();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void generate() throws IOException {
        try {
            Files.createDirectories(keyStore.getParent());
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                    "-dname", "CN=localhost, O=RevOps Bridge sandbox",
                    "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
            command.addAll(List.of(extensions));
            Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    KeyManagerFactory keyManagers() {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(load(), PASSWORD.toCharArray());
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server-side TLS context presenting this certificate. */
    SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers().getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    X509Certificate certificate() {
        try {
            return (X509Certificate) load().getCertificate(alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private KeyStore load() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
