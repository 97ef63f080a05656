package io.radstream.bench.flink;

/** One record for an output topic: the topic name, the record key and the JSON value. */
public class OutputRecord {
    public String topic = "";
    public String key = "";
    public String value = "";

    public OutputRecord() {}

    OutputRecord(String topic, String key, String value) {
        this.topic = topic;
        this.key = key;
        this.value = value;
    }
}
