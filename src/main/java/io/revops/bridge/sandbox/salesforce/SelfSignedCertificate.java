package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.GeneralSecurityException;

import javax.net.ssl.KeyManagerFactory;

/**
 * The TLS identity of the emulated Pub/Sub endpoint: a self-signed certificate for localhost and 127.0.0.1,
 * generated once with the JDK's keytool into a PKCS12 store. The same store is the trust store of the client side
 * in the sandbox, so camel-salesforce keeps its production TLS code path.
 */
final class SelfSignedCertificate {
    static final String PASSWORD = "sandbox";

    private final Path keyStore;

    SelfSignedCertificate(Path dir) {
        this.keyStore = dir.toAbsolutePath().resolve("pubsub-tls.p12");
    }

    Path keyStore() {
        return keyStore;
    }

    void ensureExists() {
        if (Files.exists(keyStore)) {
            return;
        }
        try {
            Files.createDirectories(keyStore.getParent());
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "pubsub", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                    "-dname", "CN=localhost, O=RevOps Bridge sandbox", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    KeyManagerFactory keyManagers() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, PASSWORD.toCharArray());
            return factory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
