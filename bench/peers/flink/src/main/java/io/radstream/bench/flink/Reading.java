package io.radstream.bench.flink;

/**
 * One input message after JSON decoding, before validation. A Flink POJO:
 * public fields and a no-argument constructor, so Flink serializes it
 * without Kryo. Text fields that were absent or null are empty strings.
 */
public class Reading {
    /** The Kafka record value as text. */
    public String payload = "";
    /** Input record as {@code topic/partition@offset}. */
    public String origin = "";
    /** Parse error message when the payload is not a JSON object, or empty when it is one. */
    public String unparseableMessage = "";

    public boolean hasCapturedTime;
    public String capturedTime = "";
    /** Capture time in Unix milliseconds, or null when missing or unparseable. */
    public Long capturedMillis;

    public boolean latitudePresent;
    public String latitudeText = "";
    public Double latitude;
    public boolean longitudePresent;
    public String longitudeText = "";
    public Double longitude;
    public boolean valuePresent;
    public String valueText = "";
    public Double value;
    public Double height;

    public String unit = "";
    /** Unit trimmed, lower-cased and with micro signs as u. */
    public String normalUnit = "";
    public String deviceId = "";
    public String locationName = "";
    public String ingestionTimestamp = "";
    public String source = "";
    /** Problem that ingest found, such as checksum_mismatch, or empty. */
    public String defect = "";
    public String defectMessage = "";
    public String raw = "";

    /** Composite dedup key, or empty when a key field is missing or unparseable. */
    public String key = "";

    public Reading() {}

    boolean isUnparseable() {
        return !unparseableMessage.isEmpty();
    }

    /** Returns whether dedup applies: the reading has a key and ingest flagged no defect. */
    boolean takesPartInDedup() {
        return !key.isEmpty() && defect.isEmpty();
    }
}
