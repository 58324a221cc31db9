package io.revops.bridge.sandbox.salesforce;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * A platform event of the org file (/event/Name__e). Its Avro schema is the one Salesforce's Pub/Sub API serves:
 * namespace com.sforce.eventbus, CreatedDate (epoch millis) and CreatedById first, then every field as a nullable
 * union (dates and datetimes as epoch millis, as Pub/Sub sends them).
 */
public record PlatformEvent(String name, String label, List<SObjectField> fields) {

    public String topic() {
        return "/event/" + name;
    }

    public Schema avroSchema() {
        SchemaBuilder.FieldAssembler<Schema> schema = SchemaBuilder.record(name).namespace("com.sforce.eventbus").fields()
                .requiredLong("CreatedDate").requiredString("CreatedById");
        for (SObjectField field : fields) {
            switch (field.type()) {
                case "int" -> schema.optionalInt(field.name());
                case "currency", "double", "percent" -> schema.optionalDouble(field.name());
                case "boolean" -> schema.optionalBoolean(field.name());
                case "date", "datetime" -> schema.optionalLong(field.name());
                default -> schema.optionalString(field.name());
            }
        }
        return schema.endRecord();
    }
}
