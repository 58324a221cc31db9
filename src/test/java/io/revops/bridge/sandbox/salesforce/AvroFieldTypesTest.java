package io.revops.bridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Field values as Salesforce's event schemas carry them: epoch milliseconds, epoch days, doubles, strings. */
class AvroFieldTypesTest {
    private static final Schema DATE = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));

    @Test
    void everyFieldTypeHasAnAvroTypeAndUnknownOnesAreStrings() {
        assertThat(AvroFieldTypes.of(SObjectType.FieldType.DATETIME).getType()).isEqualTo(Schema.Type.LONG);
        assertThat(AvroFieldTypes.of(SObjectType.FieldType.NUMBER).getType()).isEqualTo(Schema.Type.DOUBLE);
        assertThat(AvroFieldTypes.of(SObjectType.FieldType.BOOLEAN).getType()).isEqualTo(Schema.Type.BOOLEAN);
        assertThat(AvroFieldTypes.of(SObjectType.FieldType.TEXT).getType()).isEqualTo(Schema.Type.STRING);
        assertThat(AvroFieldTypes.of(SObjectType.FieldType.REFERENCE).getType()).isEqualTo(Schema.Type.STRING);
        for (SObjectType.FieldType type : SObjectType.FieldType.values()) {
            assertThat(AvroFieldTypes.of(type)).as(type.name()).isNotNull();
        }
    }

    @Test
    void datetimesAreEpochMillisWhateverFormTheRecordHoldsThemIn() {
        long millis = Instant.parse("2026-11-22T10:15:00Z").toEpochMilli();
        Schema type = AvroFieldTypes.of(SObjectType.FieldType.DATETIME);
        assertThat(AvroFieldTypes.value(type, Instant.parse("2026-11-22T10:15:00Z"))).isEqualTo(millis);
        assertThat(AvroFieldTypes.value(type, "2026-11-22T10:15:00.000+0000")).isEqualTo(millis);
        assertThat(AvroFieldTypes.value(type, "2026-11-22T11:15:00+01:00")).isEqualTo(millis);
        assertThat(AvroFieldTypes.value(type, null)).isNull();
    }

    @Test
    void datesAreEpochDays() {
        assertThat(AvroFieldTypes.value(DATE, "2026-11-22")).isEqualTo((int) LocalDate.parse("2026-11-22").toEpochDay());
        assertThat(AvroFieldTypes.value(DATE, "1970-01-01")).isEqualTo(0);
    }

    @Test
    void numbersWrittenAsTextBecomeDoubles() {
        assertThat(AvroFieldTypes.value(AvroFieldTypes.of(SObjectType.FieldType.NUMBER), 3)).isEqualTo(3.0);
        assertThat(AvroFieldTypes.value(AvroFieldTypes.of(SObjectType.FieldType.NUMBER), "2.5")).isEqualTo(2.5);
    }
}
