package io.revops.bridge.hostile;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.revops.bridge.testing.RawKafka.RawRecord;

/**
 * A deterministic corpus of malformed events for every Kafka topic the runtime consumes, written the way an attacker
 * (or a broken producer) would: missing and over-long CloudEvents headers, broken and wrong-shaped JSON, wrong types,
 * huge numbers, deep nesting, NUL/RTL/CR/LF/control characters, extreme times, reused ids, and orders, invoices and
 * accounts that break each business rule of issue 10.
 *
 * Every event is built from a valid template of one event type (as the runtime's own routes publish it) with one
 * defect, so each event tests one thing. Events whose only oddity would be acceptable on its own (a long subject, a
 * time in 2099, a NUL inside a string) also carry a wrongly typed field: they must end as dead letters, and the odd
 * value must survive the trip into the dead-letter store. Business keys start with {@link #KEY_MARK} so that any
 * effect a poison event has in a target system can be found.
 */
public final class PoisonCorpus {
    public static final long SEED = 20261201L;
    public static final String ACCOUNTS = "revops.account.v1";
    public static final String ORDERS = "revops.order.v1";
    public static final String INVOICES = "revops.invoice.v1";
    public static final String PAYMENTS = "revops.payment.v1";
    /** Every business key a poison event names contains this: order PZ0042, invoice KB-PZ0042, account 001PZ...0042. */
    public static final String KEY_MARK = "PZ";
    public static final String INVALID_EVENT = "invalid-event";

    /** The routes that consume each topic (routes/*.camel.yaml, every `from: kafka:`). */
    public static final Map<String, List<String>> ROUTES_BY_TOPIC = Map.of(
            ACCOUNTS, List.of("erp-account-sync", "billing-account-sync", "salesforce-account-writeback"),
            ORDERS, List.of("erp-order-sync", "billing-order-activation", "salesforce-order-writeback"),
            INVOICES, List.of("erp-invoice-posting", "salesforce-invoice-writeback"),
            PAYMENTS, List.of("erp-payment-posting"));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Kafka record header; a null value is a header without a value (Kafka allows it). */
    public record Header(String name, byte[] value) {
        public String text() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
    }

    /**
     * One poison event.
     *
     * @param reasons the reason codes its dead letter may carry (one of them is the contract's for its defect)
     */
    public record PoisonEvent(int number, String defect, String topic, String key, List<Header> headers, byte[] value,
            Set<String> reasons) {

        public String header(String name) {
            String found = null;
            for (Header header : headers) {
                if (header.name().equals(name)) {
                    found = header.text();
                }
            }
            return found;
        }

        /** The value as the runtime reads it (Kafka StringDeserializer: UTF-8, malformed bytes replaced). */
        public String payload() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }

        public List<String> routes() {
            return ROUTES_BY_TOPIC.get(topic);
        }

        /** The Kafka record, byte for byte (a header without a value stays without one). */
        public RawRecord toRecord() {
            List<Map.Entry<String, byte[]>> kafkaHeaders = new ArrayList<>();
            headers.forEach(h -> kafkaHeaders.add(new AbstractMap.SimpleEntry<>(h.name(), h.value())));
            return new RawRecord(topic, key, kafkaHeaders, value);
        }

