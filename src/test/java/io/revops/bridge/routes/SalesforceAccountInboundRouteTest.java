package io.revops.bridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import io.revops.bridge.policy.LeaderOnly;
import io.revops.bridge.salesforce.ChangeEvents;
import io.revops.bridge.salesforce.ChangeOrigins;
import io.revops.bridge.salesforce.ReplayCheckpoints;
import io.revops.bridge.salesforce.ReplayWindow;

class SalesforceAccountInboundRouteTest extends RouteTestSupport {
    static final Schema HEADER = SchemaBuilder.record("ChangeEventHeader").namespace("com.sforce.eventbus").fields()
            .requiredString("entityName").name("recordIds").type().array().items().stringType().noDefault()
            .requiredString("changeType").requiredString("changeOrigin").requiredString("transactionKey")
            .requiredInt("sequenceNumber").requiredLong("commitTimestamp").requiredLong("commitNumber")
            .requiredString("commitUser")
            .name("nulledFields").type().array().items().stringType().noDefault()
            .name("diffFields").type().array().items().stringType().noDefault()
            .name("changedFields").type().array().items().stringType().noDefault()
            .endRecord();
    static final Schema EVENT = SchemaBuilder.record("AccountChangeEvent").namespace("com.sforce.eventbus").fields()
            .name("ChangeEventHeader").type(HEADER).noDefault()
            .optionalString("Name").optionalString("Phone").optionalString("BillingCity")
            .optionalLong("LastModifiedDate")
            .endRecord();

    private ReplayCheckpoints checkpoints;

    @Override
    protected String routeId() {
        return "salesforce-account-inbound";
    }

    @Override
    protected Map<String, Object> beans() {
        return Map.of("changeEvents", new ChangeEvents(), "leaderOnly", new LeaderOnly("none"),
                "changeOrigins", new ChangeOrigins("revops-bridge"));
    }

    @Override
    protected void doPostSetup() throws Exception {
        checkpoints = new ReplayCheckpoints(dataSource);
        context().getRegistry().bind("replayCheckpoints", checkpoints);
        context().getRegistry().bind("replayWindow", new ReplayWindow(checkpoints, 10));
        context().getPropertiesComponent().addPropertiesFunction(
                new io.revops.bridge.salesforce.ReplayPositionFunction(checkpoints, () -> true));
        super.doPostSetup();
    }

    @Override
    protected void advice(AdviceWithRouteBuilder route) throws Exception {
        route.replaceFromWith("direct:in");
        route.weaveByToUri("kafka:*").replace().to("mock:kafka");
    }

    @Test
    void aChangeIsPublishedAsCloudEventsAndOnlyThenCheckpointed() throws Exception {
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        kafka.expectedMessageCount(2);

        GenericRecord update = change("UPDATE", List.of("001000000000001AAA", "001000000000002AAA"),
                List.of("0x06"), "Acme Corp", "+1 555 0100");
        template.sendBodyAndHeader("direct:in", update, "CamelSalesforcePubSubReplayId", "AAAAAAAAAAc=");

        kafka.assertIsSatisfied();
        var first = kafka.getExchanges().get(0).getMessage();
        assertThat(first.getHeader("ce_type")).isEqualTo("revops.account.updated.v1");
        assertThat(first.getHeader("ce_id")).isEqualTo("salesforce:tx-1:1:001000000000001AAA");
        assertThat(first.getHeader("kafka.KEY")).isEqualTo("001000000000001AAA");
        assertThat(json.toMap(first.getBody())).containsEntry("name", "Acme Corp")
                .containsEntry("changedAttributes", List.of("name", "phone"));
        assertThat(checkpoints.find("salesforce-account-inbound")).contains("AAAAAAAAAAc=");
    }

