package io.radstream.bench.flink;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Flink peer of {@code radstream process}: reads the input topic
 * from its earliest offsets to the end offsets present at start, dedups,
 * validates, enriches and routes each reading to the processed, critical
 * or dirty topic, then prints one JSON line of counts and timings.
 * Flink runs as a local mini-cluster inside this JVM.
 */
public final class RadstreamFlinkJob {
    /** Log4j configuration in this jar: warnings and errors on stderr. */
    private static final String LOG_CONFIG = "log4j2-radstream-flink.properties";

    /** Exit code for invalid options, as radstream uses for a config error. */
    private static final int EXIT_USAGE = 2;
    private static final int EXIT_FAILURE = 1;

    private RadstreamFlinkJob() {}

    public static void main(String[] args) {
        // Set before the first logger is created, because Log4j reads its
        // configuration once. An explicit -Dlog4j2.configurationFile wins.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        JobOptions options;
        try {
            options = JobOptions.parse(args);
        } catch (JobOptions.HelpRequested e) {
            System.out.println(JobOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("radstream-flink-peer: " + e.getMessage());
            System.err.println(JobOptions.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        try {
            run(options);
        } catch (Exception e) {
            Logger log = LoggerFactory.getLogger(RadstreamFlinkJob.class);
            log.error("Flink peer job failed", e);
            System.err.println("radstream-flink-peer: job failed: " + e);
            System.exit(EXIT_FAILURE);
        }
    }

    private static void run(JobOptions options) throws Exception {
        createMissingOutputTopics(options);

        Path checkpointDir = options.checkpointDir != null ? Path.of(options.checkpointDir)
                : Files.createTempDirectory("radstream-flink-checkpoints-");
        try {
            runJob(options, checkpointDir);
        } finally {
            if (options.checkpointDir == null) {
                deleteRecursively(checkpointDir);
            }
        }
    }

    private static void runJob(JobOptions options, Path checkpointDir) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(
                options.parallelism, flinkConfiguration(checkpointDir));
        CheckpointingMode checkpointing =
                options.exactlyOnce ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE;
        env.enableCheckpointing(options.checkpointIntervalMillis, checkpointing);
        // Chained operators pass records without copying them, which is safe
        // because no function keeps or changes a record after emitting it.
        env.getConfig().enableObjectReuse();

        KafkaSource<Reading> source = KafkaSource.<Reading>builder()
                .setBootstrapServers(options.brokers)
                .setTopics(options.input)
                .setGroupId(options.groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new ReadingDeserializer())
                .setProperty("isolation.level", "read_committed")
                .build();

        DeliveryGuarantee guarantee =
                options.exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
        KafkaSink<OutputRecord> sink = KafkaSink.<OutputRecord>builder()
                .setBootstrapServers(options.brokers)
                .setRecordSerializer(new OutputSerializer())
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix("radstream-flink-" + options.groupId)
                .setKafkaProducerConfig(producerProperties())
                .build();

        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka: " + options.input)
                .keyBy(reading -> reading.key.isEmpty() ? reading.origin : reading.key)
                .process(new ReadingProcessor(options.processed, options.critical, options.dirty))
                .name("dedup, validate, enrich, route")
                .sinkTo(sink)
                .name("kafka: output topics");

        long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        long submitMillis = System.currentTimeMillis();
        long submitNanos = System.nanoTime();
        JobExecutionResult result = env.execute("radstream-flink-peer");
        double seconds = (System.nanoTime() - submitNanos) / 1e9;

        System.out.println(summaryJson(result, seconds, jvmStartMillis, submitMillis));
        System.out.flush();
    }

    private static Configuration flinkConfiguration(Path checkpointDir) {
        Configuration config = new Configuration();
        // Keyed state on the JVM heap, as radstream keeps its dedup state in
        // memory. Checkpoints go to local files, because the job manager's
        // in-memory storage rejects state above 5 MB, and 1,000,000 dedup
        // keys take tens of MB.
        config.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        config.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
        // The mini-cluster's REST endpoint and task manager stay on loopback.
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_PORT, "0");
        config.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        config.set(TaskManagerOptions.HOST, "127.0.0.1");
        return config;
    }

    /** Producer settings matching radstream's: lz4, 5 ms linger, acks=all and idempotence. */
    private static Properties producerProperties() {
        Properties properties = new Properties();
        properties.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        properties.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Flink's default of one hour is above the broker's default
        // transaction.max.timeout.ms of 15 minutes, which the broker rejects.
        properties.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "600000");
        return properties;
    }

    /**
     * Creates the output topics that do not exist yet, because the broker may
     * not create topics on first use. Fails when the input topic is missing.
     */
    private static void createMissingOutputTopics(JobOptions options) throws Exception {
        Properties properties = new Properties();
        properties.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.brokers);
        try (Admin admin = Admin.create(properties)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (!existing.contains(options.input)) {
                throw new IllegalStateException("input topic " + options.input + " not found on " + options.brokers
                        + "; load it first, for example with radstream ingest");
            }
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : List.of(options.processed, options.critical, options.dirty)) {
                if (!existing.contains(topic) && missing.stream().noneMatch(t -> t.name().equals(topic))) {
                    missing.add(new NewTopic(topic, options.outputPartitions, (short) 1));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // Another run may have created a topic in the meantime.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static long counter(JobExecutionResult result, String name) {
        Object value = result.getAccumulatorResult(name);
        return value instanceof Long number ? number : 0L;
    }

    private static String summaryJson(JobExecutionResult result, double seconds, long jvmStartMillis,
            long submitMillis) {
        long input = counter(result, ReadingProcessor.INPUT);
        StringBuilder json = new StringBuilder(512);
        json.append("{\"input\":").append(input)
                .append(",\"processed\":").append(counter(result, ReadingProcessor.PROCESSED))
                .append(",\"critical\":").append(counter(result, ReadingProcessor.CRITICAL))
                .append(",\"dirty\":").append(counter(result, ReadingProcessor.DIRTY))
                .append(",\"duplicates\":").append(counter(result, ReadingProcessor.DUPLICATES))
                .append(",\"seconds\":").append(round3(seconds))
                .append(",\"records_per_second\":").append(seconds > 0 ? Math.round(input / seconds) : 0);

        // Timings beyond the wall time: JVM start to job submission, submission
        // to the first record (mini-cluster start, task deployment, first fetch),
        // first to last record, and Flink's own net runtime of the job.
        json.append(",\"jvm_start_to_submit_seconds\":").append(round3((submitMillis - jvmStartMillis) / 1e3));
        Object first = result.getAccumulatorResult(ReadingProcessor.FIRST_RECORD_MILLIS);
        Object last = result.getAccumulatorResult(ReadingProcessor.LAST_RECORD_MILLIS);
        if (first instanceof Long firstMillis && last instanceof Long lastMillis && input > 0) {
            json.append(",\"submit_to_first_record_seconds\":").append(round3((firstMillis - submitMillis) / 1e3))
                    .append(",\"first_to_last_record_seconds\":").append(round3((lastMillis - firstMillis) / 1e3));
        }
        json.append(",\"net_runtime_seconds\":").append(round3(result.getNetRuntime(TimeUnit.MILLISECONDS) / 1e3));

        json.append(",\"dirty_by_reason\":{");
        boolean firstReason = true;
        for (String reason : Validation.REASONS) {
            if (!firstReason) {
                json.append(',');
            }
            firstReason = false;
            json.append('"').append(reason).append("\":")
                    .append(counter(result, ReadingProcessor.DIRTY_PREFIX + reason));
        }
        return json.append("}}").toString();
    }

    private static double round3(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
