package io.revops.bridge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A packaged runtime's health probes on its management port, as the kubelet reads them: a runtime that does not answer
 * (not up yet, or gone) is -1 / null rather than an exception, so tests can wait on them.
 */
public final class HealthProbes {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private HealthProbes() {
    }

    /** The HTTP status of /q/health/{probe} (live, ready, started), or -1 when nothing answers. */
    public static int status(int managementPort, String probe) {
        try {
            return HTTP.send(request(managementPort, probe), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of /q/health/{probe}, or null when nothing answers. */
    public static JsonNode health(int managementPort, String probe) {
        try {
            return JSON.readTree(HTTP.send(request(managementPort, probe), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** One named check of a health answer; an empty object when the answer or the check is missing. */
    public static JsonNode check(JsonNode health, String name) {
        if (health != null) {
            for (JsonNode check : health.path("checks")) {
                if (name.equals(check.path("name").asText())) {
                    return check;
                }
            }
        }
        return JSON.createObjectNode();
    }

    private static HttpRequest request(int managementPort, String probe) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/" + probe))
                .timeout(Duration.ofSeconds(10)).build();
    }
}
