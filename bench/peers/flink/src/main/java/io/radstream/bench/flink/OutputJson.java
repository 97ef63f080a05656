package io.radstream.bench.flink;

/** Writes output and dirty records with radstream's field names and order. */
final class OutputJson {
    /** radstream's validate.raw_max_bytes default: raw input kept in a dirty record. */
    static final int RAW_MAX_BYTES = 1024;

    private OutputJson() {}

    /** Readings at or above this CPM go to the critical topic. */
    static final double CRITICAL_CPM = 1000;
    static final double MODERATE_CPM = 50;
    static final double HIGH_CPM = 200;
    /** CPM per µSv/h of the LND 7317 tube in the bGeigie, radstream's enrich.cpm_per_usvh default. */
    static final double CPM_PER_USVH = 334;

    static String level(double cpm) {
        if (cpm < MODERATE_CPM) {
            return "low";
        }
        return cpm < HIGH_CPM ? "moderate" : "high";
    }

    /** Writes a valid reading with its enrichment: level, critical, cpm and dose_usvh. */
    static String writeOutput(Reading in, double cpm, boolean critical) {
        StringBuilder out = new StringBuilder(384);
        out.append('{');
        field(out, "status");
        JsonText.appendString(out, critical ? "critical" : "processed");

        out.append(',');
        field(out, "timestamp");
        JsonText.appendString(out, FieldText.formatTimestamp(in.capturedMillis));
        out.append(',');
        field(out, "lat");
        JsonText.appendNumber(out, in.latitude);
        out.append(',');
        field(out, "lon");
        JsonText.appendNumber(out, in.longitude);
        out.append(',');
        field(out, "value");
        JsonText.appendNumber(out, in.value);

        out.append(',');
        field(out, "unit");
        JsonText.appendString(out, in.normalUnit);
        out.append(',');
        field(out, "level");
        JsonText.appendString(out, level(cpm));
        out.append(',');
        field(out, "critical");
        out.append(critical);
        out.append(',');
        field(out, "cpm");
        JsonText.appendNumber(out, cpm);
        out.append(',');
        field(out, "dose_usvh");
        JsonText.appendNumber(out, cpm / CPM_PER_USVH);

        optionalText(out, "device_id", in.deviceId);
        optionalText(out, "location_name", in.locationName);
        if (in.height != null) {
            out.append(',');
            field(out, "height");
            JsonText.appendNumber(out, in.height);
        }
        optionalText(out, "ingestion_timestamp", in.ingestionTimestamp);
        optionalText(out, "source", in.source);

        out.append(',');
        field(out, "origin");
        JsonText.appendString(out, in.origin);
        out.append(',');
        field(out, "key");
        JsonText.appendString(out, in.key);
        return out.append('}').toString();
    }

    /** Writes a rejected reading with its reason and its raw input cut to {@link #RAW_MAX_BYTES}. */
    static String writeDirty(Reading in, String reason, String message) {
        String raw = in.raw.isEmpty() ? in.payload : in.raw;
        StringBuilder out = new StringBuilder(256 + raw.length());
        out.append('{');
        field(out, "status");
        JsonText.appendString(out, "dirty");
        out.append(',');
        field(out, "reason");
        JsonText.appendString(out, reason);
        out.append(',');
        field(out, "message");
        JsonText.appendString(out, message);
        out.append(',');
        field(out, "raw");
        JsonText.appendString(out, JsonText.truncateUtf8(raw, RAW_MAX_BYTES));
        out.append(',');
        field(out, "raw_truncated");
        out.append(JsonText.utf8Length(raw) > RAW_MAX_BYTES);
        optionalText(out, "source", in.source);
        out.append(',');
        field(out, "origin");
        JsonText.appendString(out, in.origin);
        String timestamp = in.capturedMillis != null ? FieldText.formatTimestamp(in.capturedMillis) : in.capturedTime;
        optionalText(out, "timestamp", timestamp);
        return out.append('}').toString();
    }

    private static void field(StringBuilder out, String name) {
        JsonText.appendString(out, name);
        out.append(':');
    }

    private static void optionalText(StringBuilder out, String name, String value) {
        if (!value.isEmpty()) {
            out.append(',');
            field(out, name);
            JsonText.appendString(out, value);
        }
    }
}
