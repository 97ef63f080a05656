package io.radstream.bench.flink;

import java.util.ArrayList;
import java.util.List;

/** Command-line options of the job. */
final class JobOptions {
    static final String USAGE = String.join("\n",
            "Usage: radstream-flink-peer --brokers HOST:PORT --input TOPIC --processed TOPIC --critical TOPIC",
            "           --dirty TOPIC --group-id ID --guarantee exactly_once|at_least_once",
            "           [--parallelism N] [--checkpoint-interval-ms MS] [--output-partitions N]",
            "           [--checkpoint-dir DIR]",
            "",
            "Reads TOPIC from its earliest offsets to the end offsets present at start, dedups, validates,",
            "enriches and routes each reading, then prints one JSON line of counts on stdout.",
            "  --brokers                 Kafka bootstrap servers",
            "  --input                   input topic (radstream's radiation-data)",
            "  --processed, --critical, --dirty   output topics; missing ones are created",
            "  --group-id                consumer group id; also names the transactional id prefix",
            "  --guarantee               exactly_once (Kafka transactions) or at_least_once",
            "  --parallelism             Flink parallelism, the number of cores to use (default 2)",
            "  --checkpoint-interval-ms  checkpoint interval in milliseconds (default 1000)",
            "  --output-partitions       partitions of output topics that the job creates (default 4,",
            "                            radstream's default)",
            "  --checkpoint-dir          folder for checkpoint files (default: a new temporary folder,",
            "                            deleted when the job ends)");

    String brokers;
    String input;
    String processed;
    String critical;
    String dirty;
    String groupId;
    boolean exactlyOnce;
    int parallelism = 2;
    long checkpointIntervalMillis = 1000;
    int outputPartitions = 4;
    String checkpointDir;

    /** Parses the arguments, or throws IllegalArgumentException naming the invalid or missing option. */
    static JobOptions parse(String[] args) {
        JobOptions options = new JobOptions();
        String guarantee = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new HelpRequested();
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--brokers" -> options.brokers = value;
                case "--input" -> options.input = value;
                case "--processed" -> options.processed = value;
                case "--critical" -> options.critical = value;
                case "--dirty" -> options.dirty = value;
                case "--group-id" -> options.groupId = value;
                case "--guarantee" -> guarantee = value;
                case "--parallelism" -> options.parallelism = positiveInt(name, value);
                case "--checkpoint-interval-ms" -> options.checkpointIntervalMillis = positiveInt(name, value);
                case "--output-partitions" -> options.outputPartitions = positiveInt(name, value);
                case "--checkpoint-dir" -> options.checkpointDir = value;
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }

        List<String> missing = new ArrayList<>();
        if (options.brokers == null) {
            missing.add("--brokers");
        }
        if (options.input == null) {
            missing.add("--input");
        }
        if (options.processed == null) {
            missing.add("--processed");
        }
        if (options.critical == null) {
            missing.add("--critical");
        }
        if (options.dirty == null) {
            missing.add("--dirty");
        }
        if (options.groupId == null) {
            missing.add("--group-id");
        }
        if (guarantee == null) {
            missing.add("--guarantee");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing required options: " + String.join(", ", missing));
        }
        if (guarantee.equals("exactly_once")) {
            options.exactlyOnce = true;
        } else if (!guarantee.equals("at_least_once")) {
            throw new IllegalArgumentException(
                    "invalid --guarantee \"" + guarantee + "\"; use exactly_once or at_least_once");
        }
        return options;
    }

    private static int positiveInt(String name, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value.
        }
        throw new IllegalArgumentException("invalid " + name + " \"" + value + "\"; use a whole number above 0");
    }

    /** Thrown for --help so that main prints the usage and exits with 0. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super(null, null, false, false);
        }
    }
}
