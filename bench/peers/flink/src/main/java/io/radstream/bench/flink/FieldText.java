package io.radstream.bench.flink;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * Parsers and formatters for reading fields, written to accept and print
 * exactly what radstream's C++ ones do (src/core/event_time.cpp,
 * number_text.cpp and composite_key.cpp).
 */
final class FieldText {
    private FieldText() {}

    /** Decimal numbers as std::from_chars accepts them in general format, after one leading '+'. */
    private static final Pattern DECIMAL = Pattern.compile("-?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern NONZERO_MANTISSA = Pattern.compile("^-?[0-9.]*[1-9]");

    /**
     * Parses a number given as text: spaces around it and one leading '+'
     * are allowed. Returns null when the text is not a decimal number or its
     * value is not finite, or when a non-zero number underflows to zero.
     */
    static Double parseFiniteNumber(String text) {
        String trimmed = trimSpaces(text);
        if (trimmed.startsWith("+")) {
            trimmed = trimmed.substring(1);
        }
        if (trimmed.isEmpty() || !DECIMAL.matcher(trimmed).matches()) {
            return null;
        }
        double number = Double.parseDouble(trimmed);
        if (!Double.isFinite(number)) {
            return null;
        }
        // from_chars reports an out-of-range result for a non-zero number
        // that underflows to 0, and radstream treats that as unparseable.
        if (number == 0.0 && NONZERO_MANTISSA.matcher(trimmed).find()) {
            return null;
        }
        return number;
    }

    private static String trimSpaces(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == ' ') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == ' ') {
            end--;
        }
        return text.substring(start, end);
    }

    /**
     * Parses an ISO-8601 date-time such as {@code 2012-03-29T07:10:34Z},
     * {@code 2012-03-29 07:10:34} (UTC) or {@code 2012-03-29T16:10:34.5+09:00}
     * into Unix milliseconds. Digits of a fraction past milliseconds are
     * dropped. Returns null for any other form or an impossible date or time.
     */
    static Long parseTimestamp(String raw) {
        String text = trimSpacesAndTabs(raw);
        if (text.length() < 19) {
            return null;
        }
        int year = readDigits(text, 0, 4);
        int month = readDigits(text, 5, 2);
        int day = readDigits(text, 8, 2);
        int hour = readDigits(text, 11, 2);
        int minute = readDigits(text, 14, 2);
        int second = readDigits(text, 17, 2);
        char separator = text.charAt(10);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0
                || text.charAt(4) != '-' || text.charAt(7) != '-'
                || (separator != 'T' && separator != 't' && separator != ' ')
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        if (hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null;
        }

        int pos = 19;
        int millis = 0;
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            int scale = 100;
            int firstDigit = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                millis += (text.charAt(pos) - '0') * scale;
                scale /= 10;
                pos++;
            }
            if (pos == firstDigit) {
                return null;
            }
        }

        int offsetMinutes = 0;
        if (pos < text.length()) {
            char zone = text.charAt(pos);
            if ((zone == 'Z' || zone == 'z') && pos + 1 == text.length()) {
                pos = text.length();
            } else if (zone == '+' || zone == '-') {
                int offsetHours = readDigits(text, pos + 1, 2);
                int minutesPos = pos + 3;
                if (offsetHours < 0) {
                    return null;
                }
                if (minutesPos < text.length() && text.charAt(minutesPos) == ':') {
                    minutesPos++;
                }
                int offsetMinutesPart = readDigits(text, minutesPos, 2);
                if (offsetMinutesPart < 0 || minutesPos + 2 != text.length() || offsetHours > 23
                        || offsetMinutesPart > 59) {
                    return null;
                }
                offsetMinutes = offsetHours * 60 + offsetMinutesPart;
                if (zone == '-') {
                    offsetMinutes = -offsetMinutes;
                }
            } else {
                return null;
            }
        }

        long seconds = date.toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second - offsetMinutes * 60L;
        return seconds * 1000L + millis;
    }

    /** Reads exactly {@code width} ASCII digits at {@code pos}, or returns -1. */
    private static int readDigits(String text, int pos, int width) {
        if (pos + width > text.length()) {
            return -1;
        }
        int value = 0;
        for (int i = pos; i < pos + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String trimSpacesAndTabs(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Formats Unix milliseconds as {@code 2012-03-29T07:10:34Z}, with {@code .mmm} only when non-zero. */
    static String formatTimestamp(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(24);
        appendPadded(out, time.getYear(), 4);
        out.append('-');
        appendPadded(out, time.getMonthValue(), 2);
        out.append('-');
        appendPadded(out, time.getDayOfMonth(), 2);
        out.append('T');
        appendPadded(out, time.getHour(), 2);
        out.append(':');
        appendPadded(out, time.getMinute(), 2);
        out.append(':');
        appendPadded(out, time.getSecond(), 2);
        if (millis != 0) {
            out.append('.');
            appendPadded(out, millis, 3);
        }
        return out.append('Z').toString();
    }

    /** Appends a non-negative number with leading zeros up to {@code width} digits. */
    private static void appendPadded(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        out.append(digits);
    }

    /** Trims whitespace, lower-cases ASCII letters and writes the micro signs µ and μ as u. */
    static String normalizeUnit(String unit) {
        int start = 0;
        int end = unit.length();
        while (start < end && isUnitSpace(unit.charAt(start))) {
            start++;
        }
        while (end > start && isUnitSpace(unit.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = unit.charAt(i);
            if (c == '\u00B5' || c == '\u03BC') {
                out.append('u');
            } else if (c >= 'A' && c <= 'Z') {
                out.append((char) (c - 'A' + 'a'));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isUnitSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x0B || c == '\f';
    }

    /** The dedup key {@code lat|lon|value|time|unit}, spelled as radstream spells it. */
    static String compositeKey(double latitude, double longitude, double value, long capturedMillis,
            String normalUnit) {
        StringBuilder key = new StringBuilder(64);
        JsonText.appendNumber(key, latitude);
        key.append('|');
        JsonText.appendNumber(key, longitude);
        key.append('|');
        JsonText.appendNumber(key, value);
        key.append('|');
        key.append(formatTimestamp(capturedMillis));
        key.append('|');
        key.append(normalUnit);
        return key.toString();
    }
}
