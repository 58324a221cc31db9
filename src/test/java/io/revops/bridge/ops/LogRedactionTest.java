package io.revops.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogRedactionTest {
    private final LogRedaction redaction = new LogRedaction();

    @Test
    void masksEmailsAndPhoneNumbers() {
        assertThat(redaction.redact("contact jane.doe@acme.example, phone +1 415 555 0199 or (415) 555-0123"))
                .isEqualTo("contact j***@acme.example, phone *************99 or ************23");
    }

    @Test
    void aValueCannotForgeALineOrHideText() {
        String forged = "order 42 from\r\n2026-12-01 10:00:00,000 INFO  [io.revops] payment approved\u0000\u001b[2J\u202eevil\u2028x";
        String escaped = LogRedaction.escapeControls(forged);
        assertThat(escaped).doesNotContain("\r", "\n", "\u0000", "\u001b", "\u202e", "\u2028")
                .isEqualTo("order 42 from\\r\\n2026-12-01 10:00:00,000 INFO  [io.revops] payment approved\\u0000\\u001b[2J\\u202eevil\\u2028x");
        assertThat(LogRedaction.escapeControls("tabs\tstay, accents été stay")).isEqualTo("tabs\tstay, accents été stay");
    }

    @Test
    void leavesIdsTimesAndAddressesAlone() {
        String line = "2026-11-23 11:00:19,250 Account 001000000000001AAA -> ERP at 127.0.0.1:29092 offset 1234567890 HTTP 503";
        assertThat(redaction.redact(line)).isEqualTo(line);
    }
}
