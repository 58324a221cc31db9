package io.revops.bridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What SDKs read when they connect, answered from the org file: the API versions (/services/data), a version's
 * resources, describeGlobal (/sobjects), an object's basic information (/sobjects/X) and its describe
 * (/sobjects/X/describe), and /limits. Shapes and attribute names are Salesforce's REST API reference's.
 */
final class Discovery {
    static final int API_REQUESTS_MAX = 15000;
    private static final int OLDEST_VERSION = 31;
    private static final int LATEST_VERSION = 62;

    private final SObjectStore store;

    Discovery(SObjectStore store) {
        this.store = store;
    }

    /** GET /services/data: every version the emulator answers, oldest first, labelled with its release. */
    static List<Map<String, Object>> versions() {
        List<Map<String, Object>> versions = new ArrayList<>();
        for (int v = OLDEST_VERSION; v <= LATEST_VERSION; v++) {
            // v59.0 is Winter '24; three releases a year: Winter, Spring, Summer
            int offset = v - 59;
            String season = List.of("Winter", "Spring", "Summer").get(Math.floorMod(offset, 3));
            int year = 24 + Math.floorDiv(offset, 3);
            versions.add(Map.of("label", season + " '" + year, "url", "/services/data/v" + v + ".0", "version", v + ".0"));
        }
        return versions;
    }

    /** GET /services/data/vXX.X: the resources of the version. */
    static Map<String, Object> resources(String version) {
        Map<String, Object> resources = new LinkedHashMap<>();
        for (String name : List.of("sobjects", "query", "queryAll", "limits", "composite", "jobs")) {
            resources.put(name, "/services/data/" + version + "/" + name);
        }
        return resources;
    }

    Map<String, Object> describeGlobal(String version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("encoding", "UTF-8");
        body.put("maxBatchSize", 200);
        body.put("sobjects", store.types().stream().map(t -> objectSummary(t, version)).toList());
        return body;
    }

    Map<String, Object> basicInfo(String object, String version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("objectDescribe", objectSummary(store.type(object), version));
        body.put("recentItems", List.of());
        return body;
    }

    Map<String, Object> describe(String object, String version) {
        SObjectType type = store.type(object);
        Map<String, Object> body = objectSummary(type, version);
        body.put("fields", type.describedFields().stream().map(f -> field(type, f)).toList());
        body.put("childRelationships", type.childRelationships().stream().map(c -> {
            Map<String, Object> child = new LinkedHashMap<>();
            child.put("cascadeDelete", false);
            child.put("childSObject", c.childSObject());
            child.put("deprecatedAndHidden", false);
            child.put("field", c.field());
            child.put("junctionIdListNames", List.of());
            child.put("junctionReferenceTo", List.of());
            child.put("relationshipName", c.relationshipName());
            child.put("restrictedDelete", false);
            return child;
        }).toList());
        body.put("recordTypeInfos", List.of());
        body.put("supportedScopes", List.of(Map.of("label", "All " + type.labelPlural().toLowerCase(), "name", "everything")));
        body.put("namedLayoutInfos", List.of());
        body.put("networkScopeFieldName", null);
        body.put("actionOverrides", List.of());
        return body;
    }

