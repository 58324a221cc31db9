package io.revops.bridge.testing;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests to the runtime's management interface (health, metrics, OpenAPI), which has its own port. */
public final class Management {
    private Management() {
    }

    /** Like RestAssured.given(), on the management port of the runtime under test. */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    public static int port() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
    }
}
