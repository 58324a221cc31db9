package io.revops.bridge.hostile;

import static io.revops.bridge.hostile.PoisonCorpus.INVOICES;
import static io.revops.bridge.hostile.PoisonCorpus.ORDERS;
import static io.revops.bridge.hostile.PoisonCorpus.PAYMENTS;
import static io.revops.bridge.hostile.PoisonCorpus.ROUTES_BY_TOPIC;
import static io.revops.bridge.testing.SandboxSalesforce.activatedOrder;
import static io.revops.bridge.testing.SandboxSalesforce.draftOrder;
import static io.revops.bridge.testing.SandboxSalesforce.orderLine;
import static io.revops.bridge.testing.SandboxSalesforce.orderNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.billing.BillingAccounts;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.hostile.PoisonCorpus.PoisonEvent;
import io.revops.bridge.policy.StoredText;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.KafkaTopic;
import io.revops.bridge.testing.RawKafka.RawRecord;
import io.revops.bridge.testing.RawKafka.Sent;
import io.revops.bridge.testing.RawKafka;
import io.revops.bridge.testing.SandboxSalesforce;
import io.revops.bridge.testing.Sql;

/**
 * Issue 10's poison corpus against the whole runtime: several hundred malformed events on every topic the runtime
 * consumes, interleaved with good traffic (accounts and orders created through the emulated Salesforce REST API,
 * invoices, a payment and orders dated 2099 and 1970 written to Kafka as the runtime's own routes write them).
 * Nothing may stall: every route's consumer lag returns to 0. Nothing may be lost or doubled: each good event is
 * applied once in the target system, and no poison event has any effect there. Every poison event is a readable
 * business dead letter (or skipped by a route it is not for), and the log holds no loop.
 */
@QuarkusTest
class PoisonCorpusTest {
    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final Path LOG = Path.of("target", "revops-test.log");
    /** A loop repeats itself hundreds of times a minute; a few lines per event and route are normal. */
    private static final int MAX_LINES_PER_EVENT = 10;
    private static final int MAX_SAME_MESSAGE = 25;
    private static final long MAX_LOG_GROWTH = 8L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Sandbox sandbox;
    @Inject
    ErpCustomers erp;
    @Inject
    BillingAccounts billing;
    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private SalesforceRest salesforce;

