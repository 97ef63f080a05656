package io.radstream.bench.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Decodes one input message into a {@link Reading} with the rules of
 * radstream's decode_message: strings are taken as they are, integers as
 * their decimal text, and other values (booleans, objects, arrays) as their
 * JSON text, so a boolean latitude is present but not a number.
 */
final class ReadingDecoder {
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    Reading decode(byte[] payload, String origin) {
        Reading reading = new Reading();
        reading.origin = origin;
        reading.payload = payload == null ? "" : new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        if (payload == null || payload.length == 0) {
            reading.unparseableMessage = "message is not valid JSON: the message is empty";
            return reading;
        }

        JsonNode document;
        try {
            document = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            reading.unparseableMessage = "message is not valid JSON: " + e.getOriginalMessage();
            return reading;
        } catch (IOException e) {
            reading.unparseableMessage = "message is not valid JSON: " + e.getMessage();
            return reading;
        }
        if (document == null || document.isMissingNode()) {
            reading.unparseableMessage = "message is not valid JSON: the message is empty";
            return reading;
        }
        // simdjson, which radstream uses, rejects a number outside the range
        // of a double anywhere in the message, where Jackson reads Infinity.
        if (hasNonFiniteNumber(document)) {
            reading.unparseableMessage = "message is not valid JSON: a number is outside the range of a double";
            return reading;
        }
        if (!document.isObject()) {
            reading.unparseableMessage = "message is JSON but not an object; send one JSON object per reading";
            return reading;
        }

        Iterator<Map.Entry<String, JsonNode>> fields = document.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            assignField(field.getKey(), field.getValue(), reading);
        }
        computeKey(reading);
        return reading;
    }

    private static boolean hasNonFiniteNumber(JsonNode node) {
        if (node.isFloatingPointNumber()) {
            return !Double.isFinite(node.doubleValue());
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (hasNonFiniteNumber(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Returns the value as text, or null for JSON null (then the field counts as missing). */
    private static String readText(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        return value.toString();
    }

    private static final class Numeric {
        boolean present;
        String text = "";
        Double number;
    }

    private static Numeric readNumeric(JsonNode value) {
        Numeric out = new Numeric();
        String text = readText(value);
        out.present = text != null && !text.isEmpty();
        if (!out.present) {
            return out;
        }
        out.text = text;
        // A JSON double keeps its parsed value because its text form can differ in spelling.
        out.number = value.isFloatingPointNumber() ? Double.valueOf(value.doubleValue())
                : FieldText.parseFiniteNumber(text);
        return out;
    }

    private static String textOrEmpty(JsonNode value) {
        String text = readText(value);
        return text == null ? "" : text;
    }

    private static void assignField(String name, JsonNode value, Reading out) {
        switch (name) {
            case "latitude" -> {
                Numeric numeric = readNumeric(value);
                out.latitudePresent = numeric.present;
                out.latitudeText = numeric.text;
                out.latitude = numeric.number;
            }
            case "longitude" -> {
                Numeric numeric = readNumeric(value);
                out.longitudePresent = numeric.present;
                out.longitudeText = numeric.text;
                out.longitude = numeric.number;
            }
            case "value" -> {
                Numeric numeric = readNumeric(value);
                out.valuePresent = numeric.present;
                out.valueText = numeric.text;
                out.value = numeric.number;
            }
            case "height" -> out.height = readNumeric(value).number;
            case "captured_time" -> {
                out.capturedTime = textOrEmpty(value);
                out.hasCapturedTime = !out.capturedTime.isEmpty();
            }
            case "unit" -> out.unit = textOrEmpty(value);
            case "device_id" -> out.deviceId = textOrEmpty(value);
            case "location_name" -> out.locationName = textOrEmpty(value);
            case "ingestion_timestamp" -> out.ingestionTimestamp = textOrEmpty(value);
            case "source" -> out.source = textOrEmpty(value);
            case "defect" -> out.defect = textOrEmpty(value);
            case "defect_message" -> out.defectMessage = textOrEmpty(value);
            case "raw" -> out.raw = textOrEmpty(value);
            default -> {
                // Other fields are ignored, as radstream ignores them.
            }
        }
    }

    private static void computeKey(Reading out) {
        if (out.hasCapturedTime) {
            out.capturedMillis = FieldText.parseTimestamp(out.capturedTime);
        }
        out.normalUnit = FieldText.normalizeUnit(out.unit);
        if (out.latitude == null || out.longitude == null || out.value == null || out.capturedMillis == null
                || out.normalUnit.isEmpty()) {
            return;
        }
        out.key = FieldText.compositeKey(out.latitude, out.longitude, out.value, out.capturedMillis,
                out.normalUnit);
    }
}
