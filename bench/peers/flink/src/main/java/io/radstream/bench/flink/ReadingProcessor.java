package io.radstream.bench.flink;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Dedup, validate, enrich and route in one keyed step. The stream is keyed
 * by the composite key, or by the origin for a reading without one, so that
 * every reading with the same key meets the same keyed state.
 */
// NOTE: a key stays in state for the whole run. radstream evicts a key 7 days
// of event time after the newest capture time and caps its table at
// 1,000,000 keys, so on data with a longer span or more keys the counts of
// duplicates can differ.
final class ReadingProcessor extends KeyedProcessFunction<String, Reading, OutputRecord> {
    static final String INPUT = "input";
    static final String PROCESSED = "processed";
    static final String CRITICAL = "critical";
    static final String DIRTY = "dirty";
    static final String DUPLICATES = "duplicates";
    static final String DIRTY_PREFIX = "dirty.";
    static final String FIRST_RECORD_MILLIS = "first_record_millis";
    static final String LAST_RECORD_MILLIS = "last_record_millis";

    private final String processedTopic;
    private final String criticalTopic;
    private final String dirtyTopic;

    private transient ValueState<Boolean> seen;
    private transient LongCounter input;
    private transient LongCounter processed;
    private transient LongCounter critical;
    private transient LongCounter dirty;
    private transient LongCounter duplicates;
    private transient Map<String, LongCounter> dirtyByReason;
    private transient LongMinimum firstRecordMillis;
    private transient LongMaximum lastRecordMillis;

    ReadingProcessor(String processedTopic, String criticalTopic, String dirtyTopic) {
        this.processedTopic = processedTopic;
        this.criticalTopic = criticalTopic;
        this.dirtyTopic = dirtyTopic;
    }

    @Override
    public void open(OpenContext context) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Boolean.class));
        input = counter(INPUT);
        processed = counter(PROCESSED);
        critical = counter(CRITICAL);
        dirty = counter(DIRTY);
        duplicates = counter(DUPLICATES);
        dirtyByReason = new HashMap<>();
        for (String reason : Validation.REASONS) {
            dirtyByReason.put(reason, counter(DIRTY_PREFIX + reason));
        }
        firstRecordMillis = new LongMinimum(Long.MAX_VALUE);
        lastRecordMillis = new LongMaximum(Long.MIN_VALUE);
        getRuntimeContext().addAccumulator(FIRST_RECORD_MILLIS, firstRecordMillis);
        getRuntimeContext().addAccumulator(LAST_RECORD_MILLIS, lastRecordMillis);
    }

    private LongCounter counter(String name) {
        LongCounter counter = new LongCounter();
        getRuntimeContext().addAccumulator(name, counter);
        return counter;
    }

    @Override
    public void processElement(Reading reading, Context context, Collector<OutputRecord> out) throws Exception {
        long now = System.currentTimeMillis();
        if (firstRecordMillis.getLocalValuePrimitive() == Long.MAX_VALUE) {
            firstRecordMillis.add(now);
        }
        lastRecordMillis.add(now);
        input.add(1L);

        String recordKey = reading.key.isEmpty() ? reading.origin : reading.key;
        if (reading.isUnparseable()) {
            emitDirty(reading, "unparseable", reading.unparseableMessage, recordKey, out);
            return;
        }
        // Dedup runs before validation, as in radstream's default operator
        // order, so a repeated invalid reading counts as a duplicate.
        if (reading.takesPartInDedup()) {
            if (seen.value() != null) {
                duplicates.add(1L);
                return;
            }
            seen.update(Boolean.TRUE);
        }

        Validation.Problem problem = Validation.findProblem(reading, now);
        if (problem != null) {
            emitDirty(reading, problem.reason(), problem.message(), recordKey, out);
            return;
        }

        double cpm = reading.value;  // the only known unit, cpm, has factor 1
        boolean isCritical = cpm >= OutputJson.CRITICAL_CPM;
        String json = OutputJson.writeOutput(reading, cpm, isCritical);
        if (isCritical) {
            critical.add(1L);
            out.collect(new OutputRecord(criticalTopic, recordKey, json));
        } else {
            processed.add(1L);
            out.collect(new OutputRecord(processedTopic, recordKey, json));
        }
    }

    private void emitDirty(Reading reading, String reason, String message, String recordKey,
            Collector<OutputRecord> out) {
        dirty.add(1L);
        dirtyByReason.get(reason).add(1L);
        out.collect(new OutputRecord(dirtyTopic, recordKey, OutputJson.writeDirty(reading, reason, message)));
    }
}
