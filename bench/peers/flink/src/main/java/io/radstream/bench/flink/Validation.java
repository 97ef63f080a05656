package io.radstream.bench.flink;

import java.util.List;

/**
 * Validation rules of radstream's validate operator with its default
 * settings, checked in radstream's order so that the first failing rule
 * names the dirty reason.
 */
final class Validation {
    private Validation() {}

    /** Dirty reasons in the order radstream lists them in its summary. */
    static final List<String> REASONS = List.of("unparseable", "missing_field", "time_unparseable",
            "time_before_minimum", "time_in_future", "latitude_invalid", "longitude_invalid", "no_gps_fix",
            "value_invalid", "unit_unknown", "checksum_mismatch", "cpm_void", "gps_void", "late");

    /** 2011-03-01T00:00:00Z, radstream's validate.min_capture_time default. */
    static final long MIN_CAPTURE_MILLIS = 1_298_937_600_000L;
    /** radstream's validate.max_clock_skew_seconds default. */
    static final long MAX_CLOCK_SKEW_MILLIS = 300_000L;
    /** Normalized unit accepted by default; its CPM factor is 1. */
    static final String KNOWN_UNIT = "cpm";

    /** A failed rule: the dirty reason and a message for the dirty record. */
    record Problem(String reason, String message) {}

    /** Returns the first rule the reading fails, or null when it is valid. */
    static Problem findProblem(Reading reading, long nowMillis) {
        if (!reading.defect.isEmpty()) {
            String reason = REASONS.contains(reading.defect) ? reading.defect : "unparseable";
            String message = reading.defectMessage.isEmpty()
                    ? "ingest reported " + quoteInput(reading.defect)
                    : reading.defectMessage;
            return new Problem(reason, message);
        }

        String missing = missingField(reading);
        if (missing != null) {
            return new Problem("missing_field", "required field \"" + missing + "\" is missing or empty");
        }
        Long captured = reading.capturedMillis;
        if (captured == null) {
            return new Problem("time_unparseable", "captured_time " + quoteInput(reading.capturedTime)
                    + " is not an ISO-8601 date-time such as 2012-03-29T07:10:34Z");
        }

        if (captured < MIN_CAPTURE_MILLIS) {
            return new Problem("time_before_minimum", "captured_time " + FieldText.formatTimestamp(captured)
                    + " is before the minimum " + FieldText.formatTimestamp(MIN_CAPTURE_MILLIS)
                    + " (validate.min_capture_time); devices without a clock fix report 2000-01-01");
        }
        if (captured > nowMillis + MAX_CLOCK_SKEW_MILLIS) {
            return new Problem("time_in_future", "captured_time " + FieldText.formatTimestamp(captured)
                    + " is later than now plus " + MAX_CLOCK_SKEW_MILLIS / 1000
                    + " s (validate.max_clock_skew_seconds)");
        }

        Double latitude = reading.latitude;
        if (latitude == null || latitude < -90 || latitude > 90) {
            return new Problem("latitude_invalid",
                    "latitude " + quoteInput(reading.latitudeText) + " is not a number in [-90, 90]");
        }
        Double longitude = reading.longitude;
        if (longitude == null || longitude < -180 || longitude > 180) {
            return new Problem("longitude_invalid",
                    "longitude " + quoteInput(reading.longitudeText) + " is not a number in [-180, 180]");
        }
        if (latitude == 0 && longitude == 0) {
            return new Problem("no_gps_fix", "position (0, 0) means the device had no GPS fix; set "
                    + "validate.reject_null_island = false to keep such readings");
        }

        Double value = reading.value;
        if (value == null || !(value > 0)) {
            return new Problem("value_invalid",
                    "value " + quoteInput(reading.valueText) + " is not a finite number above 0");
        }
        if (!KNOWN_UNIT.equals(reading.normalUnit)) {
            return new Problem("unit_unknown", "unit " + quoteInput(reading.unit)
                    + " is not known; add it with its CPM factor to validate.units");
        }
        return null;
    }

    private static String missingField(Reading reading) {
        if (!reading.hasCapturedTime) {
            return "captured_time";
        }
        if (!reading.latitudePresent) {
            return "latitude";
        }
        if (!reading.longitudePresent) {
            return "longitude";
        }
        if (!reading.valuePresent) {
            return "value";
        }
        if (reading.normalUnit.isEmpty()) {
            return "unit";
        }
        return null;
    }

    /** Quotes echoed input, cut to 200 bytes so a huge field cannot flood a record. */
    private static String quoteInput(String text) {
        return JsonText.quote(JsonText.truncateUtf8(text, 200));
    }
}