    @Test
    void theEchoOfOurOwnWriteBackIsNotPublishedYetTheCheckpointMovesOverIt() throws Exception {
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        kafka.expectedMessageCount(1);

        GenericRecord echo = change("UPDATE", List.of("001000000000005AAA"), List.of("0x02"), "Echo Corp", null);
        ((GenericRecord) echo.get("ChangeEventHeader")).put("changeOrigin", "com/salesforce/api/rest/59.0;client=revops-bridge");
        template.sendBodyAndHeader("direct:in", echo, "CamelSalesforcePubSubReplayId", "AAAAAAAAAAs=");
        assertThat(checkpoints.find("salesforce-account-inbound")).as("nothing to redeliver on a restart").contains("AAAAAAAAAAs=");
        GenericRecord another = change("UPDATE", List.of("001000000000005AAA"), List.of("0x02"), "Echo Corp", null);
        ((GenericRecord) another.get("ChangeEventHeader")).put("changeOrigin", "com/salesforce/api/rest/59.0;client=revops-bridge-staging");
        template.sendBodyAndHeader("direct:in", another, "CamelSalesforcePubSubReplayId", "AAAAAAAAAAw=");

        kafka.assertIsSatisfied();
        assertThat(kafka.getExchanges()).as("only the change another client made").singleElement()
                .satisfies(e -> assertThat(e.getMessage().getHeader("ce_subject")).isEqualTo("001000000000005AAA"));
        assertThat(checkpoints.find("salesforce-account-inbound")).contains("AAAAAAAAAAw=");
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void anUnmappableChangeIsDeadLetteredAndTheCheckpointMovesPastIt() throws Exception {
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        kafka.expectedMessageCount(0);

        template.sendBodyAndHeader("direct:in", change("GAP_OVERFLOW", List.of("001000000000009AAA"), List.of(), null, null),
                "CamelSalesforcePubSubReplayId", "AAAAAAAAAAg=");

        kafka.assertIsSatisfied();
        assertThat(checkpoints.find("salesforce-account-inbound")).as("the dead letter is stored: nothing is lost by moving on")
                .contains("AAAAAAAAAAg=");
        assertThat(deadLetters()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("route_id", "salesforce-account-inbound").containsEntry("category", "business")
                    .containsEntry("reason_code", "mapping-failed").containsEntry("business_key", "001000000000009AAA");
            assertThat((String) row.get("exception_message")).contains("GAP_OVERFLOW");
            assertThat((String) row.get("payload")).contains("001000000000009AAA");
        });
    }

    @Test
    void aRecordThatCannotFormAValidEventIsDeadLetteredHereAndTheStreamMovesOn() throws Exception {
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        kafka.expectedMessageCount(1);

        template.sendBodyAndHeader("direct:in", change("CREATE", List.of("001000000000003AAA"), List.of(), "N".repeat(300),
                null), "CamelSalesforcePubSubReplayId", "AAAAAAAAAAk=");
        assertThat(checkpoints.find("salesforce-account-inbound")).as("the dead letter is stored: the checkpoint moves on")
                .contains("AAAAAAAAAAk=");
        template.sendBodyAndHeader("direct:in", change("CREATE", List.of("001000000000004AAA"), List.of(), "Good Corp", null),
                "CamelSalesforcePubSubReplayId", "AAAAAAAAAAo=");

        kafka.assertIsSatisfied();
        assertThat(kafka.getExchanges().get(0).getMessage().getHeader("ce_subject")).isEqualTo("001000000000004AAA");
        assertThat(checkpoints.find("salesforce-account-inbound")).contains("AAAAAAAAAAo=");
        assertThat(deadLetters()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("route_id", "salesforce-account-inbound").containsEntry("category", "business")
                    .containsEntry("reason_code", "invalid-account-name").containsEntry("business_key", "001000000000003AAA");
            assertThat((String) row.get("exception_message")).contains("/name: the name is 300 characters long");
        });
    }

    @Test
    void theSubscriptionResumesFromTheCheckpointAndNeverFromLatest() throws Exception {
        var function = new io.revops.bridge.salesforce.ReplayPositionFunction(checkpoints, () -> true);
        assertThat(function.apply("salesforce-account-inbound")).isEqualTo("replayPreset=EARLIEST");
        // database not there yet (runtime started without it): a position no Salesforce accepts, never EARLIEST or LATEST
        assertThat(new io.revops.bridge.salesforce.ReplayPositionFunction(checkpoints, () -> false).apply("salesforce-account-inbound"))
                .isEqualTo("replayPreset=CUSTOM&pubSubReplayId=RAW(database-not-ready)");
        checkpoints.save("salesforce-account-inbound", "/data/AccountChangeEvent", "AAAAAAAAACo=");
        assertThat(function.apply("salesforce-account-inbound"))
                .isEqualTo("replayPreset=CUSTOM&pubSubReplayId=RAW(AAAAAAAAACo=)");
    }

    static GenericRecord change(String type, List<String> ids, List<String> changed, String name, String phone) {
        GenericRecord header = new GenericData.Record(HEADER);
        header.put("entityName", "Account");
        header.put("recordIds", ids);
        header.put("changeType", type);
        header.put("changeOrigin", "com/salesforce/api/rest/59.0");
        header.put("transactionKey", "tx-1");
        header.put("sequenceNumber", 1);
        header.put("commitTimestamp", 1795363200000L);
        header.put("commitNumber", 1L);
        header.put("commitUser", "005000000000001AAA");
        header.put("nulledFields", List.of());
        header.put("diffFields", List.of());
        header.put("changedFields", changed);
        GenericRecord event = new GenericData.Record(EVENT);
        event.put("ChangeEventHeader", header);
        event.put("Name", name);
        event.put("Phone", phone);
        return event;
    }
}
