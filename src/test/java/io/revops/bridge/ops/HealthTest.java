package io.revops.bridge.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.testing.Management;

@QuarkusTest
class HealthTest {
    @Inject
    CamelContext camel;

    @Test
    void readinessFollowsKafkaTheDatabaseAndEveryRoute() throws Exception {
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/health/started").then().statusCode(200);
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'routes' }.data.'salesforce-account-inbound'", equalTo("Started"));

        camel.getRouteController().stopRoute("billing-account-sync");
        try {
            Management.given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'routes' }.data.'billing-account-sync'", equalTo("Stopped"));
        } finally {
            camel.getRouteController().startRoute("billing-account-sync");
        }
        Management.given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void healthMetricsAndOpenApiAreServedOnTheManagementPortNotThePublicOne() {
        for (String path : List.of("/q/health/ready", "/q/metrics", "/q/openapi")) {
            Management.given().get(path).then().statusCode(200);
            given().get(path).then().statusCode(404);
        }
    }
}
