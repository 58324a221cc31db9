package io.revops.bridge.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.revops.bridge.policy.BusinessException;

/** The validator over a table of hostile events: every refusal has its reason code and names what is wrong. */
class CanonicalEventsTest {
    private static final String ORDER_TOPIC = "revops.order.v1";
    private static final String GOOD_ORDER = """
            {"orderNumber": "00000101", "accountId": "001000000000001AAA", "status": "ACTIVATED", "currency": "USD",
             "totalAmount": {"amount": 520.00, "currency": "USD"},
             "lines": [
               {"lineId": "1", "productCode": "ONBOARDING", "quantity": 1, "unitPrice": {"amount": 500, "currency": "USD"},
                "chargeType": "ONE_TIME"},
               {"lineId": "2", "productCode": "STANDARD", "quantity": 2, "unitPrice": {"amount": 10, "currency": "USD"},
                "chargeType": "RECURRING", "billingPeriod": "MONTHLY", "termMonths": 12}],
             "ids": {"salesforce": "801000000000001AAA"}}""";
    private static final String GOOD_ACCOUNT = """
            {"accountId": "001000000000001AAA", "name": "Acme", "currency": "USD", "deleted": false}""";
    private static final String GOOD_INVOICE = """
            {"invoiceNumber": "KB-1", "sourceSystem": "billing", "accountId": "001000000000001AAA", "status": "POSTED",
             "totalAmount": {"amount": 10.00, "currency": "USD"}, "balance": {"amount": 10.00, "currency": "USD"}}""";
    private static final String LONG = "x".repeat(100_000);
    private static final Consumer<Map<String, Object>> NO_CHANGE = headers -> { };

    private static CamelContext camel;
    private final CanonicalEvents validator = new CanonicalEvents();

