package io.revops.bridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import io.revops.bridge.billing.BillingPage;
import io.revops.bridge.policy.LeaderOnly;
import io.revops.bridge.salesforce.ReplayCheckpoints;

/** The billing invoice poller publishes only valid canonical invoices: a bad item is its own dead letter, the feed goes on. */
class BillingInvoiceInboundRouteTest extends RouteTestSupport {
    private final FakeBillingFeed feed = new FakeBillingFeed();
    private ReplayCheckpoints checkpoints;

    @Override
    protected String routeId() {
        return "billing-invoice-inbound";
    }

    @Override
    protected Map<String, Object> beans() {
        return Map.of("billingFeedOverlap", feed, "leaderOnly", new LeaderOnly("none"));
    }

    @Override
    protected void doPostSetup() throws Exception {
        checkpoints = new ReplayCheckpoints(dataSource);
        context().getRegistry().bind("replayCheckpoints", checkpoints);
        super.doPostSetup();
    }

    @Override
    protected void advice(AdviceWithRouteBuilder route) throws Exception {
        route.replaceFromWith("direct:in");
        route.weaveByToUri("kafka:*").replace().to("mock:kafka");
    }

    @Test
    void aBadBillingInvoiceIsADeadLetterTheInvoicesAfterItArePublishedAndANegativeOneIsACreditNote() throws Exception {
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        kafka.expectedMessageCount(3);
        feed.page = new BillingPage(List.of(invoice(1, "10.00", "USD"), invoice(2, "-10.00", "USD"), invoice(3, "20.00", "usd"),
                invoice(4, "30.00", "USD")), 4);

        template.sendBody("direct:in", null);

        kafka.assertIsSatisfied();
        assertThat(kafka.getExchanges()).extracting(e -> e.getMessage().getHeader("ce_subject")).containsExactly("KB-1", "KB-2", "KB-4");
        // Kill Bill's negative invoice (the credit of a paid period ended early) is a credit note, not a refusal
        assertThat(kafka.getExchanges().get(1).getMessage().getBody(String.class)).contains("\"kind\":\"CREDIT_NOTE\"");
        assertThat(checkpoints.position("billing-invoice-inbound", null)).as("the position moves past the bad item").isEqualTo("4");
        assertThat(feed.published).as("the whole page, once the split is done").containsExactly(feed.page);
        assertThat(deadLetters()).extracting(row -> row.get("business_key") + " " + row.get("category") + " " + row.get("reason_code"))
                .containsExactly("KB-3 business invalid-currency");
        assertThat(deadLetters()).allSatisfy(row -> assertThat(row).containsEntry("route_id", "billing-invoice-inbound"));
        assertThat(deadLetters()).extracting(row -> (String) row.get("exception_message")).contains(
                "/totalAmount/currency: usd is not an ISO 4217 currency code");
    }

    private static Map<String, Object> invoice(int number, String amount, String currency) {
        return Map.of("invoiceId", "inv-" + number, "invoiceNumber", number, "accountExternalKey", "001000000000001AAA",
                "invoiceDate", "2026-11-22", "currency", currency, "amount", new BigDecimal(amount),
                "balance", new BigDecimal(amount), "items", List.of(Map.of("description", "Standard", "amount",
                        new BigDecimal(amount), "planName", "standard-monthly", "subscriptionExternalKey", "00000101-1-1")));
    }

    /** Stands in for billing.BillingFeedOverlap: one page, and what the route said it published. */
    public static class FakeBillingFeed {
        volatile BillingPage page;
        final List<BillingPage> published = new java.util.concurrent.CopyOnWriteArrayList<>();

        public BillingPage invoicesAfter(long position, int limit) {
            return page;
        }

        public void invoicesPublished(BillingPage page) {
            published.add(page);
        }
    }
}
