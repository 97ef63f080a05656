package io.radstream.bench.flink;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * JSON text helpers that print numbers, strings and cut raw input the way
 * radstream's C++ writer does, so both jobs write the same bytes for the
 * same reading.
 */
final class JsonText {
    private JsonText() {}

    /**
     * Appends a double as the shortest text that reads back as the same
     * value, in fixed notation for decimal exponents in [-4, 16) and as
     * {@code 1.5e+16} outside, like fmt's "{}" in radstream. Both zeros print
     * as 0 and a non-finite value as null.
     */
    // NOTE: Java 17's Double.toString can return one digit more than the
    // shortest form for some values (fixed in JDK 19), so such a number can
    // be spelled differently from radstream while still being equal.
    static void appendNumber(StringBuilder out, double value) {
        if (!Double.isFinite(value)) {
            out.append("null");
            return;
        }
        if (value == 0.0) {
            out.append('0');
            return;
        }

        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
            return;
        }
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        String digits = decimal.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - decimal.scale();

        if (value < 0) {
            out.append('-');
        }
        if (exponent >= -4 && exponent < 16) {
            out.append(decimal.abs().toPlainString());
            return;
        }

        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            out.append('0');
        }
        out.append(magnitude);
    }

    static String formatNumber(double value) {
        StringBuilder out = new StringBuilder(24);
        appendNumber(out, value);
        return out.toString();
    }

    /**
     * Appends a quoted JSON string. Quotes, backslashes and control characters
     * (DEL included) are escaped and other characters are written as they are.
     */
    static void appendString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        appendString(out, text);
        return out.toString();
    }

    /** Counts the UTF-8 bytes of {@code text} without encoding it. */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Cuts {@code text} to at most {@code maxBytes} UTF-8 bytes without
     * splitting a character, as radstream's truncate_utf8 does.
     */
    static String truncateUtf8(String text, int maxBytes) {
        if (text.length() * 3 <= maxBytes || utf8Length(text) <= maxBytes) {
            return text;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int end = maxBytes;
        // Step back over continuation bytes so the cut falls on a character start.
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, end));
            return chars.toString();
        } catch (CharacterCodingException e) {
            // With REPLACE set for malformed input the decoder does not throw,
            // so this fallback is not expected to run.
            return new String(bytes, 0, end, StandardCharsets.UTF_8);
        }
    }
}