    @BeforeAll
    static void camel() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // consumers of one topic, never started: only their ids and topics matter
                from("kafka:" + ORDER_TOPIC).routeId("erp-order-sync").autoStartup(false).log("x");
                from("kafka:" + ORDER_TOPIC).routeId("billing-order-activation").autoStartup(false).log("x");
                from("kafka:revops.account.v1").routeId("erp-account-sync").autoStartup(false).log("x");
            }
        });
        camel.start();
    }

    @AfterAll
    static void stop() {
        camel.stop();
    }

    static Stream<Arguments> hostileEvents() {
        return Stream.of(
                // the envelope
                refused("specversion missing", ORDER_TOPIC, h -> h.remove("ce_specversion"), GOOD_ORDER, "invalid-event", "ce_specversion: missing"),
                refused("specversion 0.3", ORDER_TOPIC, h -> h.put("ce_specversion", "0.3"), GOOD_ORDER, "invalid-event", "ce_specversion: is 0.3"),
                refused("id missing", ORDER_TOPIC, h -> h.remove("ce_id"), GOOD_ORDER, "invalid-event", "ce_id: missing"),
                refused("id derived by the consumer", ORDER_TOPIC, h -> {
                    h.put("ce_id", "derived:revops.order.v1:0:42");
                    h.put("revops_derived_id", "true");
                }, GOOD_ORDER, "invalid-event", "ce_id: missing (the runtime derived derived:revops.order.v1:0:42"),
                refused("blank type", ORDER_TOPIC, h -> h.put("ce_type", " "), GOOD_ORDER, "invalid-event", "ce_type: missing"),
                refused("unknown type", ORDER_TOPIC, h -> h.put("ce_type", "revops.order.exploded.v1"), GOOD_ORDER, "invalid-event",
                        "ce_type: revops.order.exploded.v1 is not a known canonical event type"),
                refused("type of another topic", ORDER_TOPIC, h -> h.put("ce_type", "revops.account.created.v1"), GOOD_ORDER,
                        "invalid-event", "ce_type: revops.account.created.v1 does not belong on topic revops.order.v1"),
                refused("source missing", ORDER_TOPIC, h -> h.remove("ce_source"), GOOD_ORDER, "invalid-event", "ce_source: missing"),
                refused("unknown source", ORDER_TOPIC, h -> h.put("ce_source", "/attacker"), GOOD_ORDER, "invalid-event",
                        "ce_source: /attacker is not a known source"),
                refused("subject missing", ORDER_TOPIC, h -> h.remove("ce_subject"), GOOD_ORDER, "invalid-event", "ce_subject: missing"),
                refused("subject of 300 characters", ORDER_TOPIC, h -> h.put("ce_subject", "S".repeat(300)), GOOD_ORDER,
                        "invalid-event", "ce_subject: 300 characters long, at most 255 allowed"),
                refused("NUL in the subject", ORDER_TOPIC, h -> h.put("ce_subject", "0000\u0000101"), GOOD_ORDER, "invalid-event",
                        "ce_subject: contains control or bidirectional characters: 0000\\u0000101"),
                refused("RTL override in the id", ORDER_TOPIC, h -> h.put("ce_id", "evt-\u202Eexe.txt"), GOOD_ORDER, "invalid-event",
                        "ce_id: contains control or bidirectional characters: evt-\\u202Eexe.txt"),
                refused("time not ISO-8601", ORDER_TOPIC, h -> h.put("ce_time", "yesterday"), GOOD_ORDER, "invalid-event",
                        "ce_time: yesterday is not an ISO-8601 timestamp"),
                // the JSON
                refused("not JSON", ORDER_TOPIC, h -> { }, "{\"orderNumber\": ", "invalid-event", "data: not valid JSON"),
                refused("trailing garbage", ORDER_TOPIC, h -> { }, GOOD_ORDER + " }", "invalid-event", "data: not valid JSON"),
                refused("a JSON array", ORDER_TOPIC, h -> { }, "[1, 2]", "invalid-event", "data: expected a JSON object but got array"),
                refused("empty body", ORDER_TOPIC, h -> { }, "", "invalid-event", "data: expected a JSON object but got"),
                refused("10,000 levels deep", ORDER_TOPIC, h -> { }, "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
                        "invalid-event", "data: beyond the parser's limits (nesting depth at most 32"),
                refused("a key given twice", ORDER_TOPIC, h -> { }, GOOD_ORDER.replace("\"status\": \"ACTIVATED\"",
                        "\"status\": \"ACTIVATED\", \"status\": \"FULFILLED\""), "invalid-event", "Duplicate field 'status'"),
                refused("an unknown attribute", ORDER_TOPIC, h -> { }, GOOD_ORDER.replace("\"status\"", "\"discount\": 99, \"status\""),
                        "invalid-event", "data: property 'discount' is not defined in the schema"),
                refused("100,000-character property name", ORDER_TOPIC, h -> { }, GOOD_ORDER.replace("\"status\"", "\"" + LONG + "\": 1, \"status\""),
                        "invalid-event", "Name length (100000) exceeds the maximum allowed"),
                // order rules
                refused("no lines", ORDER_TOPIC, h -> { }, order("\"lines\": []"), "order-without-lines", "/lines: the order has no lines"),
                refused("null lines", ORDER_TOPIC, h -> { }, order("\"lines\": null"), "order-without-lines", "/lines"),
                refused("lines missing", ORDER_TOPIC, h -> { }, GOOD_ORDER.replaceAll("(?s)\"lines\": \\[.*\\],", ""),
                        "order-without-lines", "/lines"),
                refused("a null line", ORDER_TOPIC, h -> { }, order("\"lines\": [null]"), "order-without-lines", "/lines/0: the line is null"),
                refused("quantity -1", ORDER_TOPIC, h -> { }, oneLine("-1", "500", "ONE_TIME"), "invalid-quantity", "/lines/0/quantity: -1 is not"),
                refused("quantity 0", ORDER_TOPIC, h -> { }, oneLine("0", "500", "ONE_TIME"), "invalid-quantity", "/lines/0/quantity: 0 is not"),
                refused("quantity 1e300", ORDER_TOPIC, h -> { }, oneLine("1e300", "500", "ONE_TIME"), "invalid-quantity",
                        "/lines/0/quantity: 1E+300 is not a quantity above 0 and at most 1000000"),
                refused("quantity 1e999999999", ORDER_TOPIC, h -> { }, oneLine("1e999999999", "500", "ONE_TIME"), "invalid-quantity",
                        "1E+999999999 is not a quantity"),
                refused("quantity 1e-300", ORDER_TOPIC, h -> { }, oneLine("1e-300", "500", "ONE_TIME"), "invalid-quantity",
                        "has more than 6 decimal places"),
                refused("quantity a string", ORDER_TOPIC, h -> { }, oneLine("\"ten\"", "500", "ONE_TIME"), "invalid-event",
                        "/lines/0/quantity: string found, number expected"),
                refused("2.5 seats", ORDER_TOPIC, h -> { }, oneLine("2.5", "10", "RECURRING"), "fractional-seats",
                        "/lines/0/quantity: 2.5 seats: a recurring line sells whole seats"),
                refused("unit price -500", ORDER_TOPIC, h -> { }, oneLine("1", "-500", "ONE_TIME"), "negative-price",
                        "/lines/0/unitPrice/amount: -500 is below 0"),
                refused("unit price 1e300", ORDER_TOPIC, h -> { }, oneLine("1", "1e300", "ONE_TIME"), "invalid-event", "/lines/0/unitPrice/amount"),
                refused("unit price 1e999999999", ORDER_TOPIC, h -> { }, oneLine("1", "1e999999999", "ONE_TIME"), "invalid-event",
                        "/lines/0/unitPrice/amount: the number 1E+999999999 is out of range"),
                refused("a total that is not the sum", ORDER_TOPIC, h -> { }, GOOD_ORDER.replace("520.00", "530"), "amount-mismatch",
                        "/totalAmount/amount: the order totals 530 but its lines add up to 520.00"),
                refused("currency XYZ", ORDER_TOPIC, h -> { }, GOOD_ORDER.replace("\"currency\": \"USD\",\n", "\"currency\": \"XYZ\",\n"),
                        "invalid-currency", "/currency: XYZ is not an ISO 4217 currency code"),
                refused("currency usd on a price", ORDER_TOPIC, h -> { }, oneLine("1", "500", "ONE_TIME").replace(
                        "\"amount\": 500, \"currency\": \"USD\"", "\"amount\": 500, \"currency\": \"usd\""), "invalid-currency",
                        "/lines/0/unitPrice/currency: usd is not"),
                refused("currency 840", ORDER_TOPIC, h -> { }, GOOD_ORDER.replace("\"currency\": \"USD\",\n", "\"currency\": 840,\n"),
                        "invalid-currency", "/currency: 840 is not"),
                // invoices
                refused("a negative invoice", "revops.invoice.v1", NO_CHANGE, GOOD_INVOICE.replace("\"amount\": 10.00, \"currency\": \"USD\"}, \"balance\"",
                        "\"amount\": -10.00, \"currency\": \"USD\"}, \"balance\""), "negative-invoice",
                        "/totalAmount/amount: -10.00 is negative but the invoice is not a credit note"),
                // accounts
                refused("a 100,000-character name", "revops.account.v1", NO_CHANGE, GOOD_ACCOUNT.replace("Acme", LONG),
                        "invalid-account-name", "/name: the name is 100000 characters long, at most 255 allowed: xxxx"),
                refused("300 emoji for a name", "revops.account.v1", NO_CHANGE, GOOD_ACCOUNT.replace("Acme", "\uD83D\uDE00".repeat(300)),
                        "invalid-account-name", "the name is 300 characters long, at most 255 allowed: " + "\uD83D\uDE00".repeat(20) + "..."),
                refused("an empty name", "revops.account.v1", NO_CHANGE, GOOD_ACCOUNT.replace("\"Acme\"", "\"  \""),
                        "invalid-account-name", "/name: the name must be a non-blank text, not blank"),
                refused("a number for a name", "revops.account.v1", NO_CHANGE, GOOD_ACCOUNT.replace("\"Acme\"", "42"),
                        "invalid-account-name", "not 42"),
                refused("a created account without a name", "revops.account.v1", NO_CHANGE, GOOD_ACCOUNT.replace("\"name\": \"Acme\", ", ""),
                        "invalid-account-name", "/name: an account needs a name"),
                refused("NUL in a name", "revops.account.v1", NO_CHANGE, GOOD_ACCOUNT.replace("Acme", "Ac\\u0000me"),
                        "invalid-account-name", "/name: the name contains control characters: Ac\\u0000me"),
                refused("account currency usd", "revops.account.v1", NO_CHANGE, GOOD_ACCOUNT.replace("USD", "usd"),
                        "invalid-currency", "/currency: usd is not an ISO 4217 currency code"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileEvents")
    void aHostileEventIsRefusedWithItsCodeAndWhatIsWrong(String name, String topic, Consumer<Map<String, Object>> headers,
            String body, String code, String message) {
        BusinessException refusal = refusalOf(topic, headers, body);

        assertThat(refusal).as(name).isNotNull();
        assertThat(refusal.reasonCode()).as(name + ": " + refusal.getMessage()).isEqualTo(code);
        assertThat(refusal.getMessage()).as(name).contains(message).hasSizeLessThan(1_000);
    }

    @Test
    void validEventsPassWhateverTheirNumbersLookLike() {
        assertThatCode(() -> validator.validateConsumed(exchange(ORDER_TOPIC, h -> { }, GOOD_ORDER, ownerOf(ORDER_TOPIC)))).doesNotThrowAnyException();
        assertThatCode(() -> validator.validateConsumed(exchange("revops.account.v1", NO_CHANGE, GOOD_ACCOUNT, ownerOf("revops.account.v1"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> validator.validateConsumed(exchange("revops.invoice.v1", NO_CHANGE, GOOD_INVOICE.replace(
                "\"status\"", "\"kind\": \"CREDIT_NOTE\", \"status\"").replace("10.00, \"currency\": \"USD\"}, \"balance\"",
                "-10.00, \"currency\": \"USD\"}, \"balance\""), ownerOf("revops.invoice.v1")))).as("a credit note may be negative").doesNotThrowAnyException();
        assertThatCode(() -> validator.validateConsumed(exchange("revops.account.v1", h -> h.put("ce_type", "revops.account.updated.v1"),
                "{\"accountId\": \"001000000000001AAA\", \"phone\": \"+1 555\", \"deleted\": false, \"changedAttributes\": [\"phone\"]}", ownerOf("revops.account.v1"))))
                .as("an update without a name keeps the name").doesNotThrowAnyException();
        assertThatCode(() -> validator.validateConsumed(exchange("revops.account.v1", NO_CHANGE,
                GOOD_ACCOUNT.replace("Acme", "\uD83D\uDE00".repeat(255)), ownerOf("revops.account.v1"))))
                .as("255 characters outside the BMP are 255 characters").doesNotThrowAnyException();
        assertThatCode(() -> validator.validateConsumed(exchange(ORDER_TOPIC, h -> { }, oneLine("1.5", "200", "ONE_TIME"),
                ownerOf(ORDER_TOPIC)))).as("one-time lines may be fractional")
                .doesNotThrowAnyException();
    }

    @Test
    void anInvalidEventIsDeadLetteredByTheTopicsFirstConsumerOnlyAndSkippedByTheOthers() {
        Exchange owner = exchange(ORDER_TOPIC, h -> h.remove("ce_id"), GOOD_ORDER, "billing-order-activation");
        assertThat(catchThrowableOfType(BusinessException.class, () -> validator.validateConsumed(owner))).isNotNull();

        Exchange other = exchange(ORDER_TOPIC, h -> h.remove("ce_id"), GOOD_ORDER, "erp-order-sync");
        validator.validateConsumed(other);
        assertThat(other.isRouteStop()).as("the route stops here").isTrue();
        assertThat(other.getProperty("relevant")).as("lineage: skipped").isEqualTo(false);

        Exchange valid = exchange(ORDER_TOPIC, h -> { }, GOOD_ORDER, "erp-order-sync");
        validator.validateConsumed(valid);
        assertThat(valid.isRouteStop()).isFalse();
    }

    @Test
    void anEventValidatedOnceIsNotCheckedAgainButNothingElsePassesOnItsStrength() {
        String topic = "revops.account.v1";
        assertThatCode(() -> validator.validateConsumed(exchange(topic, NO_CHANGE, GOOD_ACCOUNT, "erp-account-sync")))
                .doesNotThrowAnyException();
        Exchange again = exchange(topic, NO_CHANGE, GOOD_ACCOUNT, "billing-account-sync");
        validator.validateConsumed(again);
        assertThat(again.isRouteStop()).as("the same event on another route of the topic").isFalse();

        // the same headers with another body, the same body under another type: each checked on its own
        assertThat(refusalOf(topic, NO_CHANGE, GOOD_ACCOUNT.replace("\"Acme\"", "42")).reasonCode()).isEqualTo("invalid-account-name");
        assertThat(refusalOf(topic, h -> h.put("ce_type", "revops.account.frozen.v1"), GOOD_ACCOUNT).reasonCode())
                .isEqualTo("invalid-event");
        assertThat(refusalOf(ORDER_TOPIC, NO_CHANGE, GOOD_ACCOUNT)).as("an account event on the order topic").isNotNull();
    }

    @Test
    void aPublishedEventPassesItsConsumersButARecordChangedOnTheWayIsCheckedAgain() {
        String topic = "revops.account.v1";
        CloudEvent published = new CloudEvent("salesforce:tx-1:1:801000000000001AAA", "revops.account.created.v1",
                "/salesforce/data/AccountChangeEvent", "00000101", java.time.Instant.parse("2026-11-22T10:00:00Z"), "corr-1",
                null, Map.of("accountId", "001000000000001AAA"));
        validator.validateProduced(published, GOOD_ACCOUNT);
        Exchange consumed = exchange(topic, NO_CHANGE, GOOD_ACCOUNT, "erp-account-sync");
        validator.validateConsumed(consumed);
        assertThat(consumed.isRouteStop()).as("the very record published").isFalse();

        // the same attributes with another body, on another topic, or with an id the consumer derived: checked anew
        assertThat(refusalOf(topic, NO_CHANGE, GOOD_ACCOUNT.replace("\"Acme\"", "42")).reasonCode()).isEqualTo("invalid-account-name");
        assertThat(refusalOf(ORDER_TOPIC, h -> h.put("ce_type", "revops.account.created.v1"), GOOD_ACCOUNT).getMessage())
                .contains("does not belong on topic");
        assertThat(refusalOf(topic, h -> h.put(CanonicalEvents.DERIVED_ID_HEADER, "true"), GOOD_ACCOUNT)).as("a derived id")
                .isNotNull();
        // nor does an invalid event pass on the way out
        assertThat(catchThrowableOfType(BusinessException.class, () -> validator.validateProduced(published,
                GOOD_ACCOUNT.replace("\"Acme\"", "42"))).reasonCode()).isEqualTo("invalid-account-name");
    }

    /** Every value of every valid event replaced by every wrong shape: a refusal with a code, never a crash. */
    @Test
    void noShapeMakesTheRulesCrash() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> wrongShapes = List.of(NullNode.instance, TextNode.valueOf("x"), mapper.readTree("1e300"),
                mapper.readTree("-1"), mapper.readTree("[]"), mapper.readTree("[null]"), mapper.readTree("{}"),
                BooleanNode.TRUE);
        int refused = 0;
        for (String[] event : List.of(new String[] {ORDER_TOPIC, GOOD_ORDER}, new String[] {"revops.account.v1", GOOD_ACCOUNT},
                new String[] {"revops.invoice.v1", GOOD_INVOICE})) {
            JsonNode good = mapper.readTree(event[1]);
            for (JsonNode mutant : mutants(good, wrongShapes)) {
                try {
                    validator.validateConsumed(exchange(event[0], NO_CHANGE, mutant.toString(), ownerOf(event[0])));
                } catch (BusinessException refusal) {
                    assertThat(refusal.reasonCode()).isNotBlank();
                    assertThat(refusal.getMessage()).as(mutant.toString()).isNotBlank();
                    refused++;
                }
            }
        }
        assertThat(refused).as("most wrong shapes are refused").isGreaterThan(200);
    }

    /** Copies of {@code tree} with one value (at any depth) replaced by one of {@code replacements}. */
    private static List<JsonNode> mutants(JsonNode tree, List<JsonNode> replacements) {
        List<JsonNode> mutants = new ArrayList<>();
        collect(tree, tree, new ArrayList<>(), replacements, mutants);
        return mutants;
    }

    private static void collect(JsonNode root, JsonNode node, List<Object> path, List<JsonNode> replacements,
            List<JsonNode> mutants) {
        List<Object> children = new ArrayList<>();
        node.fieldNames().forEachRemaining(children::add);
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            children.add(i);
        }
        for (Object child : children) {
            List<Object> childPath = new ArrayList<>(path);
            childPath.add(child);
            for (JsonNode replacement : replacements) {
                JsonNode copy = root.deepCopy();
                JsonNode parent = copy;
                for (Object step : path) {
                    parent = step instanceof Integer index ? parent.get(index) : parent.get((String) step);
                }
                if (child instanceof Integer index) {
                    ((ArrayNode) parent).set(index, replacement);
                } else {
                    ((ObjectNode) parent).set((String) child, replacement);
                }
                mutants.add(copy);
            }
            JsonNode value = child instanceof Integer index ? node.get(index) : node.get((String) child);
            collect(root, value, childPath, replacements, mutants);
        }
    }

    /** Not a benchmark: the order of magnitude of what validation adds to every event, printed for the record. */
    @Test
    void validationCostsMicrosecondsPerEvent() {
        Exchange exchange = exchange(ORDER_TOPIC, h -> { }, GOOD_ORDER, ownerOf(ORDER_TOPIC));
        // another id each time: a new event, which the consumers of its topic check once (not found as validated)
        for (int i = 0; i < 20_000; i++) {
            exchange.getMessage().setHeader("ce_id", "warm-up-" + i);
            validator.validateConsumed(exchange);
        }
        int events = 50_000;
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            exchange.getMessage().setHeader("ce_id", "measured-" + i);
            validator.validateConsumed(exchange);
        }
        long perEvent = (System.nanoTime() - start) / events;
        System.out.printf("canonical validation of an order event (consume side, parse + rules + schema): %d ns/event%n", perEvent);
        assertThat(perEvent).as("ns per event").isLessThan(2_000_000);
    }

    private static Exchange exchange(String topic, Consumer<Map<String, Object>> edit, String body, String routeId) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", "salesforce:tx-1:1:801000000000001AAA");
        headers.put("ce_type", topic.equals(ORDER_TOPIC) ? "revops.order.activated.v1"
                : topic.equals("revops.invoice.v1") ? "revops.invoice.issued.v1" : "revops.account.created.v1");
        headers.put("ce_source", topic.equals(ORDER_TOPIC) ? "/salesforce/data/OrderChangeEvent"
                : topic.equals("revops.invoice.v1") ? "/billing/killbill/invoice" : "/salesforce/data/AccountChangeEvent");
        headers.put("ce_subject", "00000101");
        headers.put("ce_time", "2026-11-22T10:00:00Z");
        headers.put("kafka.TOPIC", topic);
        edit.accept(headers);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getExchangeExtension().setFromRouteId(routeId);
        exchange.getMessage().setHeaders(headers);
        exchange.getMessage().setBody(body);
        return exchange;
    }

    private static Arguments refused(String name, String topic, Consumer<Map<String, Object>> headers, String body, String code,
            String message) {
        return Arguments.of(name, topic, headers, body, code, message);
    }

    /** The route that dead-letters an invalid event of the topic (the first consumer by id, or the only one). */
    /** What the topic's first consumer (the one that dead-letters) is refused with; null when it passes. */
    private BusinessException refusalOf(String topic, Consumer<Map<String, Object>> headers, String body) {
        return catchThrowableOfType(BusinessException.class,
                () -> validator.validateConsumed(exchange(topic, headers, body, ownerOf(topic))));
    }

    private static String ownerOf(String topic) {
        return topic.equals(ORDER_TOPIC) ? "billing-order-activation"
                : topic.equals("revops.account.v1") ? "erp-account-sync" : "erp-invoice-posting";
    }

    private static String order(String lines) {
        return GOOD_ORDER.replaceAll("(?s)\"lines\": \\[.*\\],", lines + ",");
    }

    /** An order of one line, its total consistent with it where the numbers allow. */
    private static String oneLine(String quantity, String price, String chargeType) {
        return GOOD_ORDER.replaceAll("(?s)\"totalAmount\": \\{[^}]*\\},", "").replaceAll("(?s)\"lines\": \\[.*\\],",
                "\"lines\": [{\"lineId\": \"1\", \"productCode\": \"STANDARD\", \"quantity\": " + quantity
                        + ", \"unitPrice\": {\"amount\": " + price + ", \"currency\": \"USD\"}, \"chargeType\": \"" + chargeType + "\""
                        + (chargeType.equals("RECURRING") ? ", \"billingPeriod\": \"MONTHLY\"" : "") + "}],");
    }
}