    /** GET /limits: DailyApiRequests counts the same calls as the Sforce-Limit-Info header. */
    static Map<String, Object> limits(int apiRequestsUsed) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("ConcurrentAsyncGetReportInstances", limit(200, 0));
        limits.put("DailyApiRequests", limit(API_REQUESTS_MAX, apiRequestsUsed));
        limits.put("DailyAsyncApexExecutions", limit(250000, 0));
        limits.put("DailyBulkApiBatches", limit(15000, 0));
        limits.put("DailyBulkV2QueryFileStorageMB", limit(976562, 0));
        limits.put("DailyBulkV2QueryJobs", limit(10000, 0));
        limits.put("DailyDeliveredPlatformEvents", limit(50000, 0));
        limits.put("DailyStreamingApiEvents", limit(1000000, 0));
        limits.put("DataStorageMB", limit(5, 0));
        limits.put("FileStorageMB", limit(20, 0));
        limits.put("HourlyPublishedPlatformEvents", limit(250000, 0));
        limits.put("HourlyPublishedStandardVolumePlatformEvents", limit(1000, 0));
        limits.put("MonthlyPlatformEventsUsageEntitlement", limit(50000, 0));
        limits.put("SingleEmail", limit(5000, 0));
        return limits;
    }

    private static Map<String, Object> limit(int max, int used) {
        return Map.of("Max", max, "Remaining", Math.max(0, max - used));
    }

    private static Map<String, Object> objectSummary(SObjectType type, String version) {
        String base = "/services/data/" + version + "/sobjects/" + type.name();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("activateable", false);
        o.put("createable", true);
        o.put("custom", type.custom());
        o.put("customSetting", false);
        o.put("deletable", true);
        o.put("deprecatedAndHidden", false);
        o.put("feedEnabled", false);
        o.put("hasSubtypes", false);
        o.put("isSubtype", false);
        o.put("keyPrefix", type.keyPrefix());
        o.put("label", type.label());
        o.put("labelPlural", type.labelPlural());
        o.put("layoutable", true);
        o.put("mergeable", false);
        o.put("mruEnabled", false);
        o.put("name", type.name());
        o.put("queryable", true);
        o.put("replicateable", type.changeDataCapture());
        o.put("retrieveable", true);
        o.put("searchable", false);
        o.put("triggerable", true);
        o.put("undeletable", true);
        o.put("updateable", true);
        o.put("urls", Map.of("rowTemplate", base + "/{ID}", "defaultValues", base + "/defaultValues?recordTypeId&fields",
                "describe", base + "/describe", "sobject", base));
        return o;
    }

    private static Map<String, Object> field(SObjectType type, SObjectField f) {
        boolean text = f.kind() == SObjectType.FieldType.TEXT;
        boolean compound = f.kind() == SObjectType.FieldType.ADDRESS;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("aggregatable", !compound);
        d.put("autoNumber", f.autoNumber());
        d.put("byteLength", text || f.kind() == SObjectType.FieldType.REFERENCE ? f.length() * 3 : 0);
        d.put("calculated", f.calculated());
        d.put("calculatedFormula", f.formula());
        d.put("cascadeDelete", false);
        d.put("caseSensitive", false);
        d.put("compoundFieldName", f.compoundFieldName());
        d.put("createable", f.createable() && !f.readOnly());
        d.put("custom", f.custom());
        d.put("defaultValue", null);
        d.put("defaultedOnCreate", f.defaultedOnCreate() || f.autoNumber() || List.of("Id", "IsDeleted", "CreatedDate",
                "CreatedById", "LastModifiedDate", "LastModifiedById").contains(f.name()));
        d.put("dependentPicklist", false);
        d.put("deprecatedAndHidden", false);
        d.put("digits", f.type().equals("int") ? 9 : 0);
        d.put("externalId", f.externalId());
        d.put("filterable", !compound);
        d.put("groupable", text || f.kind() == SObjectType.FieldType.REFERENCE || f.kind() == SObjectType.FieldType.DATE);
        d.put("htmlFormatted", false);
        d.put("idLookup", f.name().equals("Id") || f.externalId() || f.unique());
        d.put("label", f.label());
        d.put("length", text ? f.length() : f.kind() == SObjectType.FieldType.REFERENCE ? 18 : 0);
        d.put("name", f.name());
        d.put("nameField", f.name().equals("Name") || type.field("Name").isEmpty() && f.autoNumber());
        d.put("namePointing", false);
        d.put("nillable", f.nillable());
        d.put("permissionable", f.nillable() && !f.readOnly());
        d.put("picklistValues", f.picklistValues().stream().map(v -> {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("active", true);
            value.put("defaultValue", false);
            value.put("label", v);
            value.put("validFor", null);
            value.put("value", v);
            return value;
        }).toList());
        d.put("polymorphicForeignKey", f.referenceTo().size() > 1);
        d.put("precision", f.precision());
        d.put("referenceTo", f.referenceTo());
        d.put("relationshipName", f.relationshipName());
        d.put("relationshipOrder", null);
        d.put("restrictedPicklist", false);
        d.put("scale", f.scale());
        d.put("soapType", soapType(f.type()));
        d.put("sortable", !compound);
        d.put("type", f.type());
        d.put("unique", f.unique());
        d.put("updateable", f.updateable() && !f.readOnly());
        d.put("writeRequiresMasterRead", false);
        return d;
    }

    private static String soapType(String type) {
        return switch (type) {
            case "id", "reference" -> "tns:ID";
            case "currency", "double", "percent" -> "xsd:double";
            case "int" -> "xsd:int";
            case "boolean" -> "xsd:boolean";
            case "date" -> "xsd:date";
            case "datetime" -> "xsd:dateTime";
            case "address" -> "urn:address";
            default -> "xsd:string";
        };
    }
}
