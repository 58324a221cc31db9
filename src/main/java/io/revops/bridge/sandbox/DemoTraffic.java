package io.revops.bridge.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Demo traffic for the embedded default: every few seconds a sales rep creates or edits an account in the
 * emulated Salesforce through its REST API, so the flows to ERP and billing run and show up in the log.
 */
@ApplicationScoped
public class DemoTraffic extends RouteBuilder {
    private static final String[] COMPANIES = {"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay"};
    private static final String[] CITIES = {"Springfield", "Shelbyville", "Ogdenville", "North Haverbrook"};

    @ConfigProperty(name = "revops.sandbox.demo-traffic.period", defaultValue = "0")
    long periodMillis;
    @ConfigProperty(name = "camel.component.salesforce.login-url")
    String loginUrl;
    @ConfigProperty(name = "camel.component.salesforce.client-id")
    String clientId;
    @ConfigProperty(name = "camel.component.salesforce.client-secret")
    String clientSecret;
    @ConfigProperty(name = "camel.component.salesforce.user-name")
    String user;
    @ConfigProperty(name = "camel.component.salesforce.password")
    String password;

    private final List<String> accounts = new ArrayList<>();
    private SalesforceRest salesforce;

    @Override
    public void configure() {
        if (periodMillis <= 0) {
            return;
        }
        from("timer:sandbox-demo-traffic?delay=5000&period=" + periodMillis).routeId("sandbox-demo-traffic")
                .process(exchange -> nextChange());
    }

    private void nextChange() {
        if (salesforce == null) {
            salesforce = new SalesforceRest(loginUrl, clientId, clientSecret, user, password);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (accounts.isEmpty() || random.nextInt(3) > 0) {
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("Name", COMPANIES[random.nextInt(COMPANIES.length)] + " " + (1000 + random.nextInt(9000)));
            account.put("Industry", "Technology");
            account.put("BillingStreet", (1 + random.nextInt(999)) + " Evergreen Terrace");
            account.put("BillingCity", CITIES[random.nextInt(CITIES.length)]);
            account.put("BillingPostalCode", String.valueOf(10000 + random.nextInt(89999)));
            account.put("BillingCountry", "US");
            account.put("CurrencyIsoCode", "USD");
            String id = salesforce.create("Account", account);
            accounts.add(id);
            log.info("Demo: a sales rep created Salesforce account {} ({})", id, account.get("Name"));
        } else {
            String id = accounts.get(random.nextInt(accounts.size()));
            String city = CITIES[random.nextInt(CITIES.length)];
            salesforce.update("Account", id, Map.of("BillingCity", city));
            log.info("Demo: a sales rep moved Salesforce account {} to {}", id, city);
        }
    }
}
