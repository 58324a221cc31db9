package io.revops.bridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.revops.bridge.testing.NodeClients;

/**
 * The sandbox org as jsforce (npm, a client nobody here wrote) sees it: every check in src/test/js/checks is one
 * test. The emulator runs on free ports; jsforce trusts its self-signed certificate through NODE_EXTRA_CA_CERTS, as a
 * user of the sandbox would. Run a subset with -Dchecks=<regex over "file: check name">.
 */
class JsforceContractTest {
    private static final Path WORK = Path.of("target", "sandbox-jsforce");
    private static SalesforceEmulator org;

    @BeforeAll
    static void start() {
        org = new SalesforceEmulator(freePort(), freePort(), WORK);
        org.start();
        // small pages, so that paging (nextRecordsUrl) is exercised by ordinary checks
        org.setQueryPageSize(3);
    }

    @AfterAll
    static void stop() {
        org.close();
    }

    @TestFactory
    Stream<DynamicTest> jsforceChecks() {
        Map<String, String> environment = new HashMap<>(Map.of(
                "SF_LOGIN_URL", org.loginUrl(),
                "SF_CLIENT_ID", "sandbox-client",
                "SF_CLIENT_SECRET", "sandbox-secret",
                "SF_USERNAME", "integration@revops.sandbox",
                "SF_PASSWORD", "sandbox",
                "NODE_EXTRA_CA_CERTS", certificatePem(org).toString()));
        String only = System.getProperty("checks");
        if (only != null) {
            environment.put("CHECKS_MATCHING", only);
        }
        return NodeClients.runChecks(environment).stream().map(result -> DynamicTest.dynamicTest(result.check(),
                () -> assertThat(result.ok()).as(result.check() + " failed: " + result.error()).isTrue()));
    }

    /** The sandbox's certificate as PEM, for Node's NODE_EXTRA_CA_CERTS. */
    static Path certificatePem(SalesforceEmulator org) {
        try (InputStream in = Files.newInputStream(org.trustStore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, org.trustStorePassword().toCharArray());
            byte[] der = store.getCertificate(store.aliases().nextElement()).getEncoded();
            Path pem = WORK.resolve("sandbox-ca.pem").toAbsolutePath();
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END CERTIFICATE-----\n");
            return pem;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
