#include "radstream/graph/process_stage.hpp"

#include "radstream/core/logging.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace radstream::graph {
namespace {

constexpr std::size_t poll_records = 2048;
constexpr auto poll_timeout = std::chrono::milliseconds{100};
// Items waiting for the merger before partition threads wait.
constexpr std::size_t merge_queue_capacity = 256;

std::int64_t to_millis(core::event_time time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

core::event_time from_millis(std::int64_t millis) {
    return core::event_time{std::chrono::milliseconds{millis}};
}

// The whole of `text` as a decimal integer, or nothing.
std::optional<std::int64_t> parse_integer(std::string_view text) {
    std::int64_t value = 0;
    const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
    if (parsed.ec != std::errc{} || parsed.ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

} // namespace

// The single thread that keeps readings for temporal ordering and writes
// every record to its output topic. No other thread touches its state.
class process_stage::merger {
public:
    merger(process_stage& stage, std::size_t partition_count)
        : stage_(stage), watermarks_(partition_count), checkpoints_seen_(0), ends_seen_(0) {}

    void run() {
        while (auto item = stage_.merge_queue_.pop()) {
            if (!stage_.failed_.load()) {
                try {
                    handle(*item);
                } catch (const std::exception& error) {
                    stage_.fail(error.what());
                }
            }
            if (item->checkpoint && ++checkpoints_seen_ == watermarks_.size()) {
                checkpoints_seen_ = 0;
                finish_checkpoint(*item->checkpoint);
            }
            if (item->end && ++ends_seen_ == watermarks_.size()) {
                break;
            }
        }
        // With a changelog the last checkpoint released every group, and
        // anything produced now would fall into a transaction that is never
        // committed.
        if (!stage_.failed_.load() && stage_.transactional_ == nullptr) {
            try {
                release(std::nullopt, true);
                stage_.producer_->flush();
            } catch (const std::exception& error) {
                stage_.fail(error.what());
            }
        }
        publish_status();
    }

    partition_counters counters;

    // Restores a held reading from its changelog value (see
    // persist_held()). Returns false when the value is malformed.
    bool restore_held(std::string_view value) {
        // Seven fields: the last one, the JSON, is the rest of the value.
        std::vector<std::string_view> fields;
        std::size_t begin = 0;
        for (int field = 0; field < 6; ++field) {
            const auto end = value.find('\n', begin);
            if (end == std::string_view::npos) {
                return false;
            }
            fields.push_back(value.substr(begin, end - begin));
            begin = end + 1;
        }
        fields.push_back(value.substr(begin));

        const auto millis = parse_integer(fields[1]);
        const auto partition = parse_integer(fields[2]);
        const auto offset = parse_integer(fields[3]);
        if ((fields[0] != "p" && fields[0] != "c") || !millis || !partition || !offset) {
            return false;
        }
        record item;
        item.target = fields[0] == "c" ? destination::critical : destination::processed;
        item.captured = from_millis(*millis);
        item.input_partition = static_cast<int>(*partition);
        item.input_offset = *offset;
        item.key = fields[4];
        item.origin = fields[5];
        item.rendered = fields[6];
        item.persisted = true;
        groups_.add(std::move(item));
        return true;
    }

    void restore_released_before(std::int64_t second) { groups_.restore_released_before(second); }

private:
    void handle(merge_item& item) {
        for (auto& record : item.records) {
            accept(std::move(record));
        }
        if (item.watermark) {
            watermarks_[static_cast<std::size_t>(item.partition)] = item.watermark;
            const auto lowest = std::min_element(watermarks_.begin(), watermarks_.end());
            if (std::all_of(watermarks_.begin(), watermarks_.end(), [](const auto& w) { return w.has_value(); })) {
                release(*lowest, false);
            }
        }
        flush_outputs();
        publish_status();
    }

    void accept(record&& item) {
        const auto& config = stage_.config_.event_time;
        const bool valid = item.target == destination::processed || item.target == destination::critical;
        if (!valid || !config.enabled) {
            write(item);
            return;
        }
        // The dispatcher decides lateness; the second test only guards the
        // order of releases.
        if (item.late || groups_.released(*item.captured)) {
            item.late = true;
            bump(counters.late);
            if (config.late == config::late_policy::dirty) {
                item.reject(core::dirty_reason::late,
                            fmt::format("capture second of {} was already released (watermark passed it); raise "
                                        "event_time.out_of_orderness_ms to accept later readings",
                                        core::format_timestamp(*item.captured)));
                item.target = destination::dirty;
            }
            write(item);
            return;
        }
        groups_.add(std::move(item));
    }

    // Releases the groups the watermark passed (or all of them).
    void release(std::optional<core::event_time> watermark, bool all) {
        released_.clear();
        if (all) {
            groups_.release_all(released_);
        } else {
            groups_.release_until(*watermark, released_);
        }
        for (auto& item : released_) {
            write(item);
        }
        flush_outputs();
    }

    void write(record& item) {
        if (item.polled_at && item.target != destination::none) {
            stage_.consume_to_produce_.record(std::chrono::steady_clock::now() - *item.polled_at);
        }
        topic::message out;
        out.key = item.key.empty() ? item.origin : item.key;
        const bool to_late_topic = item.late && stage_.config_.event_time.late == config::late_policy::topic
                                   && item.target != destination::dirty;
        switch (item.target) {
        case destination::processed:
        case destination::critical:
            take_output_json(item, out.value);
            if (item.persisted) {
                state_.push_back({"g" + item.origin, {}, true, item.input_partition});
            }
            if (to_late_topic) {
                late_.push_back(std::move(out));
                bump(counters.late_topic);
            } else if (item.target == destination::critical) {
                critical_.push_back(std::move(out));
                bump(counters.critical);
            } else {
                processed_.push_back(std::move(out));
                bump(counters.processed);
            }
            break;
        case destination::dirty:
            remember_dirty(item);
            if (item.rendered.empty()) {
                write_dirty_json(item, static_cast<std::size_t>(stage_.config_.validate.raw_max_bytes), out.value);
            } else {
                out.value = std::move(item.rendered);
            }
            dirty_.push_back(std::move(out));
            bump(counters.dirty);
            bump(counters.dirty_by_reason[static_cast<std::size_t>(item.reason)]);
            break;
        case destination::none:
            bump(item.state == disposition::duplicate ? counters.duplicates : counters.filtered);
            break;
        }
    }

    void flush_outputs() {
        const auto& topics = stage_.config_.topics;
        auto& producer = *stage_.producer_;
        if (!processed_.empty()) {
            producer.produce(topics.processed, processed_);
        }
        if (!critical_.empty()) {
            producer.produce(topics.critical, critical_);
        }
        if (!dirty_.empty()) {
            producer.produce(topics.dirty, dirty_);
        }
        if (!late_.empty()) {
            producer.produce(stage_.config_.event_time.late_topic, late_);
        }
        if (!state_.empty()) {
            producer.produce(stage_.state_topic_, state_);
        }
    }

    // Moves the output JSON that the partition thread (or the changelog)
    // rendered without group fields into `out` and adds the group fields,
    // as write_output_json places them last.
    static void take_output_json(record& item, std::string& out) {
        if (item.rendered.empty()) {
            write_output_json(item, out);
            return;
        }
        out = std::move(item.rendered);
        item.rendered.clear();
        if (item.group && !out.empty() && out.back() == '}') {
            out.pop_back();
            out += fmt::format(",\"group_second\":{},\"group_size\":{}}}", item.group->second, item.group->size);
        }
    }

    // Writes every held reading the changelog does not have yet, to the
    // changelog partition of its input partition, and the released
    // boundary to those of all `assigned` input partitions, so a restart
    // can go on from this checkpoint. Value: target, capture ms, input
    // partition, input offset, key, origin and the output JSON without
    // group fields, one per line.
    void persist_held(const std::vector<int>& assigned) {
        groups_.for_each_held([&](record& item) {
            if (item.persisted) {
                return;
            }
            if (item.rendered.empty()) {
                write_output_json(item, item.rendered);
            }
            state_.push_back({"g" + item.origin,
                              fmt::format("{}\n{}\n{}\n{}\n{}\n{}\n{}",
                                          item.target == destination::critical ? "c" : "p",
                                          to_millis(*item.captured),
                                          item.input_partition, item.input_offset, item.key, item.origin,
                                          item.rendered),
                              false, item.input_partition});
            item.persisted = true;
        });
        if (const auto released = groups_.released_before()) {
            for (const int partition : assigned) {
                state_.push_back({"r", std::to_string(*released), false, partition});
            }
        }
    }

    // Everything sent before the checkpoint is written; deliver it and
    // tell the dispatcher which offsets are still held. A reset request
    // drops the held readings and the watermarks instead.
    void finish_checkpoint(checkpoint_request& request) {
        const bool changelog = stage_.transactional_ != nullptr;
        if (request.reset) {
            groups_ = temporal_groups{};
            std::fill(watermarks_.begin(), watermarks_.end(), std::nullopt);
            for (auto* pending : {&processed_, &critical_, &dirty_, &late_, &state_}) {
                pending->clear();
            }
            publish_status();
            request.written.count_down();
            return;
        }
        if (!stage_.failed_.load()) {
            try {
                if (request.release_all) {
                    release(std::nullopt, true);
                }
                if (changelog) {
                    persist_held(request.assigned);
                }
                flush_outputs();
                stage_.producer_->flush();
            } catch (const std::exception& error) {
                stage_.fail(error.what());
            }
        }
        // Without a changelog a held reading exists only here, so its
        // offset must not be committed.
        if (!changelog) {
            for (const auto& [partition, offset] : groups_.oldest_held_offsets()) {
                request.held[{stage_.config_.topics.input, partition}] = offset;
            }
        }
        request.written.count_down();
    }

    void remember_dirty(const record& item) {
        constexpr std::size_t kept = 5;
        std::lock_guard lock(stage_.status_mutex_);
        auto& examples = stage_.dirty_examples_;
        examples.push_front({item.reason, item.message, item.source.empty() ? item.origin : item.source,
                             item.captured ? core::format_timestamp(*item.captured) : item.captured_time});
        if (examples.size() > kept) {
            examples.pop_back();
        }
    }

    void publish_status() {
        std::lock_guard lock(stage_.status_mutex_);
        stage_.status_.open_groups = groups_.open_groups();
        stage_.status_.held_readings = groups_.held_records();
    }

    process_stage& stage_;
    std::vector<std::optional<core::event_time>> watermarks_;  // latest per partition thread
    std::size_t checkpoints_seen_;
    std::size_t ends_seen_;
    temporal_groups groups_;
    std::vector<record> released_;
    std::vector<topic::message> processed_;
    std::vector<topic::message> critical_;
    std::vector<topic::message> dirty_;
    std::vector<topic::message> late_;
    std::vector<topic::message> state_;  // changelog changes (exactly_once)
};

process_stage::process_stage(const config::app_config& config, topic::backend& backend,
                             std::function<core::event_time()> now, event_time_filter counts_for_event_time)
    : config_(config),
      backend_(backend),
      now_(std::move(now)),
      counts_for_event_time_(std::move(counts_for_event_time)),
      merge_queue_(merge_queue_capacity),
      watermarks_(config.event_time.out_of_orderness, config.event_time.idle_timeout) {
    // The consumer must exist before ingest produces, so that it reads every record.
    consumer_ = backend_.make_consumer(config.kafka.group_id, {config.topics.input});
    if (config.process.processing == config::guarantee::exactly_once) {
        auto transactional = backend_.make_transactional_producer(config::process_instance_id(config));
        transactional_ = transactional.get();
        producer_ = std::move(transactional);
    }
    if (!producer_) {
        producer_ = backend_.make_producer();
    }
    if (transactional_ != nullptr) {
        state_topic_ = config.kafka.group_id + "-state";
        backend_.prepare_state_topic(state_topic_, config.topics.input);
    }

    const int count = config.process.partitions;
    for (int index = 0; index < count; ++index) {
        auto part = std::make_unique<partition>();
        part->queue = std::make_unique<core::bounded_queue<work>>(
            static_cast<std::size_t>(config.process.queue_capacity));
        auto context = std::make_unique<operator_context>(operator_context{config, index, count, part->counters, now_});
        if (transactional_ != nullptr) {
            context->state_changes = &part->state_changes;
        }
        part->operators = make_operators(*context);
        contexts_.push_back(std::move(context));
        partitions_.push_back(std::move(part));
    }
    merger_ = std::make_unique<merger>(*this, partitions_.size());
}

std::vector<std::unique_ptr<record_operator>> process_stage::make_operators(const operator_context& context) const {
    std::vector<std::unique_ptr<record_operator>> operators;
    for (const auto& name : config_.process.operators) {
        operators.push_back(operator_registry::instance().create(name, context));
    }
    return operators;
}

process_stage::~process_stage() {
    stop();
    join();
}

void process_stage::start() {
    merger_thread_ = std::thread([this] { merger_->run(); });
    for (std::size_t index = 0; index < partitions_.size(); ++index) {
        partitions_[index]->thread =
            std::thread([this, index] { run_partition(*partitions_[index], static_cast<int>(index)); });
    }
    dispatcher_ = std::thread([this] { dispatch(); });
}

void process_stage::stop() {
    stopping_.store(true);
}

void process_stage::join() {
    if (dispatcher_.joinable()) {
        dispatcher_.join();
    }
    bool joined_any = false;
    for (auto& part : partitions_) {
        if (part->thread.joinable()) {
            part->thread.join();
            joined_any = true;
        }
    }
    if (merger_thread_.joinable()) {
        merger_thread_.join();
    }
    if (joined_any) {
        backend_.close_topic(config_.topics.processed);
        backend_.close_topic(config_.topics.critical);
        backend_.close_topic(config_.topics.dirty);
        if (config_.event_time.late == config::late_policy::topic) {
            backend_.close_topic(config_.event_time.late_topic);
        }
    }
}

counters_snapshot process_stage::counters() const {
    counters_snapshot total;
    for (const auto& part : partitions_) {
        total.add(part->counters);
    }
    total.add(merger_->counters);
    return total;
}

event_time_status process_stage::event_time() const {
    std::lock_guard lock(status_mutex_);
    return status_;
}

std::vector<dirty_example> process_stage::dirty_examples() const {
    std::lock_guard lock(status_mutex_);
    return {dirty_examples_.begin(), dirty_examples_.end()};
}

std::optional<process_stage::transaction_counts> process_stage::transactions() const {
    if (transactional_ == nullptr) {
        return std::nullopt;
    }
    return transaction_counts{transactional_->commits(), transactional_->aborts()};
}

std::string process_stage::failure() const {
    std::lock_guard lock(failure_mutex_);
    return failure_;
}

void process_stage::fail(const std::string& what) {
    std::lock_guard lock(failure_mutex_);
    if (failure_.empty()) {
        failure_ = what;
        core::stage_logger("process")->error("{}; stopping the process stage", what);
    }
    failed_.store(true);
    stopping_.store(true);
}

void process_stage::dispatch() {
    try {
        dispatch_until_end();
    } catch (const std::exception& error) {
        fail(error.what());
    }
    for (auto& part : partitions_) {
        part->queue->close();
    }
    drained_.store(true);
}

void process_stage::dispatch_until_end() {
    track_assignment();
    std::vector<topic::consumed_message> polled;
    auto last_checkpoint = std::chrono::steady_clock::now();
    bool ended = false;
    while (!stopping_.load()) {
        const auto status = consumer_->poll(polled, poll_records, poll_timeout);
        ended = status == topic::poll_status::end;
        buffer_polled(polled);
        track_assignment();
        dispatch_in_order(ended);
        advance_event_time();
        if (ended) {
            break;
        }
        // A checkpoint with nothing dispatched since the last one would
        // commit nothing new, and a transaction costs a round trip or two.
        if (std::chrono::steady_clock::now() - last_checkpoint >= config_.process.commit_interval
            && dispatched_ > dispatched_at_checkpoint_) {
            checkpoint();
            dispatched_at_checkpoint_ = dispatched_;
            last_checkpoint = std::chrono::steady_clock::now();
        }
    }
    // Stopping: what is still waiting for a quiet partition goes out now,
    // in capture-time order as far as it is known.
    dispatch_in_order(true);
    advance_event_time();
    // The inputs are drained, or the stage is stopping: release every open
    // group, so the last commit holds nothing back. The changelog keeps the
    // released boundary, so after a restart readings of those seconds are late.
    checkpoint(true);
}

void process_stage::buffer_polled(std::vector<topic::consumed_message>& polled) {
    const auto polled_at = std::chrono::steady_clock::now();
    for (auto& message : polled) {
        // After a rebalance the consumer starts again at the committed
        // offset, so records already taken may come a second time.
        const int partition = message.partition.value();
        const auto [next, added] = next_offsets_.try_emplace(partition, message.offset.value());
        if (message.offset.value() < next->second) {
            continue;
        }
        next->second = message.offset.value() + 1;

        record item;
        item.payload = std::move(message.value);
        item.origin = fmt::format("{}/{}@{}", *message.topic, message.partition.value(), message.offset.value());
        item.input_partition = message.partition.value();
        item.input_offset = message.offset.value();
        decode_message(item);
        item.polled_at = polled_at;
        item.counts_for_event_time = item.captured && counts_for_event_time_(item);
        inputs_[item.input_partition].push_back(std::move(item));
        ++buffered_;
    }
}

// Follows the consumer's assignment. An empty assignment (while a rebalance
// runs) changes nothing.
//
// With exactly_once, the state of newly assigned partitions is restored
// from their changelog partitions before any of their records is
// dispatched. When the assignment changes after records were dispatched,
// the open transaction is aborted, every partition goes back to its
// committed offset, and the state of the whole new assignment is restored.
// So a record is never in a committed transaction of this instance and
// of the one that took its partition over.
//
// Without a changelog, a partition taken away loses its buffered records,
// because its new owner reads them again from the committed offsets, which
// never pass a buffered record.
void process_stage::track_assignment() {
    std::vector<int> assigned;
    for (const auto partition : consumer_->assigned_partitions(config_.topics.input)) {
        assigned.push_back(partition.value());
    }
    std::sort(assigned.begin(), assigned.end());
    if (assigned.empty() || assigned == reading_) {
        return;
    }
    auto log = core::stage_logger("process");
    log->info("reading input partitions {} of {}", fmt::join(assigned, ", "), config_.topics.input);
    if (transactional_ != nullptr) {
        if (!reading_.empty() || dispatched_ > dispatched_at_reset_) {
            log->info("the input partitions changed from {} to {}; aborting the open transaction and restoring "
                      "the state of the new partitions",
                      fmt::join(reading_, ", "), fmt::join(assigned, ", "));
            reset_pipeline();
        }
        // Reading the changelog waits for a transaction that the previous
        // owner of a partition left open. That transaction also contains the
        // partition's offsets, so the restored state matches them.
        restore_state(assigned);
    }
    const auto now = std::chrono::steady_clock::now();
    for (const int partition : assigned) {
        watermarks_.add_partition(partition, now);
    }
    for (const int partition : reading_) {
        if (std::binary_search(assigned.begin(), assigned.end(), partition)) {
            continue;
        }
        const auto buffer = inputs_.find(partition);
        const std::size_t dropped = buffer == inputs_.end() ? 0 : buffer->second.size();
        log->info("input partition {} was revoked; dropping its {} records not yet dispatched", partition, dropped);
        if (buffer != inputs_.end()) {
            buffered_ -= dropped;
            inputs_.erase(buffer);
        }
        next_offsets_.erase(partition);
        watermarks_.remove_partition(partition);
    }
    reading_ = std::move(assigned);
}

// Brings every thread back to the last committed transaction: the threads
// drop their state behind a barrier, the open transaction is aborted, the
// operators start afresh, and the consumer goes back to the committed
// offsets. The caller restores the state from the changelog next.
// The record counters go back to their values at the last commit too, so
// that they count each record of a committed transaction once.
void process_stage::reset_pipeline() {
    auto request = std::make_shared<checkpoint_request>();
    request->reset = true;
    for (auto& part : partitions_) {
        part->queue->push(work{{}, std::nullopt, request});
    }
    request->written.wait();

    // Every partition thread and the merger now wait for work, so their
    // state may be replaced from this thread: the next push hands it over.
    transactional_->abort();
    restore_committed_counts();
    // LIMITATION: the state is rebuilt from the changelog of the new
    // assignment as a whole, so event-time groups and late flags then depend
    // on which instance holds which input partition.
    for (std::size_t index = 0; index < partitions_.size(); ++index) {
        partitions_[index]->state_changes.clear();
        partitions_[index]->operators = make_operators(*contexts_[index]);
    }
    inputs_.clear();
    buffered_ = 0;
    next_offsets_.clear();
    for (const int partition : reading_) {
        watermarks_.remove_partition(partition);
    }
    reading_.clear();
    newest_capture_.reset();
    sent_watermark_.reset();
    consumer_->rewind_to_committed();
    dispatched_at_reset_ = dispatched_;
    dispatched_at_checkpoint_ = dispatched_;
}

// Saves the record counts of every thread. Runs right after a commit,
// while every thread waits for work.
void process_stage::remember_committed_counts() {
    committed_counts_.assign(partitions_.size() + 1, counters_snapshot{});
    for (std::size_t index = 0; index < partitions_.size(); ++index) {
        committed_counts_[index].add(partitions_[index]->counters);
    }
    committed_counts_.back().add(merger_->counters);
}

// Sets the record counts of every thread back to the saved ones. Runs
// behind the barrier of a reset, while every thread waits for work.
void process_stage::restore_committed_counts() {
    const counters_snapshot none;
    const auto saved = [&](std::size_t index) -> const counters_snapshot& {
        return committed_counts_.empty() ? none : committed_counts_[index];
    };
    for (std::size_t index = 0; index < partitions_.size(); ++index) {
        restore_record_counts(partitions_[index]->counters, saved(index));
    }
    restore_record_counts(merger_->counters, saved(partitions_.size()));
}

// Hands records to the partition threads in an order that depends only on
// what each input partition contains, not on how the consumer interleaves
// them. The next record is always the buffered head with the oldest
// capture time. Heads that do not count for event time go first, and ties
// go to the lower partition. While an assigned partition has nothing
// buffered and is neither idle nor ended, its next record could be older
// than every head, so dispatching waits for it. It stops waiting when
// `flush` is set or more than event_time.alignment_buffer_records wait.
void process_stage::dispatch_in_order(bool flush) {
    const auto count = partitions_.size();
    const auto& input = config_.topics.input;
    const auto now = std::chrono::steady_clock::now();
    const auto limit = static_cast<std::size_t>(config_.event_time.alignment_buffer_records);
    std::vector<batch> pending(count);
    // Whether an empty partition is worth waiting for; asked once per call,
    // because ended() may ask the broker.
    std::map<int, bool> may_receive;
    const auto waits_for = [&](int partition) {
        const auto buffer = inputs_.find(partition);
        if (buffer != inputs_.end() && !buffer->second.empty()) {
            return false;
        }
        const auto [known, added] = may_receive.try_emplace(partition, false);
        if (added) {
            known->second = !watermarks_.idle(partition) && !consumer_->ended(input, core::partition_id{partition});
        }
        return known->second;
    };
    for (;;) {
        const bool waiting = std::any_of(reading_.begin(), reading_.end(), waits_for);
        if (waiting && !flush) {
            if (buffered_ <= limit) {
                break;
            }
            if (!alignment_overflow_logged_) {
                alignment_overflow_logged_ = true;
                core::stage_logger("process")->warn(
                    "{} records are waiting for a quiet input partition; dispatching without it, so which readings "
                    "are late may depend on fetch order; raise event_time.alignment_buffer_records to wait longer",
                    buffered_);
            }
        }
        std::deque<record>* next = nullptr;
        for (auto& [partition, buffer] : inputs_) {
            if (buffer.empty()) {
                continue;
            }
            if (next == nullptr || orders_before(buffer.front(), next->front())) {
                next = &buffer;
            }
        }
        if (next == nullptr) {
            break;
        }
        record item = std::move(next->front());
        next->pop_front();
        --buffered_;
        ++dispatched_;

        // Lateness is judged against the watermark before this record, so a
        // reading can never make itself late.
        item.late = item.counts_for_event_time && is_late(*item.captured, watermarks_.watermark());
        watermarks_.on_record(item.input_partition, item.counts_for_event_time ? item.captured : std::nullopt, now);
        if (item.counts_for_event_time && (!newest_capture_ || *item.captured > *newest_capture_)) {
            newest_capture_ = item.captured;
        }
        item.event_clock = newest_capture_;

        // A record without a usable key has no dedup state, so any
        // partition will do; its payload hash spreads such records.
        const std::uint64_t hash = item.key.empty() ? std::hash<std::string>{}(item.payload) : item.key_hash;
        auto& target = pending[hash % count];
        if (target.capacity() == 0) {
            // Growing a vector moves every record in it, and records are large.
            target.reserve(std::min(poll_records, buffered_ + 1));
        }
        target.push_back(std::move(item));
        if (target.size() >= poll_records) {
            partitions_[hash % count]->queue->push(work{std::move(target), std::nullopt, nullptr});
            target = batch{};
        }
    }
    for (std::size_t index = 0; index < count; ++index) {
        if (!pending[index].empty()) {
            partitions_[index]->queue->push(work{std::move(pending[index]), std::nullopt, nullptr});
        }
    }
}

bool process_stage::orders_before(const record& left, const record& right) {
    if (left.counts_for_event_time != right.counts_for_event_time) {
        return !left.counts_for_event_time;
    }
    if (left.counts_for_event_time && *left.captured != *right.captured) {
        return *left.captured < *right.captured;
    }
    return left.input_partition < right.input_partition;
}

// Marks quiet, caught-up input partitions idle and sends a watermark that
// moved to every partition, after the records it follows.
void process_stage::advance_event_time() {
    const auto& input = config_.topics.input;
    const auto now = std::chrono::steady_clock::now();
    watermarks_.update_idle(now, [&](int partition) {
        const auto buffer = inputs_.find(partition);
        return (buffer == inputs_.end() || buffer->second.empty())
               && consumer_->caught_up(input, core::partition_id{partition});
    });
    const auto watermark = watermarks_.watermark();
    {
        std::lock_guard lock(status_mutex_);
        status_.watermark = watermark;
        status_.partitions = watermarks_.partitions();
        status_.aligning_records = buffered_;
        status_.assigned = !reading_.empty();
        status_.lag.clear();
        for (const int partition : reading_) {
            if (const auto lag = consumer_->lag(input, core::partition_id{partition})) {
                status_.lag[partition] = *lag;
            }
        }
    }
    if (watermark && watermark != sent_watermark_) {
        sent_watermark_ = watermark;
        for (auto& part : partitions_) {
            part->queue->push(work{{}, watermark, nullptr});
        }
    }
}

void process_stage::checkpoint(bool last) {
    auto request = std::make_shared<checkpoint_request>();
    request->release_all = last;
    request->assigned = reading_;
    for (auto& part : partitions_) {
        part->queue->push(work{{}, std::nullopt, request});
    }
    request->written.wait();
    // Records still waiting in the dispatcher were polled but not written.
    for (const auto& [partition, buffer] : inputs_) {
        if (!buffer.empty()) {
            const auto offset = buffer.front().input_offset;
            const auto [held, added] = request->held.try_emplace({config_.topics.input, partition}, offset);
            held->second = std::min(held->second, offset);
        }
    }
    // A failed stage wrote only part of its records, so nothing past the
    // last checkpoint may be committed.
    if (!failed_.load()) {
        if (transactional_ != nullptr) {
            write_event_time_state();
            crash_if_injected("before_commit");
            const auto started = std::chrono::steady_clock::now();
            try {
                transactional_->commit(*consumer_, request->held);
            } catch (const topic::transaction_aborted& error) {
                // A rebalance took partitions away (the group coordinator
                // rejects offsets from an old generation) or the broker
                // aborted the transaction. Its records are gone, so the
                // state goes back to the changelog and the records are read again.
                if (last) {
                    throw;
                }
                core::stage_logger("process")->warn("{}; restoring the state of the last committed transaction",
                                                    error.what());
                reset_pipeline();
                return;
            }
            remember_committed_counts();
            core::stage_logger("process")->debug(
                "transaction committed in {} ms",
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                    .count());
            crash_if_injected("after_commit");
        } else {
            consumer_->commit(request->held);
        }
        std::lock_guard lock(status_mutex_);
        ++status_.commits;
    }
}

// A test hook: RADSTREAM_FAULT_INJECTION=before_commit:N (or after_commit:N)
// ends the process abruptly, as SIGKILL would, right before (or after) the
// N-th transaction commit, so tests can crash it on either side of a commit.
void process_stage::crash_if_injected(std::string_view point) {
    static const std::string setting = [] {
        const char* value = std::getenv("RADSTREAM_FAULT_INJECTION");
        return std::string{value != nullptr ? value : ""};
    }();
    if (setting.empty() || !setting.starts_with(point) || setting.size() <= point.size() + 1
        || setting[point.size()] != ':') {
        return;
    }
    const auto target = parse_integer(std::string_view{setting}.substr(point.size() + 1));
    auto& count = point == "before_commit" ? commits_before_ : commits_after_;
    if (target && ++count == *target) {
        core::stage_logger("process")->warn("fault injection: exiting at {} {}", point, *target);
        spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { logger->flush(); });
        std::_Exit(137);
    }
}

// Changelog keys: "w<partition>" is a partition's watermark, written to that
// input partition's changelog partition. "W" (the combined watermark) and
// "c" (the dedup clock) belong to the whole assignment, so they go to the
// changelog partition of every assigned input partition. Values are Unix ms.
void process_stage::write_event_time_state() {
    std::vector<topic::message> changes;
    for (const auto& [partition, state] : watermarks_.partitions()) {
        if (state.watermark) {
            changes.push_back(
                {fmt::format("w{}", partition), std::to_string(to_millis(*state.watermark)), false, partition});
        }
    }
    for (const int partition : reading_) {
        if (const auto combined = watermarks_.watermark()) {
            changes.push_back({"W", std::to_string(to_millis(*combined)), false, partition});
        }
        if (newest_capture_) {
            changes.push_back({"c", std::to_string(to_millis(*newest_capture_)), false, partition});
        }
    }
    if (!changes.empty()) {
        producer_->produce(state_topic_, changes);
    }
}

// Rebuilds the dedup keys, the held readings and event time of
// `input_partitions` from their changelog partitions before any of their
// records is dispatched, so processing goes on where the last committed
// transaction left them. "W", "c" and "r" are kept per changelog
// partition; the newest of them wins, since none may move backwards.
void process_stage::restore_state(const std::vector<int>& input_partitions) {
    auto log = core::stage_logger("process");
    const auto started = std::chrono::steady_clock::now();
    const auto tables = backend_.read_table(state_topic_, input_partitions);
    std::size_t entries = 0;
    std::size_t dedup_keys = 0;
    std::size_t held = 0;
    std::size_t unknown = 0;
    std::optional<std::int64_t> released_before;
    std::optional<std::int64_t> combined_watermark;
    const auto now = std::chrono::steady_clock::now();
    const auto newest = [](std::optional<std::int64_t>& kept, std::int64_t value) {
        kept = kept ? std::max(*kept, value) : value;
    };
    for (const auto& [changelog_partition, table] : tables) {
        entries += table.size();
        for (const auto& [key, value] : table) {
            bool used = false;
            if (key.starts_with('d') && key.size() == 17) {
                std::uint64_t hash = 0;
                std::from_chars(key.data() + 1, key.data() + key.size(), hash, 16);
                for (auto& op : partitions_[hash % partitions_.size()]->operators) {
                    if (op->restore(key, value, changelog_partition)) {
                        used = true;
                        ++dedup_keys;
                        break;
                    }
                }
            } else if (key.starts_with('g')) {
                used = merger_->restore_held(value);
                held += used ? 1 : 0;
            } else if (key == "r" || key == "W" || key == "c") {
                if (const auto number = parse_integer(value)) {
                    if (key == "r") {
                        newest(released_before, *number);
                    } else if (key == "W") {
                        newest(combined_watermark, *number);
                    } else if (!newest_capture_ || from_millis(*number) > *newest_capture_) {
                        newest_capture_ = from_millis(*number);
                    }
                    used = true;
                }
            } else if (key.starts_with('w')) {
                const auto partition = parse_integer(std::string_view{key}.substr(1));
                const auto millis = parse_integer(value);
                if (partition && millis) {
                    watermarks_.restore(static_cast<int>(*partition), from_millis(*millis), now);
                    used = true;
                }
            }
            unknown += used ? 0 : 1;
        }
    }
    if (released_before) {
        merger_->restore_released_before(*released_before);
    }
    if (combined_watermark) {
        watermarks_.restore_combined(from_millis(*combined_watermark));
    }
    dispatched_at_reset_ = dispatched_;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    log->info("restored state from {}: {} entries ({} dedup keys, {} held readings; input partitions {}) in "
              "{:.3f} s ({:.0f} entries/s)",
              state_topic_, entries, dedup_keys, held, fmt::join(input_partitions, ", "), seconds,
              seconds > 0 ? static_cast<double>(entries) / seconds : 0.0);
    if (unknown > 0) {
        log->warn("{} entries of {} were not understood and were skipped; is another program writing to it?",
                  unknown, state_topic_);
    }
    std::lock_guard lock(status_mutex_);
    status_.restored_entries = entries;
    status_.restore_seconds = seconds;
    status_.restores += 1;
    status_.watermark = watermarks_.watermark();
}

// Renders the record's output JSON here, on its partition thread, so the
// single merger thread only adds group fields and produces. A valid
// reading's JSON is rendered without group fields, which the merger adds
// when the reading's group is released. The input text is not needed after
// this and is freed here too.
void process_stage::render_output(record& item) const {
    switch (item.target) {
    case destination::processed:
    case destination::critical:
        write_output_json(item, item.rendered);
        break;
    case destination::dirty:
        write_dirty_json(item, static_cast<std::size_t>(config_.validate.raw_max_bytes), item.rendered);
        break;
    case destination::none:
        return;
    }
    std::string{}.swap(item.payload);
}

void process_stage::run_partition(partition& part, int index) {
    while (auto next = part.queue->pop()) {
        if (!failed_.load()) {
            try {
                for (auto& item : next->records) {
                    bump(part.counters.input);
                    const std::size_t changes_before = part.state_changes.size();
                    for (auto& op : part.operators) {
                        if (item.state == disposition::pass || op->sees_rejected()) {
                            op->process(item);
                        }
                    }
                    for (std::size_t i = changes_before; i < part.state_changes.size(); ++i) {
                        if (part.state_changes[i].partition < 0) {
                            part.state_changes[i].partition = item.input_partition;
                        }
                    }
                    render_output(item);
                }
                // The changes join the open transaction before the
                // checkpoint that follows these records can commit it.
                if (!part.state_changes.empty()) {
                    producer_->produce(state_topic_, part.state_changes);
                }
            } catch (const std::exception& error) {
                fail(error.what());
            }
        }
        // Checkpoints and watermarks are forwarded even after a failure, so
        // the dispatcher and the merger never wait forever.
        merge_queue_.push(merge_item{index, std::move(next->records), next->watermark, next->checkpoint, false});
    }
    merge_queue_.push(merge_item{index, {}, std::nullopt, nullptr, true});
}

} // namespace radstream::graph
