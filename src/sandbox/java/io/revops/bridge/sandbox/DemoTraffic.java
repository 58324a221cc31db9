package io.revops.bridge.sandbox;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Demo traffic for the embedded default: every few seconds a sales rep creates or edits an account, or activates an
 * order (onboarding plus subscription seats) for one, in the emulated Salesforce through its REST API, so the
 * account and quote-to-cash flows to ERP and billing run and show up in the log.
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
        if (accounts.size() > 1 && random.nextInt(3) == 0) {
            activateOrder(accounts.get(random.nextInt(accounts.size() - 1)), random); // not the newest: it is synced by now
        } else if (accounts.isEmpty() || random.nextInt(3) > 0) {
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

    private void activateOrder(String account, ThreadLocalRandom random) {
        int seats = 1 + random.nextInt(5);
        boolean premium = random.nextBoolean();
        double seatPrice = premium ? 25 : 10;
        String orderId = salesforce.create("Order", Map.of("AccountId", account, "Status", "Draft",
                "EffectiveDate", LocalDate.now().toString(), "CurrencyIsoCode", "USD", "TotalAmount", 500 + seats * seatPrice));
        salesforce.create("OrderItem", Map.of("OrderId", orderId, "Product_Code__c", "ONBOARDING", "Description", "Onboarding",
                "Quantity", 1, "UnitPrice", 500, "Charge_Type__c", "One-Time"));
        salesforce.create("OrderItem", Map.of("OrderId", orderId, "Product_Code__c", premium ? "PREMIUM" : "STANDARD",
                "Description", "Seats", "Quantity", seats, "UnitPrice", seatPrice, "Charge_Type__c", "Recurring",
                "Billing_Frequency__c", "Monthly", "Term_Months__c", 12));
        salesforce.update("Order", orderId, Map.of("Status", "Activated"));
        log.info("Demo: a sales rep activated order {} for account {} (onboarding + {} {} seats)", orderId, account, seats,
                premium ? "premium" : "standard");
    }
}
