package io.revops.bridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The org file: the default describes today's objects; a broken file is refused naming the file, pointer and problem. */
class OrgDefinitionTest {

    @Test
    void theDefaultOrgHasTodaysObjectsAndAPlatformEvent() {
        OrgDefinition org = OrgDefinition.defaults();
        assertThat(org.objects()).extracting(SObjectType::name).containsExactly("Account", "Order", "OrderItem", "Invoice__c",
                "Credit__c");
        assertThat(org.object("account").addressFields().get("BillingAddress")).containsEntry("City", "BillingCity");
        assertThat(org.object("Order").fields()).containsEntry("EffectiveDate", SObjectType.FieldType.DATE)
                .doesNotContainKeys("Id", "IsDeleted", "BillingAddress");
        assertThat(org.object("Invoice__c").required()).containsExactly("Invoice_Number__c");
        assertThat(org.object("Credit__c").required()).containsExactlyInAnyOrder("Account__c", "Type__c", "Invoice__c",
                "Amount__c", "Status__c");
        Schema event = org.platformEvents().get(0).avroSchema();
        assertThat(event.getFullName()).isEqualTo("com.sforce.eventbus.Order_Status__e");
        assertThat(event.getFields().get(0).name()).isEqualTo("CreatedDate");
        assertThat(event.getField("Status__c").schema().getType()).isEqualTo(Schema.Type.UNION);
    }

    @Test
    void schemaViolationsNameTheFilePointerAndProblem() {
        String file = """
                {"objects": [{"name": "Thing__c", "label": "Thing", "keyPrefix": "a0Z", "fields": [
                  {"name": "Id", "label": "Id", "type": "id"},
                  {"name": "Size__c", "label": "Size", "type": "bigint"}]}]}
                """;
        assertThatThrownBy(() -> OrgDefinition.parse("my-org.json", file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("my-org.json: /objects/0/fields/1/type: ");
    }

    @Test
    void whatASchemaCannotSayIsCheckedToo() {
        String file = """
                {"objects": [{"name": "Thing__c", "label": "Thing", "keyPrefix": "a0Z", "fields": [
                  {"name": "Id", "label": "Id", "type": "id"}, {"name": "id", "label": "Id", "type": "id"}],
                  "childRelationships": [{"relationshipName": "Kids__r", "childSObject": "Kid__c", "field": "Parent__c"}]}]}
                """;
        assertThatThrownBy(() -> OrgDefinition.parse("my-org.json", file))
                .hasMessageContaining("my-org.json: /objects/0/fields/1/name: field id is defined twice")
                .hasMessageContaining("my-org.json: /objects/0/fields: the system field CreatedDate is missing")
                .hasMessageContaining("my-org.json: /objects/0/childRelationships/0/childSObject: no object Kid__c");
        assertThatThrownBy(() -> OrgDefinition.parse("broken.json", "{\"objects\": ["))
                .hasMessageStartingWith("broken.json: not JSON");
    }
}
