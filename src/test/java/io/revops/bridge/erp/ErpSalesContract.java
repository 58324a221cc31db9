package io.revops.bridge.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.PrerequisiteMissingException;

/**
 * Sales placed through the ERP adapter, asserted by reading them back from Tryton over JSON-RPC. Runs against the
 * emulator (default tier) and the real Tryton 6.0 (conformance tier); every test makes its own keys, so it can
 * run again and again on the same database.
 */
abstract class ErpSalesContract extends TrytonContract {
    protected ErpSales sales;
    protected ErpCustomers customers;

    @BeforeEach
    void connect() {
        sales = new ErpSales(tryton);
        customers = new ErpCustomers(tryton);
    }

    @Test
    void aSaleIsPlacedOnOurReferenceQuotedAndConfirmed() {
        String key = customer();
        String reference = reference();

        ErpSale sale = sales.place(order(reference, key));

        assertThat(sale.accepted()).as("%s", sale).isTrue();
        assertThat(sale.created()).isTrue();
        assertThat(sale.reference()).isEqualTo(reference);
        assertThat(sale.number()).isNotBlank();
        assertThat(sale.state()).isIn("confirmed", "processing");
        JsonNode read = saleRow(sale.saleId());
        assertThat(read.path("reference").asText()).isEqualTo(reference);
        assertThat(read.path("number").asText()).isEqualTo(sale.number());
        assertThat(read.path("state").asText()).isEqualTo(sale.state());
        assertThat(read.path("party").asInt()).isEqualTo(customers.find(key).orElseThrow().partyId());
        assertThat(TrytonValues.decimal(read.get("total_amount"))).isEqualByComparingTo("520.00");

        // Tryton's read does not answer in the order of the ids asked for: order the lines as they were created
        List<JsonNode> lines = new ArrayList<>();
        tryton.call("model.sale.line.read", read.get("lines"),
                List.of("type", "product", "quantity", "unit_price", "description")).forEach(lines::add);
        lines.sort(Comparator.comparingInt(line -> line.path("id").asInt()));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).path("type").asText()).isEqualTo("line");
        assertThat(lines.get(0).path("product").asInt()).isEqualTo(productId("ONB-001"));
        assertThat(lines.get(0).path("quantity").decimalValue()).isEqualByComparingTo("1");
        assertThat(TrytonValues.decimal(lines.get(0).get("unit_price"))).isEqualByComparingTo("500.00");
        assertThat(lines.get(0).path("description").asText()).isEqualTo("Onboarding");
        assertThat(lines.get(1).path("product").asInt()).isEqualTo(productId("SVC-001"));
        assertThat(lines.get(1).path("quantity").decimalValue()).isEqualByComparingTo("2");
        assertThat(TrytonValues.decimal(lines.get(1).get("unit_price"))).isEqualByComparingTo("10.00");
        assertThat(lines.get(2).path("type").asText()).isEqualTo("comment");
        assertThat(lines.get(2).path("description").asText()).isEqualTo("Recurring, billed by billing: Standard monthly x 2");
    }

    @Test
    void reconciliationReadsTheSalesOfSeveralReferencesInOneCall() {
        String key = customer();
        String reference = reference();
        ErpSale placed = sales.place(order(reference, key));
        String absent = reference();

        Map<String, List<ErpSale>> found = sales.byReferences(List.of(reference, absent));

        assertThat(found).containsOnlyKeys(reference);
        assertThat(found.get(reference)).singleElement().satisfies(sale -> {
            assertThat(sale.saleId()).isEqualTo(placed.saleId());
            assertThat(sale.number()).isEqualTo(placed.number());
            assertThat(sale.state()).isEqualTo(placed.state());
            assertThat(sale.created()).isFalse();
        });
        assertThat(sales.byReferences(List.of())).isEmpty();
    }

    @Test
    void placingTheSameReferenceAgainCreatesNothing() {
        String key = customer();
        String reference = reference();
        ErpSale first = sales.place(order(reference, key));

        ErpSale again = sales.place(order(reference, key));

        assertThat(again.created()).isFalse();
        assertThat(again.saleId()).isEqualTo(first.saleId());
        assertThat(again.number()).isEqualTo(first.number());
        assertThat(again.accepted()).isTrue();
        assertThat(salesWithReference(reference)).hasSize(1);
    }

    @Test
    void concurrentPlacesOfOneReferenceYieldOneSale() {
        String key = customer();
        String reference = reference();
        List<CompletableFuture<ErpSale>> placers = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> sales.place(order(reference, key)))).toList();

        List<ErpSale> placed = placers.stream().map(CompletableFuture::join).toList();

        assertThat(placed).allMatch(ErpSale::accepted).extracting(ErpSale::saleId).containsOnly(placed.get(0).saleId());
        assertThat(placed).filteredOn(ErpSale::created).hasSize(1);
        assertThat(salesWithReference(reference)).hasSize(1);
    }

    @Test
    void aSaleLeftInDraftByACrashIsQuotedAndConfirmedByTheRetry() {
        String key = customer();
        String reference = reference();
        int draft = createDraftSale(reference, key);

        ErpSale sale = sales.place(order(reference, key));

        assertThat(sale.saleId()).isEqualTo(draft);
        assertThat(sale.created()).isFalse();
        assertThat(sale.accepted()).isTrue();
        assertThat(saleRow(draft).path("state").asText()).isIn("confirmed", "processing");
        assertThat(salesWithReference(reference)).hasSize(1);
    }

    @Test
    void aSaleLeftInQuotationByACrashIsConfirmedByTheRetry() {
        String key = customer();
        String reference = reference();
        int quoted = createDraftSale(reference, key);
        tryton.call("model.sale.sale.quote", List.of(quoted));
        String number = saleRow(quoted).path("number").asText();

        ErpSale sale = sales.place(order(reference, key));

        assertThat(sale.saleId()).isEqualTo(quoted);
        assertThat(sale.number()).isEqualTo(number);
        assertThat(sale.accepted()).isTrue();
        assertThat(saleRow(quoted).path("state").asText()).isIn("confirmed", "processing");
        assertThat(salesWithReference(reference)).hasSize(1);
    }

    @Test
    void anUnknownProductIsABusinessExceptionAndNothingIsCreated() {
        String key = customer();
        String reference = reference();
        Map<String, Object> order = Map.of("reference", reference, "customerKey", key, "currency", "USD",
                "lines", List.of(line("ONB-001", "1", "500.00", "Onboarding"), line("ONB-9", "1", "1.00", "Unknown")));

        assertThatThrownBy(() -> sales.place(order)).isInstanceOf(BusinessException.class)
                .hasMessage("product ONB-9 is not in the ERP (order " + reference + ")")
                .extracting(e -> ((BusinessException) e).reasonCode()).isEqualTo("unknown-product");
        assertThat(salesWithReference(reference)).isEmpty();
    }

    @Test
    void aCustomerNotInTheErpYetIsAMissingPrerequisite() {
        String key = "001" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
        String reference = reference();

        assertThatThrownBy(() -> sales.place(order(reference, key))).isInstanceOf(PrerequisiteMissingException.class)
                .hasMessageContaining("account " + key + " has no ERP customer yet")
                .extracting(e -> ((BusinessException) e).reasonCode()).isEqualTo("customer-not-in-erp");
        assertThat(salesWithReference(reference)).isEmpty();
    }

    @Test
    void aProductTheErpNoLongerSellsIsARejectionInTheErpsWords() {
        String key = customer();
        String reference = reference();
        Map<String, Object> order = Map.of("reference", reference, "customerKey", key, "currency", "USD",
                "lines", List.of(line("OLD-001", "1", "50.00", "Legacy support")));

        ErpSale sale = sales.place(order);

        assertThat(sale.accepted()).isFalse();
        assertThat(sale.rejectionCategory()).isEqualTo("erp-rejected");
        assertThat(sale.rejectionReason())
                .isEqualTo("The value for field \"Product\" in \"Sale Line\" is not valid according to its domain.");
        assertThat(sale.saleId()).isZero();
        assertThat(sale.created()).isFalse();
        assertThat(salesWithReference(reference)).isEmpty();
    }

    protected String customer() {
        String key = "001" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
        customers.upsert(Map.of("key", key, "name", "Acme " + key, "address", Map.of("street", "1 Main St",
                "city", "Springfield")));
        return key;
    }

    protected static String reference() {
        return "SO-" + UUID.randomUUID().toString().substring(0, 13);
    }

    protected static Map<String, Object> order(String reference, String key) {
        return Map.of("reference", reference, "customerKey", key, "currency", "USD",
                "lines", List.of(line("ONB-001", "1", "500.00", "Onboarding"),
                        line("SVC-001", "2", "10.00", "Standard monthly")),
                "comments", List.of("Recurring, billed by billing: Standard monthly x 2"));
    }

    protected static Map<String, Object> line(String product, String quantity, String unitPrice, String description) {
        return Map.of("product", product, "quantity", quantity, "unitPrice", unitPrice, "description", description);
    }

    /** A sale as a crashed first attempt leaves it: created on our reference, never quoted. */
    private int createDraftSale(String reference, String key) {
        JsonNode party = tryton.call("model.party.party.read", List.of(customers.find(key).orElseThrow().partyId()),
                List.of("addresses")).get(0);
        int address = party.path("addresses").get(0).asInt();
        return tryton.call("model.sale.sale.create", List.of(Map.of("reference", reference,
                "party", party.path("id").asInt(), "invoice_address", address, "shipment_address", address,
                "payment_term", firstId("account.invoice.payment_term"), "currency", 1,
                "lines", List.of(List.of("create", List.of(Map.of("type", "line", "product", productId("ONB-001"),
                        "unit", 1, "quantity", 1, "unit_price", TrytonValues.decimal(new java.math.BigDecimal("500.00")),
                        "description", "Onboarding"))))))).get(0).asInt();
    }

    protected JsonNode saleRow(int saleId) {
        return tryton.call("model.sale.sale.read", List.of(saleId),
                List.of("reference", "number", "state", "party", "lines", "total_amount", "invoices")).get(0);
    }

    protected JsonNode salesWithReference(String reference) {
        return tryton.call("model.sale.sale.search", List.of(List.of("reference", "=", reference)), 0, null, null);
    }

    protected int productId(String code) {
        return tryton.call("model.product.product.search", List.of(List.of("code", "=", code)), 0, 1, null).get(0).asInt();
    }

    private int firstId(String model) {
        return tryton.call("model." + model + ".search", List.of(), 0, 1, null).get(0).asInt();
    }
}
