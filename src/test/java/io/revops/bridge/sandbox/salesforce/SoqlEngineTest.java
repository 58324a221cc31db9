package io.revops.bridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/** SOQL as Salesforce answers it, over the default org file's objects, and refused as Salesforce refuses it. */
@SuppressWarnings("unchecked")
class SoqlEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private SObjectStore store;
    private SoqlEngine soql;
    private String acme;
    private String globex;
    private String order;

    @BeforeEach
    void org() throws Exception {
        store = new SObjectStore((type, change, id, values, changed) -> { });
        OrgDefinition.defaults().objects().forEach(store::define);
        soql = new SoqlEngine(store, "v59.0");
        acme = create("Account", "{\"Name\":\"Acme\",\"Industry\":\"Technology\",\"BillingCity\":\"Berlin\"}");
        globex = create("Account", "{\"Name\":\"Globex\",\"Industry\":\"Finance\"}");
        create("Account", "{\"Name\":\"initech_50%\"}");
        order = create("Order", "{\"AccountId\":\"" + acme + "\",\"Status\":\"Draft\",\"EffectiveDate\":\""
                + LocalDate.now(ZoneOffset.UTC) + "\",\"TotalAmount\":900}");
        create("Order", "{\"AccountId\":\"" + globex + "\",\"Status\":\"Activated\",\"EffectiveDate\":\"2020-01-15\","
                + "\"TotalAmount\":1000}");
        create("OrderItem", "{\"OrderId\":\"" + order + "\",\"Quantity\":10,\"Product_Code__c\":\"SEAT\"}");
        create("OrderItem", "{\"OrderId\":\"" + order + "\",\"Quantity\":2,\"Product_Code__c\":\"SUPPORT\"}");
    }

    private String create(String object, String json) throws Exception {
        SObjectType type = store.type(object);
        return store.create(object, RecordValues.read(type, JSON.readTree(json), true));
    }

    private List<Map<String, Object>> rows(String query) {
        return soql.run(query, false).records();
    }

    private List<Object> column(String query, String field) {
        return rows(query).stream().map(r -> r.get(field)).collect(Collectors.toList());
    }

    @Test
    void namesAreCaseInsensitiveAndAnswersUseTheDefinedSpelling() {
        Map<String, Object> row = rows("select id, NAME, billingcity from account where name = 'ACME'").get(0);
        assertThat(row).containsKeys("attributes", "Id", "Name", "BillingCity").containsEntry("Name", "Acme");
        assertThat((Map<Object, Object>) row.get("attributes")).containsEntry("type", "Account")
                .containsEntry("url", "/services/data/v59.0/sobjects/Account/" + acme);
    }

    @Test
    void parentRelationshipFieldsNestTheParent() {
        List<Map<String, Object>> items = rows("SELECT Quantity, Order.Account.Name, Order.Status FROM OrderItem "
                + "ORDER BY Quantity");
        Map<?, ?> parent = (Map<?, ?>) items.get(0).get("Order");
        assertThat(parent.get("Status")).isEqualTo("Draft");
        assertThat(((Map<?, ?>) parent.get("Account")).get("Name")).isEqualTo("Acme");
        assertThat(((Map<?, ?>) ((Map<?, ?>) parent.get("Account")).get("attributes")).get("type")).isEqualTo("Account");
        assertThat(column("SELECT Name FROM Account WHERE Name = 'Acme'", "Name")).containsExactly("Acme");
        assertThat(rows("SELECT Id FROM Order WHERE Account.Name = 'Globex'")).hasSize(1);
    }

    @Test
    void childSubqueriesNestTheChildrenOrNullWhenThereAreNone() {
        List<Map<String, Object>> orders = rows("SELECT Id, (SELECT Quantity, Product_Code__c FROM OrderItems "
                + "ORDER BY Quantity DESC) FROM Order ORDER BY TotalAmount");
        Map<?, ?> lines = (Map<?, ?>) orders.get(0).get("OrderItems");
        assertThat(lines.get("totalSize")).isEqualTo(2);
        assertThat(lines.get("done")).isEqualTo(true);
        assertThat(((List<?>) lines.get("records")).stream().map(r -> (Object) ((Map<?, ?>) r).get("Quantity")).toList())
                .containsExactly(10.0, 2.0);
        assertThat(orders.get(1)).containsEntry("OrderItems", null);
    }

    @Test
    void countAnswersTheTotalSizeWithoutRecords() {
        SoqlEngine.QueryResult count = soql.run("SELECT COUNT() FROM Account WHERE Industry != null", false);
        assertThat(count.totalSize()).isEqualTo(2);
        assertThat(count.records()).isEmpty();
    }

    @Test
    void fieldsFunctions() {
        Map<String, Object> standard = rows("SELECT FIELDS(STANDARD) FROM Account WHERE Name = 'Acme'").get(0);
        assertThat(standard).containsKeys("Id", "Name", "BillingCity", "BillingAddress", "CreatedDate")
                .doesNotContainKey("ERP_Customer_Number__c");
        assertThat((Map<Object, Object>) standard.get("BillingAddress")).containsEntry("city", "Berlin").containsEntry("street", null);
        assertThat(rows("SELECT FIELDS(CUSTOM) FROM Account LIMIT 200").get(0)).containsKey("ERP_Customer_Number__c")
                .doesNotContainKey("Name");
        assertThatThrownBy(() -> soql.run("SELECT FIELDS(ALL) FROM Account", false))
                .hasMessageContaining("The SOQL FIELDS function must have a LIMIT of at most 200");
        assertThatThrownBy(() -> soql.run("SELECT FIELDS(ALL) FROM Account LIMIT 201", false))
                .extracting("errorCode").isEqualTo("MALFORMED_QUERY");
    }

    @Test
    void whereOperators() {
        assertThat(column("SELECT Name FROM Account WHERE Name LIKE 'a%' OR Name LIKE '_LOBEX' ORDER BY Name", "Name"))
                .containsExactly("Acme", "Globex");
        assertThat(column("SELECT Name FROM Account WHERE Name LIKE '%\\_50\\%'", "Name")).containsExactly("initech_50%");
        assertThat(column("SELECT Name FROM Account WHERE Name IN ('acme', 'Nobody') ", "Name")).containsExactly("Acme");
        assertThat(column("SELECT Name FROM Account WHERE Name NOT IN ('Acme') AND Industry <> null", "Name"))
                .containsExactly("Globex");
        assertThat(column("SELECT Name FROM Account WHERE NOT (Industry = 'Finance' OR Industry = null)", "Name"))
                .containsExactly("Acme");
        assertThat(column("SELECT TotalAmount FROM Order WHERE TotalAmount >= 950", "TotalAmount")).containsExactly(1000.0);
        assertThat(column("SELECT TotalAmount FROM Order WHERE TotalAmount < 950.5 AND TotalAmount > 899.99",
                "TotalAmount")).containsExactly(900.0);
        assertThat(column("SELECT Status FROM Order WHERE EffectiveDate = TODAY", "Status")).containsExactly("Draft");
        assertThat(column("SELECT Status FROM Order WHERE EffectiveDate < LAST_N_DAYS:30", "Status"))
                .containsExactly("Activated");
        assertThat(column("SELECT Status FROM Order WHERE EffectiveDate = THIS_MONTH", "Status")).containsExactly("Draft");
        assertThat(column("SELECT Status FROM Order WHERE EffectiveDate <= 2020-01-15", "Status")).containsExactly("Activated");
        assertThat(rows("SELECT Id FROM Account WHERE CreatedDate > 2020-01-01T00:00:00Z")).hasSize(3);
        assertThat(rows("SELECT Id FROM Account WHERE CreatedDate = YESTERDAY")).isEmpty();
        assertThat(rows("SELECT Id FROM Account WHERE IsDeleted = false")).hasSize(3);
        // a checkbox never written reads as false, and null on a checkbox means false (SOQL "Use null in WHERE")
        assertThat(rows("SELECT Id FROM Order WHERE IsReductionOrder = false")).hasSize(2);
        assertThat(rows("SELECT Id FROM Order WHERE IsReductionOrder = null")).hasSize(2);
        assertThat(rows("SELECT Id FROM Order WHERE IsReductionOrder != null")).isEmpty();
        assertThat(rows("SELECT Id FROM Order WHERE IsReductionOrder = true")).isEmpty();
        assertThat(rows("SELECT Id FROM Account WHERE Id = '" + acme.substring(0, 15) + "'")).hasSize(1);
        assertThat(rows("SELECT Id FROM OrderItem WHERE OrderId = '" + order + "'")).hasSize(2);
    }

    @Test
    void orderByComparesByTypeWithNullsFirstByDefault() {
        create2Items();
        assertThat(column("SELECT Quantity FROM OrderItem WHERE OrderId = '" + order + "' ORDER BY Quantity", "Quantity"))
                .containsExactly(2.0, 9.0, 10.0, 100.0);
        assertThat(column("SELECT Industry FROM Account ORDER BY Industry", "Industry")).containsExactly(null, "Finance",
                "Technology");
        assertThat(column("SELECT Industry FROM Account ORDER BY Industry DESC", "Industry")).containsExactly("Technology",
                "Finance", null);
        assertThat(column("SELECT Industry FROM Account ORDER BY Industry ASC NULLS LAST", "Industry"))
                .containsExactly("Finance", "Technology", null);
        assertThat(column("SELECT Name FROM Account ORDER BY Industry DESC NULLS FIRST, Name LIMIT 2 OFFSET 1", "Name"))
                .containsExactly("Acme", "Globex");
    }

    private void create2Items() {
        try {
            create("OrderItem", "{\"OrderId\":\"" + order + "\",\"Quantity\":100}");
            create("OrderItem", "{\"OrderId\":\"" + order + "\",\"Quantity\":\"9\"}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void deletedRecordsOnlyWhenAsked() {
        store.delete("Account", globex);
        assertThat(soql.run("SELECT Id, IsDeleted FROM Account WHERE Name = 'Globex'", false).totalSize()).isZero();
        assertThat(soql.run("SELECT Id, IsDeleted FROM Account WHERE Name = 'Globex'", true).records())
                .singleElement().satisfies(r -> assertThat(r).containsEntry("IsDeleted", true));
    }

    @Test
    void errorsAreSalesforces() {
        assertThatThrownBy(() -> soql.run("SELECT Foo FROM Account", false)).isInstanceOf(SObjectException.class)
                .hasFieldOrPropertyWithValue("errorCode", "INVALID_FIELD")
                .hasMessageContaining("ERROR at Row:1:Column:8")
                .hasMessageContaining("No such column 'Foo' on entity 'Account'. If you are attempting to use a custom "
                        + "field, be sure to append the '__c' after the custom field name.");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Foo", false))
                .hasFieldOrPropertyWithValue("errorCode", "INVALID_TYPE")
                .hasMessageContaining("sObject type 'Foo' is not supported.");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Account WHERE", false))
                .hasFieldOrPropertyWithValue("errorCode", "MALFORMED_QUERY").hasMessageEndingWith("unexpected token: <EOF>");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'", false))
                .hasMessageEndingWith("unexpected token: OR");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Order WHERE TotalAmount = '5'", false))
                .hasFieldOrPropertyWithValue("errorCode", "INVALID_FIELD").hasMessageEndingWith(
                        "value of filter criterion for field 'TotalAmount' must be of type double and should not be enclosed in quotes");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Account WHERE Name = 5", false)).hasMessageEndingWith(
                "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Account WHERE Id = 'x'' OR Name != ''", false))
                .hasFieldOrPropertyWithValue("errorCode", "MALFORMED_QUERY");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Account WHERE Id = 'nope'", false))
                .hasFieldOrPropertyWithValue("errorCode", "INVALID_QUERY_FILTER_OPERATOR").hasMessageEndingWith("invalid ID field: nope");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Account OFFSET 2001", false))
                .hasFieldOrPropertyWithValue("errorCode", "NUMBER_OUTSIDE_VALID_RANGE");
        assertThatThrownBy(() -> soql.run("SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry", false))
                .hasFieldOrPropertyWithValue("errorCode", "MALFORMED_QUERY");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Account GROUP BY Name", false))
                .hasMessageContaining("does not implement GROUP");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Order)", false))
                .hasMessageContaining("semi-joins");
        assertThatThrownBy(() -> soql.run("SELECT Id, (SELECT Id FROM Nope) FROM Account", false))
                .hasFieldOrPropertyWithValue("errorCode", "INVALID_TYPE").hasMessageContaining("Didn't understand relationship 'Nope'");
        assertThatThrownBy(() -> soql.run("SELECT Owner.Name FROM Account", false))
                .hasFieldOrPropertyWithValue("errorCode", "INVALID_FIELD").hasMessageContaining("Didn't understand relationship 'Owner'");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Account WHERE BillingAddress = 'x'", false))
                .hasMessageEndingWith("field 'BillingAddress' can not be filtered in query call");
        assertThatThrownBy(() -> soql.run("SELECT Name, name FROM Account", false)).hasMessageEndingWith("duplicate field selected: name");
    }

    @Test
    void hostileInputIsRefusedNotMisread() {
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Account WHERE Name = 'unterminated", false))
                .hasFieldOrPropertyWithValue("errorCode", "MALFORMED_QUERY").hasMessageContaining("unterminated");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Account WHERE Name = 'x\\q'", false))
                .hasFieldOrPropertyWithValue("errorCode", "MALFORMED_QUERY");
        assertThatThrownBy(() -> soql.run("SELECT Id FROM Account; DELETE FROM Account", false))
                .hasFieldOrPropertyWithValue("errorCode", "MALFORMED_QUERY");
        assertThatThrownBy(() -> soql.run(null, false)).hasFieldOrPropertyWithValue("errorCode", "MALFORMED_QUERY");
        String deep = "SELECT Id FROM Account WHERE " + "(".repeat(5000) + "Name = 'x'" + ")".repeat(5000);
        assertThatThrownBy(() -> soql.run(deep, false)).hasFieldOrPropertyWithValue("errorCode", "MALFORMED_QUERY");
        String huge = "SELECT Id FROM Account WHERE Name IN (" + IntStream.range(0, 30_000).mapToObj(i -> "'n" + i + "'")
                .collect(Collectors.joining(",")) + ")";
        assertThatThrownBy(() -> soql.run(huge, false)).hasMessageContaining("cannot be longer than 100,000 characters");
        String big = "SELECT Name FROM Account WHERE Name IN (" + IntStream.range(0, 5_000).mapToObj(i -> "'n" + i + "'")
                .collect(Collectors.joining(",")) + ",'Acme')";
        assertThat(column(big, "Name")).containsExactly("Acme");
        // a quote inside a string literal is data, not the end of the literal
        assertThat(rows("SELECT Id FROM Account WHERE Name = 'Acme\\' OR Name != \\''")).isEmpty();
    }
}
