package io.radstream.bench.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Decodes each input record into a {@link Reading} tagged with its topic, partition and offset. */
final class ReadingDeserializer implements KafkaRecordDeserializationSchema<Reading> {
    private transient ReadingDecoder decoder;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Reading> out) {
        if (decoder == null) {
            decoder = new ReadingDecoder();
        }
        String origin = record.topic() + "/" + record.partition() + "@" + record.offset();
        out.collect(decoder.decode(record.value(), origin));
    }

    @Override
    public TypeInformation<Reading> getProducedType() {
        return TypeInformation.of(Reading.class);
    }
}
