package io.revops.bridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** changeOrigin as Salesforce writes it (com/salesforce/api/<api>/<version>;client=<name>), read exactly. */
class ChangeOriginsTest {
    private final ChangeOrigins origins = new ChangeOrigins("revops-bridge");

    @Test
    void onlyTheRuntimesOwnClientNameIsAnEcho() {
        assertThat(ChangeOrigins.madeBy("com/salesforce/api/rest/59.0;client=revops-bridge", "revops-bridge")).isTrue();
        assertThat(ChangeOrigins.madeBy("com/salesforce/api/soap/47.0;client=revops-bridge", "revops-bridge")).isTrue();
        assertThat(ChangeOrigins.madeBy("com/salesforce/api/rest/59.0;client=revops-bridge-staging", "revops-bridge")).isFalse();
        assertThat(ChangeOrigins.madeBy("com/salesforce/api/rest/59.0;client=GetCloudy", "revops-bridge")).isFalse();
        assertThat(ChangeOrigins.madeBy("com/salesforce/api/rest/59.0", "revops-bridge")).isFalse();
        assertThat(ChangeOrigins.madeBy("com/salesforce/ui", "revops-bridge")).isFalse();
        assertThat(ChangeOrigins.madeBy("", "revops-bridge")).isFalse();
        assertThat(ChangeOrigins.madeBy(null, "revops-bridge")).isFalse();
    }

    @Test
    void readsTheHeaderOfADecodedChangeEventAndToleratesAnythingElse() {
        assertThat(origins.fromThisRuntime(Map.of("ChangeEventHeader",
                Map.of("changeOrigin", "com/salesforce/api/rest/59.0;client=revops-bridge")))).isTrue();
        assertThat(origins.fromThisRuntime(Map.of("ChangeEventHeader", Map.of()))).isFalse();
        assertThat(origins.fromThisRuntime(Map.of("Name", "no header"))).isFalse();
        assertThat(origins.fromThisRuntime(null)).isFalse();
        assertThat(origins.callOptions()).isEqualTo("client=revops-bridge");
    }
}
