package io.revops.bridge.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTest {
    @Inject
    CamelContext camel;

    @Test
    void readinessFollowsKafkaTheDatabaseAndEveryRoute() throws Exception {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'routes' }.data.'salesforce-account-inbound'", equalTo("Started"));

        camel.getRouteController().stopRoute("billing-account-sync");
        try {
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'routes' }.data.'billing-account-sync'", equalTo("Stopped"));
        } finally {
            camel.getRouteController().startRoute("billing-account-sync");
        }
        given().get("/q/health/ready").then().statusCode(200);
    }
}