        @Override
        public String toString() {
            return "#" + number + " " + defect + " on " + topic;
        }
    }

    /** The good state a corpus is built around: existing accounts, and the number of an invoice booked in the ERP. */
    public record Context(List<String> accountIds, String bookedInvoiceNumber) {
    }

    private final Random random;
    private final Context context;
    private final List<PoisonEvent> events = new ArrayList<>();

    private PoisonCorpus(long seed, Context context) {
        this.random = new Random(seed);
        this.context = context;
    }

    /** The corpus, in a deterministic shuffled order (the same seed and context give the same bytes). */
    public static List<PoisonEvent> generate(long seed, Context context) {
        PoisonCorpus corpus = new PoisonCorpus(seed, context);
        for (Template template : Template.values()) {
            corpus.envelopeDefects(template);
            corpus.bodyDefects(template);
        }
        corpus.orderRules();
        corpus.accountRules();
        corpus.invoiceAndPaymentRules();
        corpus.reusedIds();
        Collections.shuffle(corpus.events, corpus.random);
        return List.copyOf(corpus.events);
    }

    // ---- CloudEvents attributes

    private void envelopeDefects(Template t) {
        poison(t, "ce_id missing", INVALID_EVENT, e -> e.remove("ce_id"));
        poison(t, "ce_id empty", INVALID_EVENT, e -> e.set("ce_id", ""));
        poison(t, "ce_id header without a value", INVALID_EVENT, e -> e.setRaw("ce_id", null));
        poison(t, "ce_type missing", INVALID_EVENT, e -> e.remove("ce_type"));
        poison(t, "ce_type with NUL", INVALID_EVENT, e -> e.set("ce_type", t.type + "\u0000"));
        poison(t, "ce_source missing", INVALID_EVENT, e -> e.remove("ce_source"));
        poison(t, "ce_source unknown", INVALID_EVENT, e -> e.set("ce_source", "/evil/source"));
        poison(t, "ce_subject missing", INVALID_EVENT, e -> e.remove("ce_subject"));
        poison(t, "ce_specversion missing", INVALID_EVENT, e -> e.remove("ce_specversion"));
        poison(t, "ce_specversion 0.3", INVALID_EVENT, e -> e.set("ce_specversion", "0.3"));
        poison(t, "ce_time not a time", INVALID_EVENT, e -> e.set("ce_time", "yesterday at noon"));
        poison(t, "ce_time empty", INVALID_EVENT, e -> e.set("ce_time", ""));
        // odd but not wrong on their own: each also has a wrongly typed field and must survive the dead-letter store
        poison(t, "ce_id of 10,000 characters + wrong type", INVALID_EVENT, e -> e.set("ce_id", "I".repeat(10_000)).wrongType());
        poison(t, "ce_subject of 300 characters + wrong type", INVALID_EVENT, e -> e.set("ce_subject", "S".repeat(300)).wrongType());
        poison(t, "ce_subject of 100,000 characters + wrong type", INVALID_EVENT,
                e -> e.set("ce_subject", "S".repeat(100_000)).wrongType());
        poison(t, "ce_time in 2099 + wrong type", INVALID_EVENT, e -> e.set("ce_time", "2099-12-31T23:59:59Z").wrongType());
        poison(t, "ce_time in 1970 + wrong type", INVALID_EVENT, e -> e.set("ce_time", "1970-01-01T00:00:00Z").wrongType());
        poison(t, "CR/LF in ce_subject + wrong type", INVALID_EVENT,
                e -> e.set("ce_subject", e.subject + "\r\n2026-12-01 10:00:00,000 ERROR [forged] all dead letters discarded").wrongType());
        poison(t, "NUL in ce_subject + wrong type", INVALID_EVENT, e -> e.set("ce_subject", e.subject + "\u0000x").wrongType());
        poison(t, "RTL override in ce_subject + wrong type", INVALID_EVENT,
                e -> e.set("ce_subject", "\u202E" + e.subject + "\u202Cgnp.exe").wrongType());
        poison(t, "control characters in ce_correlationid + wrong type", INVALID_EVENT,
                e -> e.set("ce_correlationid", controlCharacters()).wrongType());
        // in an account's name, control characters may be refused as a bad name before the wrong type is seen
        poison(t, "NUL, RTL and controls in a data value + wrong type",
                t == Template.ACCOUNT_CREATED ? Set.of(INVALID_EVENT, "invalid-account-name") : Set.of(INVALID_EVENT),
                e -> {
                    e.data.put(t.textField, "a\u0000b\u202Ec\u0007d\u001be\r\nf");
                    e.wrongType();
                });
    }

    // ---- the record value

    private void bodyDefects(Template t) {
        poison(t, "invalid JSON: open brace", INVALID_EVENT, e -> e.rawValue("{"));
        poison(t, "invalid JSON: truncated", INVALID_EVENT, e -> e.rawValue(e.json().substring(0, e.json().length() / 2)));
        poison(t, "invalid JSON: NaN literal", INVALID_EVENT, e -> e.rawValue(e.json().replaceFirst("\\{", "{\"nan\":NaN,")));
        poison(t, "invalid JSON: trailing garbage", INVALID_EVENT, e -> e.rawValue(e.json() + " {\"and\":\"more\"}"));
        poison(t, "invalid UTF-8", INVALID_EVENT, e -> e.rawBytes(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'}));
        poison(t, "array body", INVALID_EVENT, e -> e.rawValue("[" + e.json() + "]"));
        poison(t, "empty array body", INVALID_EVENT, e -> e.rawValue("[]"));
        poison(t, "string body", INVALID_EVENT, e -> e.rawValue("\"" + t.type + "\""));
        poison(t, "number body", INVALID_EVENT, e -> e.rawValue("42"));
        poison(t, "null body", INVALID_EVENT, e -> e.rawValue("null"));
        poison(t, "empty body", INVALID_EVENT, e -> e.rawValue(""));
        poison(t, "no value (tombstone)", INVALID_EVENT, e -> e.rawBytes(null));
        poison(t, "10,000 nested arrays", INVALID_EVENT, e -> e.rawValue("[".repeat(10_000) + "]".repeat(10_000)));
        poison(t, "10,000 nested objects in a field", INVALID_EVENT,
                e -> e.rawValue(e.jsonWith(t.keyField, "{\"n\":".repeat(9_999) + "{}" + "}".repeat(9_999))));
        poison(t, "key field a number", INVALID_EVENT, e -> e.data.put(t.keyField, 12345));
        poison(t, "key field an object", INVALID_EVENT, e -> e.data.put(t.keyField, Map.of("id", e.subject)));
        poison(t, "key field missing", INVALID_EVENT, e -> e.data.remove(t.keyField));
        poison(t, "unknown property", INVALID_EVENT, e -> e.data.put("isAdmin", true));
        poison(t, "key field 1e300", INVALID_EVENT, e -> e.rawValue(e.jsonWith(t.keyField, "1e300")));
        poison(t, "key field a 40-digit integer", INVALID_EVENT,
                e -> e.rawValue(e.jsonWith(t.keyField, "1234567890123456789012345678901234567890")));
        poison(t, "key field 1e-300", INVALID_EVENT, e -> e.rawValue(e.jsonWith(t.keyField, "1e-300")));
    }

    // ---- business rules (contract of issue 10)

    private void orderRules() {
        Template activated = Template.ORDER_ACTIVATED;
        poison(activated, "order without lines", "order-without-lines", e -> e.lines().clear());
        poison(activated, "order with null lines", "order-without-lines", e -> e.data.put("lines", null));
        poison(activated, "order with [null] lines", Set.of("order-without-lines", INVALID_EVENT),
                e -> e.data.put("lines", nullList()));
        poison(activated, "order with no lines field", Set.of("order-without-lines", INVALID_EVENT), e -> e.data.remove("lines"));
        poison(activated, "quantity 0", "invalid-quantity", e -> e.quantity(0, 0));
        poison(activated, "quantity -1", "invalid-quantity", e -> e.quantity(0, -1));
        poison(activated, "quantity 1e300", "invalid-quantity", e -> e.quantity(0, 1e300));
        poison(activated, "quantity 1,000,001", "invalid-quantity", e -> e.quantity(0, 1_000_001));
        poison(activated, "quantity a 40-digit integer", "invalid-quantity",
                e -> e.quantity(0, new java.math.BigInteger("1234567890123456789012345678901234567890")));
        poison(activated, "2.5 recurring seats", "fractional-seats", e -> e.quantity(1, 2.5));
        poison(activated, "1e-300 recurring seats", "fractional-seats", e -> e.quantity(1, 1e-300));
        poison(activated, "unit price -500", "negative-price", e -> e.unitPrice(0, -500));
        poison(activated, "total not the sum of the lines", "amount-mismatch",
                e -> e.money("totalAmount").put("amount", 999));
        for (String currency : List.of("XYZ", "usd", "840", "")) {
            poison(activated, "order currency '" + currency + "'", "invalid-currency", e -> e.currency(currency));
        }
        Template accepted = Template.ORDER_ACCEPTED;
        poison(accepted, "accepted order: 2.5 recurring seats", "fractional-seats", e -> e.quantity(1, 2.5));
        poison(accepted, "accepted order: quantity -1", "invalid-quantity", e -> e.quantity(0, -1));
        poison(accepted, "accepted order without lines", "order-without-lines", e -> e.lines().clear());
    }

    private void accountRules() {
        Template account = Template.ACCOUNT_CREATED;
        poison(account, "empty account name", "invalid-account-name", e -> e.data.put("name", ""));
        poison(account, "blank account name", "invalid-account-name", e -> e.data.put("name", " \t "));
        poison(account, "account name a number", "invalid-account-name", e -> e.data.put("name", 42));
        poison(account, "account name null", "invalid-account-name", e -> e.data.put("name", null));
        poison(account, "account name missing", "invalid-account-name", e -> e.data.remove("name"));
        poison(account, "account name of 256 characters", "invalid-account-name", e -> e.data.put("name", "N".repeat(256)));
        poison(account, "account name of 100,000 characters", "invalid-account-name",
                e -> e.data.put("name", "N".repeat(100_000)));
        for (String currency : List.of("XYZ", "usd", "840")) {
            poison(account, "account currency '" + currency + "'", "invalid-currency", e -> e.data.put("currency", currency));
        }
        poison(account, "account currency a number", Set.of("invalid-currency", INVALID_EVENT), e -> e.data.put("currency", 840));
    }

    private void invoiceAndPaymentRules() {
        poison(Template.INVOICE_ISSUED, "billing invoice of -10.00", "negative-invoice", e -> e.invoiceTotal(-10));
        poison(Template.INVOICE_UPDATED, "ERP invoice of -10.00", "negative-invoice", e -> e.invoiceTotal(-10));
        poison(Template.INVOICE_ISSUED, "billing invoice in XYZ", "invalid-currency", e -> e.currency("XYZ"));
        poison(Template.INVOICE_UPDATED, "ERP invoice in usd", "invalid-currency", e -> e.currency("usd"));
        poison(Template.PAYMENT_RECEIVED, "payment in XYZ", "invalid-currency", e -> e.currency("XYZ"));
        poison(Template.PAYMENT_RECEIVED, "payment of 'ten'", INVALID_EVENT, e -> e.money("amount").put("amount", "ten"));
    }

    // ---- the same id with other content

    private void reusedIds() {
        String sharedOrderId = "poison:reused:" + Long.toHexString(random.nextLong());
        poison(Template.ORDER_ACTIVATED, "reused id, first body (quantity -1)", Set.of("invalid-quantity", "event-id-conflict"),
                e -> e.set("ce_id", sharedOrderId).quantity(0, -1));
        poison(Template.ORDER_ACTIVATED, "reused id, second body (unit price -500)", Set.of("negative-price", "event-id-conflict"),
                e -> e.set("ce_id", sharedOrderId).unitPrice(0, -500));
        String sharedAccountId = "poison:reused:" + Long.toHexString(random.nextLong());
        poison(Template.ACCOUNT_CREATED, "reused id, first body (empty name)", Set.of("invalid-account-name", "event-id-conflict"),
                e -> e.set("ce_id", sharedAccountId).data.put("name", ""));
        poison(Template.ACCOUNT_CREATED, "reused id, second body (currency XYZ)", Set.of("invalid-currency", "event-id-conflict"),
                e -> e.set("ce_id", sharedAccountId).data.put("currency", "XYZ"));
    }

    /** A good event's id with other content: once the good one is applied, this is a conflict. */
    public static PoisonEvent conflictWith(int number, String topic, String key, List<Header> headers, String otherBody) {
        return new PoisonEvent(number, "a good event's id with other content", topic, key, headers,
                otherBody.getBytes(StandardCharsets.UTF_8), Set.of("event-id-conflict"));
    }

    // ---- building

    private void poison(Template template, String defect, String reason, Consumer<Draft> change) {
        poison(template, defect, Set.of(reason), change);
    }

    private void poison(Template template, String defect, Set<String> reasons, Consumer<Draft> change) {
        Draft draft = new Draft(template, events.size() + 1, reasons);
        change.accept(draft);
        draft.register(defect);
    }

    private String controlCharacters() {
        StringBuilder text = new StringBuilder("corr-");
        for (char c = 1; c < 0x20; c++) {
            text.append(c);
        }
        return text.append('\u007F').append("-").append(random.nextInt(1000)).toString();
    }

    private static List<Object> nullList() {
        List<Object> list = new ArrayList<>();
        list.add(null);
        return list;
    }

    /** One event type as the runtime publishes it, with the fields the generic defects aim at. */
    enum Template {
        ACCOUNT_CREATED(ACCOUNTS, "revops.account.created.v1", "/salesforce/data/AccountChangeEvent", "accountId", "name"),
        ACCOUNT_UPDATED_BY_ERP(ACCOUNTS, "revops.account.updated.v1", "/erp/tryton/party", "accountId", "customerNumber"),
        ORDER_ACTIVATED(ORDERS, "revops.order.activated.v1", "/salesforce/data/OrderChangeEvent", "orderNumber", "accountId"),
        ORDER_ACCEPTED(ORDERS, "revops.order.accepted.v1", "/erp/tryton/sale", "orderNumber", "accountId"),
        INVOICE_ISSUED(INVOICES, "revops.invoice.issued.v1", "/billing/killbill/invoice", "invoiceNumber", "accountId"),
        INVOICE_UPDATED(INVOICES, "revops.invoice.updated.v1", "/erp/tryton/invoice", "invoiceNumber", "accountId"),
        PAYMENT_RECEIVED(PAYMENTS, "revops.payment.received.v1", "/billing/killbill/payment", "paymentId", "accountId");

        final String topic;
        final String type;
        final String source;
        final String keyField;
        final String textField;

        Template(String topic, String type, String source, String keyField, String textField) {
            this.topic = topic;
            this.type = type;
            this.source = source;
            this.keyField = keyField;
            this.textField = textField;
        }
    }

    /** An event being built: headers in Kafka order, the canonical data as a tree, or raw bytes once a defect set them. */
    private final class Draft {
        final Template template;
        final int number;
        final Set<String> reasons;
        final String subject;
        final String account;
        final Map<String, String> headers = new LinkedHashMap<>();
        final Map<String, byte[]> rawHeaders = new LinkedHashMap<>();
        final Map<String, Object> data;
        byte[] raw;
        boolean rawSet;

        Draft(Template template, int number, Set<String> reasons) {
            this.template = template;
            this.number = number;
            this.reasons = reasons;
            this.account = context.accountIds().get(number % context.accountIds().size());
            String mark = KEY_MARK + String.format("%04d", number);
            this.subject = switch (template) {
                case ACCOUNT_CREATED, ACCOUNT_UPDATED_BY_ERP -> "001" + mark + "000000000";
                case ORDER_ACTIVATED, ORDER_ACCEPTED -> mark;
                case INVOICE_ISSUED, INVOICE_UPDATED -> "KB-" + mark;
                case PAYMENT_RECEIVED -> "pay-" + mark;
            };
            headers.put("ce_specversion", "1.0");
            headers.put("ce_id", "poison:" + number + ":" + Long.toHexString(random.nextLong()));
            headers.put("ce_type", template.type);
            headers.put("ce_source", template.source);
            headers.put("ce_subject", subject);
            headers.put("ce_time", "2026-12-01T10:00:00Z");
            headers.put("ce_correlationid", "poison-" + number);
            headers.put("content-type", "application/json");
            this.data = dataOf(template);
        }

        private Map<String, Object> dataOf(Template t) {
            Map<String, Object> d = new LinkedHashMap<>();
            switch (t) {
                case ACCOUNT_CREATED -> {
                    d.put("accountId", subject);
                    d.put("name", "Poison " + number);
                    d.put("billingAddress", new LinkedHashMap<>(Map.of("city", "Nowhere", "country", "US")));
                    d.put("currency", "USD");
                    d.put("deleted", false);
                    d.put("ids", new LinkedHashMap<>(Map.of("salesforce", subject)));
                }
                case ACCOUNT_UPDATED_BY_ERP -> {
                    d.put("accountId", subject);
                    d.put("customerNumber", String.valueOf(9000 + number));
                    d.put("deleted", false);
                    d.put("ids", new LinkedHashMap<>(Map.of("salesforce", subject, "erp", String.valueOf(9000 + number))));
                    d.put("changedAttributes", new ArrayList<>(List.of("customerNumber")));
                }
                case ORDER_ACTIVATED, ORDER_ACCEPTED -> {
                    d.put("orderNumber", subject);
                    d.put("accountId", account);
                    d.put("status", t == Template.ORDER_ACTIVATED ? "ACTIVATED" : "ACCEPTED");
                    d.put("effectiveDate", "2026-12-01");
                    d.put("currency", "USD");
                    d.put("totalAmount", usd(520));
                    List<Object> lines = new ArrayList<>();
                    lines.add(line("ONBOARDING", 1, 500, "ONE_TIME"));
                    lines.add(line("STANDARD", 2, 10, "RECURRING"));
                    d.put("lines", lines);
                    Map<String, Object> ids = new LinkedHashMap<>();
                    ids.put("salesforce", "801" + KEY_MARK + String.format("%04d", number) + "000000AAA");
                    if (t == Template.ORDER_ACCEPTED) {
                        ids.put("erp", "SO-" + subject);
                    }
                    d.put("ids", ids);
                }
                case INVOICE_ISSUED, INVOICE_UPDATED -> {
                    boolean billing = t == Template.INVOICE_ISSUED;
                    d.put("invoiceNumber", subject);
                    d.put("sourceSystem", "billing");
                    d.put("accountId", account);
                    d.put("invoiceDate", "2026-12-01");
                    d.put("status", "POSTED");
                    List<Object> lines = new ArrayList<>();
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("description", "standard-monthly 2026-12-01 - 2027-01-01");
                    line.put("productCode", "standard-monthly");
                    line.put("quantity", 1);
                    line.put("amount", usd(10));
                    lines.add(line);
                    d.put("lines", lines);
                    d.put("totalAmount", usd(10));
                    d.put("balance", usd(10));
                    d.put("ids", new LinkedHashMap<>(Map.of(billing ? "billing" : "erp", "inv-" + subject)));
                }
                case PAYMENT_RECEIVED -> {
                    d.put("paymentId", subject);
                    d.put("accountId", account);
                    d.put("invoiceNumber", context.bookedInvoiceNumber());
                    d.put("amount", usd(1));
                    d.put("receivedAt", "2026-12-01T10:00:00Z");
                    d.put("method", "EXTERNAL");
                    d.put("status", "SUCCEEDED");
                    d.put("ids", new LinkedHashMap<>(Map.of("billing", subject)));
                }
            }
            return d;
        }

        Draft set(String name, String value) {
            headers.put(name, value);
            rawHeaders.remove(name);
            return this;
        }

        Draft setRaw(String name, byte[] value) {
            headers.remove(name);
            rawHeaders.put(name, value);
            return this;
        }

        Draft remove(String name) {
            headers.remove(name);
            return this;
        }

        /** A second defect that makes an event wrong for sure: a field of the wrong type. */
        Draft wrongType() {
            switch (template) {
                case ACCOUNT_CREATED, ACCOUNT_UPDATED_BY_ERP -> data.put("deleted", "maybe");
                case ORDER_ACTIVATED, ORDER_ACCEPTED -> lineAt(0).put("quantity", "two");
                case INVOICE_ISSUED, INVOICE_UPDATED -> money("totalAmount").put("amount", "ten");
                case PAYMENT_RECEIVED -> money("amount").put("amount", "ten");
            }
            return this;
        }

        Draft rawValue(String text) {
            return rawBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        Draft rawBytes(byte[] bytes) {
            raw = bytes;
            rawSet = true;
            return this;
        }

        @SuppressWarnings("unchecked")
        List<Object> lines() {
            return (List<Object>) data.get("lines");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> lineAt(int index) {
            return (Map<String, Object>) lines().get(index);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> money(String field) {
            return (Map<String, Object>) data.get(field);
        }

        /** A line's quantity, with the order total kept consistent so only the quantity is wrong. */
        Draft quantity(int line, Number quantity) {
            lineAt(line).put("quantity", quantity);
            recomputeTotal();
            return this;
        }

        Draft unitPrice(int line, double price) {
            moneyOf(lineAt(line), "unitPrice").put("amount", price);
            recomputeTotal();
            return this;
        }

        Draft currency(String currency) {
            if (data.containsKey("currency")) {
                data.put("currency", currency);
            }
            replaceCurrencies(data, currency);
            return this;
        }

        Draft invoiceTotal(double total) {
            moneyOf(lineAt(0), "amount").put("amount", total);
            money("totalAmount").put("amount", total);
            money("balance").put("amount", total);
            return this;
        }

        private void recomputeTotal() {
            double total = 0;
            for (Object l : lines()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> line = (Map<String, Object>) l;
                total += ((Number) line.get("quantity")).doubleValue() * ((Number) moneyOf(line, "unitPrice").get("amount")).doubleValue();
            }
            money("totalAmount").put("amount", total);
        }

        @SuppressWarnings("unchecked")
        private void replaceCurrencies(Object node, String currency) {
            if (node instanceof Map<?, ?> map) {
                Map<String, Object> m = (Map<String, Object>) map;
                if (m.containsKey("amount") && m.containsKey("currency")) {
                    m.put("currency", currency);
                }
                m.values().forEach(v -> replaceCurrencies(v, currency));
            } else if (node instanceof List<?> list) {
                list.forEach(v -> replaceCurrencies(v, currency));
            }
        }

        String json() {
            try {
                return JSON.writeValueAsString(data);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The data with one field's value replaced by a JSON literal, written as text (e.g. 1e300 exactly). */
        String jsonWith(String field, String literal) {
            String marker = "\"__literal_" + number + "__\"";
            data.put(field, "__literal_" + number + "__");
            return json().replace(marker, literal);
        }

        void register(String defect) {
            List<Header> kafkaHeaders = new ArrayList<>();
            headers.forEach((name, value) -> kafkaHeaders.add(new Header(name, value.getBytes(StandardCharsets.UTF_8))));
            rawHeaders.forEach((name, value) -> kafkaHeaders.add(new Header(name, value)));
            byte[] value = rawSet ? raw : json().getBytes(StandardCharsets.UTF_8);
            String key = template.topic.equals(ACCOUNTS) ? subject : account;
            events.add(new PoisonEvent(number, defect, template.topic, key, List.copyOf(kafkaHeaders), value, reasons));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> moneyOf(Map<String, Object> parent, String field) {
        return (Map<String, Object>) parent.get(field);
    }

    private static Map<String, Object> usd(double amount) {
        Map<String, Object> money = new LinkedHashMap<>();
        money.put("amount", amount);
        money.put("currency", "USD");
        return money;
    }

    private static Map<String, Object> line(String product, double quantity, double price, String chargeType) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("lineId", product.toLowerCase());
        line.put("productCode", product);
        line.put("quantity", quantity);
        line.put("unitPrice", usd(price));
        line.put("chargeType", chargeType);
        if ("RECURRING".equals(chargeType)) {
            line.put("billingPeriod", "MONTHLY");
            line.put("termMonths", 12);
        }
        return line;
    }
}