    @Test
    void noPoisonEventStallsARouteOrHasABusinessEffectAndEveryGoodEventIsAppliedOnce() throws Exception {
        long logStart = Files.exists(LOG) ? Files.size(LOG) : 0;
        salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
        String paidInvoice = "KB-ANTIDOTE-1";
        String conflictedInvoice = "KB-ANTIDOTE-2";

        // phase 1: the first half of the corpus while Salesforce publishes the first good accounts
        List<String> accounts = new ArrayList<>();
        accounts.add(salesforce.create("Account", account("Antidote Alpha")));
        accounts.add(salesforce.create("Account", account("Antidote Beta")));
        List<PoisonEvent> corpus = PoisonCorpus.generate(PoisonCorpus.SEED,
                new PoisonCorpus.Context(List.copyOf(accounts), paidInvoice));
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(300);
        assertThat(corpus.stream().map(PoisonEvent::topic).collect(Collectors.toSet())).isEqualTo(ROUTES_BY_TOPIC.keySet());
        int half = corpus.size() / 2;
        Map<PoisonEvent, Sent> sent = new HashMap<>();
        try (RawKafka kafka = new RawKafka(bootstrap)) {
            corpus.subList(0, half).forEach(e -> kafka.send(e.toRecord()));
            zip(corpus.subList(0, half), kafka.flush(), sent);
            accounts.add(salesforce.create("Account", account("Antidote Gamma")));
            accounts.add(salesforce.create("Account", account("Antidote Delta")));

            // phase 2: orders, invoices and a payment, good ones between the rest of the corpus
            for (String account : accounts) {
                await().atMost(SETTLE).until(() -> erp.find(account).isPresent() && billing.find(account).isPresent());
            }
            String soldOrder = activatedOrder(salesforce, accounts.get(0), orderLine("ONBOARDING", "One-Time", 1, 500, null),
                    orderLine("STANDARD", "Recurring", 2, 10, "Monthly"));
            String seatsOrder = activatedOrder(salesforce, accounts.get(1), orderLine("STANDARD", "Recurring", 3, 10, "Monthly"));
            String futureOrder = draftOrder(salesforce, accounts.get(2));
            String ancientOrder = draftOrder(salesforce, accounts.get(3));
            RawRecord futureActivation = activation(futureOrder, accounts.get(2), "2099-06-01T00:00:00Z", 1);
            RawRecord issued = invoiceIssued(conflictedInvoice, accounts.get(1), 10);
            List<RawRecord> good = List.of(invoiceIssued(paidInvoice, accounts.get(0), 10), issued,
                    payment("antidote-payment-1", accounts.get(0), paidInvoice, 4), futureActivation,
                    activation(ancientOrder, accounts.get(3), "1970-01-01T00:00:01Z", 1));
            List<Object> rest = interleave(corpus.subList(half, corpus.size()), good);
            // the same ids with other content, after the good events they copy
            List<PoisonEvent> conflicts = List.of(
                    conflict(corpus.size() + 1, futureActivation, activationBody(futureOrder, accounts.get(2), 2)),
                    conflict(corpus.size() + 2, issued, invoiceBody(conflictedInvoice, accounts.get(1), 99)));
            rest.addAll(conflicts);
            for (Object next : rest) {
                kafka.send(next instanceof PoisonEvent e ? e.toRecord() : (RawRecord) next);
            }
            List<Sent> places = kafka.flush();
            for (int i = 0; i < rest.size(); i++) {
                if (rest.get(i) instanceof PoisonEvent e) {
                    sent.put(e, places.get(i));
                }
            }
            List<PoisonEvent> all = new ArrayList<>(corpus);
            all.addAll(conflicts);

            // every good event applied once, every route caught up
            String sold = orderNumber(salesforce, soldOrder);
            String seats = orderNumber(salesforce, seatsOrder);
            String future = orderNumber(salesforce, futureOrder);
            String ancient = orderNumber(salesforce, ancientOrder);
            await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                for (String order : List.of(sold, seats, future, ancient)) {
                    assertThat(salesOf(order)).as("ERP sales of order %s", order).hasSize(1);
                }
                assertThat(subscriptionsOf(sold)).hasSize(2);
                assertThat(subscriptionsOf(seats)).hasSize(3);
                assertThat(erpInvoicesWithReference(paidInvoice)).singleElement()
                        .satisfies(i -> assertThat(decimal(i.get("amountToPay"))).isEqualByComparingTo("6"));
                assertThat(erpInvoicesWithReference(conflictedInvoice)).singleElement()
                        .satisfies(i -> assertThat(decimal(i.get("total"))).isEqualByComparingTo("10"));
                for (String group : ROUTES_BY_TOPIC.values().stream().flatMap(List::stream).toList()) {
                    String topic = topicOf(group);
                    assertThat(new KafkaTopic(bootstrap, topic).lag(group)).as("lag of %s on %s", group, topic).isZero();
                }
            });
            assertThat(salesOf(future)).singleElement().satisfies(sale -> assertThat((List<?>) sale.get("lines"))
                    .as("the order as first sent (1 onboarding), not its conflicting copy (2)").singleElement()
                    .satisfies(l -> assertThat(decimal(((Map<?, ?>) l).get("quantity"))).isEqualByComparingTo("1")));
            for (String account : accounts) {
                assertThat(partiesWithKey(account)).as("ERP parties of %s", account).hasSize(1);
                assertThat(sandbox.killBill().accounts()).filteredOn(a -> account.equals(a.get("externalKey"))).hasSize(1);
            }
            PoisonOutcomes.noEffectIn(sandbox.tryton(), sandbox.killBill(), sandbox.salesforce());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> PoisonOutcomes.everyEventIsAReadableDeadLetterOrSkipped(
                    dataSource, all, sent));
            theLogHoldsNoLoop(logStart, all);

            // the reused invoice id: its dead letters hold both bodies, the one applied first read back from Kafka
            String issuedId = issued.headers().stream().filter(h -> "ce_id".equals(h.getKey()))
                    .map(h -> new String(h.getValue(), StandardCharsets.UTF_8)).findFirst().orElseThrow();
            assertThat(Sql.rows(dataSource, "SELECT route_id, payload, conflicting_payload FROM dead_letter"
                    + " WHERE reason_code = 'event-id-conflict' AND event_key = ?", StoredText.keyOf(issuedId)))
                    .isNotEmpty().allSatisfy(row -> {
                        assertThat(row.get("conflicting_payload")).as("first body").isEqualTo(new String(issued.value(), StandardCharsets.UTF_8));
                        assertThat(row.get("payload")).as("second body").isEqualTo(invoiceBody(conflictedInvoice, accounts.get(1), 99));
                    });
        }
    }

    // ---- the log

    private static void theLogHoldsNoLoop(long logStart, List<PoisonEvent> corpus) throws Exception {
        byte[] bytes = Files.readAllBytes(LOG);
        assertThat(bytes.length - logStart).as("log growth (bytes) while the corpus ran").isLessThan(MAX_LOG_GROWTH);
        String written = new String(bytes, (int) Math.min(logStart, bytes.length), (int) (bytes.length - Math.min(logStart, bytes.length)),
                StandardCharsets.UTF_8);
        List<String> lines = written.lines().toList();
        for (PoisonEvent event : corpus) {
            String id = event.header("ce_id");
            if (id != null && id.length() >= 12 && id.length() <= 200) {
                long mentions = lines.stream().filter(line -> line.contains(id)).count();
                assertThat(mentions).as("log lines naming %s (%s)", id, event).isLessThanOrEqualTo(MAX_LINES_PER_EVENT);
            }
        }
        Map<String, Long> messages = new HashMap<>();
        for (String line : lines) {
            String message = messageOf(line);
            messages.merge(message, 1L, Long::sum);
        }
        Map.Entry<String, Long> mostRepeated = messages.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        assertThat(mostRepeated.getValue()).as("times the same line was logged: %s", PoisonOutcomes.abbreviate(mostRepeated.getKey()))
                .isLessThanOrEqualTo(MAX_SAME_MESSAGE);
    }

    /** The logger, message and stack trace of a JSON log line, without time, thread or exchange ids. */
    private static String messageOf(String line) {
        try {
            var node = JSON.readTree(line);
            String text = node.path("loggerName").asText() + " " + node.path("message").asText() + " "
                    + node.path("exception").path("message").asText();
            return text.replaceAll("[0-9A-F]{15}-[0-9A-F]{16}", "<exchange>");
        } catch (Exception notJson) {
            // a text line: without its date and time, the same line logged again is the same text
            return line.replaceFirst("^\\S+ \\S+ ", "");
        }
    }

    // ---- what goes to Kafka

    private static void zip(List<PoisonEvent> events, List<Sent> places, Map<PoisonEvent, Sent> sent) {
        for (int i = 0; i < events.size(); i++) {
            sent.put(events.get(i), places.get(i));
        }
    }

    /** The poison events with a good one after every few. */
    private static List<Object> interleave(List<PoisonEvent> poison, List<RawRecord> good) {
        List<Object> mixed = new ArrayList<>();
        int every = Math.max(1, poison.size() / (good.size() + 1));
        int g = 0;
        for (int i = 0; i < poison.size(); i++) {
            if (i > 0 && i % every == 0 && g < good.size()) {
                mixed.add(good.get(g++));
            }
            mixed.add(poison.get(i));
        }
        while (g < good.size()) {
            mixed.add(good.get(g++));
        }
        return mixed;
    }

    private static PoisonEvent conflict(int number, RawRecord original, String otherBody) {
        List<PoisonCorpus.Header> headers = original.headers().stream()
                .map(h -> new PoisonCorpus.Header(h.getKey(), h.getValue())).toList();
        return PoisonCorpus.conflictWith(number, original.topic(), original.key(), headers, otherBody);
    }

    private static RawRecord canonical(String topic, String key, String id, String type, String source, String subject,
            String time, String correlationId, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", id);
        headers.put("ce_type", type);
        headers.put("ce_source", source);
        headers.put("ce_subject", subject);
        headers.put("ce_time", time);
        headers.put("ce_correlationid", correlationId);
        headers.put("content-type", "application/json");
        return new RawRecord(topic, key, headers.entrySet().stream()
                .map(h -> Map.entry(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8))).toList(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** An order activation as salesforce-order-inbound publishes it, for an order that exists in Salesforce. */
    private RawRecord activation(String orderId, String account, String time, int quantity) {
        String number = orderNumber(salesforce, orderId);
        return canonical(ORDERS, account, "salesforce:antidote-" + number + ":1:" + orderId, "revops.order.activated.v1",
                "/salesforce/data/OrderChangeEvent", number, time, "order-" + number, activationBody(orderId, account, quantity));
    }

    private String activationBody(String orderId, String account, int quantity) {
        String number = orderNumber(salesforce, orderId);
        return write(Map.of("orderNumber", number, "accountId", account, "status", "ACTIVATED", "currency", "USD",
                "totalAmount", Map.of("amount", 500 * quantity, "currency", "USD"),
                "lines", List.of(Map.of("lineId", number + "-1", "productCode", "ONBOARDING", "description", "Onboarding",
                        "quantity", quantity, "unitPrice", Map.of("amount", 500, "currency", "USD"), "chargeType", "ONE_TIME")),
                "ids", Map.of("salesforce", orderId)));
    }

    /** A billing invoice as billing-invoice-inbound publishes it. */
    private static RawRecord invoiceIssued(String number, String account, int total) {
        return canonical(INVOICES, account, "billing:invoice:" + number, "revops.invoice.issued.v1", "/billing/killbill/invoice",
                number, "2026-12-01T10:00:00Z", "invoice-" + number, invoiceBody(number, account, total));
    }

    private static String invoiceBody(String number, String account, int total) {
        Map<String, Object> money = Map.of("amount", total, "currency", "USD");
        return write(Map.of("invoiceNumber", number, "sourceSystem", "billing", "accountId", account,
                "invoiceDate", LocalDate.now().toString(), "status", "POSTED",
                "lines", List.of(Map.of("description", "standard-monthly", "productCode", "standard-monthly", "quantity", 1,
                        "amount", money)),
                "totalAmount", money, "balance", money, "ids", Map.of("billing", number)));
    }

    /** A payment as billing-payment-inbound publishes it. */
    private static RawRecord payment(String paymentId, String account, String invoice, int amount) {
        return canonical(PAYMENTS, account, "billing:payment:" + paymentId, "revops.payment.received.v1",
                "/billing/killbill/payment", paymentId, "2026-12-01T10:00:00Z", "invoice-" + invoice,
                write(Map.of("paymentId", paymentId, "accountId", account, "invoiceNumber", invoice,
                        "amount", Map.of("amount", amount, "currency", "USD"), "receivedAt", LocalDate.now() + "T10:00:00Z",
                        "method", "EXTERNAL", "status", "SUCCEEDED", "ids", Map.of("billing", paymentId))));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String topicOf(String group) {
        return ROUTES_BY_TOPIC.entrySet().stream().filter(e -> e.getValue().contains(group)).findFirst().orElseThrow().getKey();
    }

    // ---- Salesforce, as a sales rep uses it

    private static Map<String, Object> account(String name) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", name);
        fields.put("BillingCity", "Springfield");
        fields.put("BillingCountry", "US");
        fields.put("CurrencyIsoCode", "USD");
        return fields;
    }

    // ---- the target systems, read directly

    private List<Map<String, Object>> salesOf(String orderNumber) {
        return sandbox.tryton().sales().stream().filter(s -> orderNumber.equals(s.get("reference"))).toList();
    }

    private List<Map<String, Object>> subscriptionsOf(String orderNumber) {
        return sandbox.killBill().subscriptions().stream()
                .filter(s -> String.valueOf(s.get("externalKey")).startsWith(orderNumber + "-")).toList();
    }

    private List<Map<String, Object>> erpInvoicesWithReference(String reference) {
        return sandbox.tryton().invoices().stream().filter(i -> reference.equals(i.get("reference"))).toList();
    }

    private List<Map<String, Object>> partiesWithKey(String key) {
        return sandbox.tryton().parties().stream().filter(p -> ((List<?>) p.get("identifiers")).contains(key)).toList();
    }

    private static BigDecimal decimal(Object value) {
        return new BigDecimal(String.valueOf(value));
    }
}
