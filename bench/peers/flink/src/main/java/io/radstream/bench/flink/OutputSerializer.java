package io.radstream.bench.flink;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends each output record to the topic it names, with its key and value as UTF-8. */
final class OutputSerializer implements KafkaRecordSerializationSchema<OutputRecord> {
    @Override
    public ProducerRecord<byte[], byte[]> serialize(OutputRecord record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(record.topic, record.key.getBytes(StandardCharsets.UTF_8),
                record.value.getBytes(StandardCharsets.UTF_8));
    }
}
