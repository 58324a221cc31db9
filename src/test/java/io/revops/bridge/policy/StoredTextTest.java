package io.revops.bridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The stored form of outside text: NUL-free, exactly reversible, unchanged for ordinary text; bounded keys. */
class StoredTextTest {
    private static final char[] ALPHABET = {'a', '\0', StoredText.ESCAPE, '0'};

    @Test
    void everyTextOfNulEscapeAndDigitRoundTripsAndIsStoredWithoutNul() {
        for (String text : allTexts(7)) {
            String stored = StoredText.escape(text);
            assertThat(stored).as("stored form of %s", text.chars().boxed().toList()).doesNotContain("\0");
            assertThat(StoredText.unescape(stored)).isEqualTo(text);
        }
    }

    @Test
    void ordinaryTextIsStoredAsItIs() {
        String json = "{\"name\":\"Ünïcode \\u0000 escaped, \\\\ backslash, \\u2400 and RTL \u202E\"}";
        assertThat(StoredText.escape(json)).isSameAs(json);
        assertThat(StoredText.escape(null)).isNull();
    }

    @Test
    void keysUpTo255CharactersWithoutNulAreThemselvesLongerOnesAHash() {
        assertThat(StoredText.keyOf("S".repeat(255))).isEqualTo("S".repeat(255));
        assertThat(StoredText.keyOf("S".repeat(256))).startsWith("sha256:").hasSize(71);
        assertThat(StoredText.keyOf("a\0b")).startsWith("sha256:");
        assertThat(StoredText.keyOf("S".repeat(256))).isNotEqualTo(StoredText.keyOf("S".repeat(257)));
        assertThat(StoredText.keyOf(null)).isNull();
    }

    private static List<String> allTexts(int maxLength) {
        List<String> texts = new ArrayList<>(List.of(""));
        List<String> previous = List.of("");
        for (int length = 1; length <= maxLength; length++) {
            List<String> longer = new ArrayList<>();
            for (String prefix : previous) {
                for (char c : ALPHABET) {
                    longer.add(prefix + c);
                }
            }
            texts.addAll(longer);
            previous = longer;
        }
        return texts;
    }
}
