#include "radstream/graph/process_stage.hpp"

#include "radstream/core/logging.hpp"

#include <fmt/format.h>

namespace radstream::graph {
namespace {

constexpr std::size_t poll_records = 2048;
constexpr auto poll_timeout = std::chrono::milliseconds{100};

} // namespace

process_stage::process_stage(const config::app_config& config, topic::backend& backend,
                             std::function<core::event_time()> now)
    : config_(config), backend_(backend), now_(std::move(now)) {
    const int count = config.process.partitions;
    for (int index = 0; index < count; ++index) {
        auto part = std::make_unique<partition>();
        part->queue = std::make_unique<core::bounded_queue<work>>(
            static_cast<std::size_t>(config.process.queue_capacity));
        auto context = std::make_unique<operator_context>(operator_context{config, index, count, part->counters, now_});
        for (const auto& name : config.process.operators) {
            part->operators.push_back(operator_registry::instance().create(name, *context));
        }
        contexts_.push_back(std::move(context));
        partitions_.push_back(std::move(part));
    }
    // The consumer must exist before ingest produces, so that it sees every record.
    consumer_ = backend_.make_consumer(config.kafka.group_id, {config.topics.input});
    producer_ = backend_.make_producer();
}

process_stage::~process_stage() {
    stop();
    join();
}

void process_stage::start() {
    for (auto& part : partitions_) {
        part->thread = std::thread([this, raw = part.get()] { run_partition(*raw); });
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
    if (joined_any) {
        producer_->flush();
        backend_.close_topic(config_.topics.processed);
        backend_.close_topic(config_.topics.critical);
        backend_.close_topic(config_.topics.dirty);
    }
}

counters_snapshot process_stage::counters() const {
    counters_snapshot total;
    for (const auto& part : partitions_) {
        total.add(part->counters);
    }
    return total;
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
}

void process_stage::dispatch_until_end() {
    const auto count = partitions_.size();
    std::vector<topic::consumed_message> polled;
    std::vector<batch> pending(count);
    auto last_checkpoint = std::chrono::steady_clock::now();
    while (!stopping_.load()) {
        const auto status = consumer_->poll(polled, poll_records, poll_timeout);
        if (status == topic::poll_status::end) {
            break;
        }
        for (auto& message : polled) {
            record item;
            item.payload = std::move(message.value);
            item.origin = fmt::format("{}/{}@{}", *message.topic, message.partition.value(), message.offset.value());
            decode_message(item);
            // A record without a usable key has no dedup state, so any
            // partition will do; its payload hash spreads such records.
            const std::uint64_t hash = item.key.empty() ? std::hash<std::string>{}(item.payload) : item.key_hash;
            pending[hash % count].push_back(std::move(item));
        }
        for (std::size_t index = 0; index < count; ++index) {
            if (!pending[index].empty()) {
                partitions_[index]->queue->push(work{std::move(pending[index]), nullptr});
                pending[index] = batch{};
            }
        }
        if (std::chrono::steady_clock::now() - last_checkpoint >= config_.process.commit_interval) {
            checkpoint();
            last_checkpoint = std::chrono::steady_clock::now();
        }
    }
    checkpoint();
}

void process_stage::checkpoint() {
    auto done = std::make_shared<std::latch>(static_cast<std::ptrdiff_t>(partitions_.size()));
    for (auto& part : partitions_) {
        part->queue->push(work{{}, done});
    }
    done->wait();
    producer_->flush();
    // A partition that failed wrote only part of its records, so nothing
    // past the last checkpoint may be committed.
    if (!failed_.load()) {
        consumer_->commit();
    }
}

void process_stage::run_partition(partition& part) {
    std::vector<topic::message> processed;
    std::vector<topic::message> critical;
    std::vector<topic::message> dirty;
    while (auto next = part.queue->pop()) {
        if (failed_.load()) {
            // Keep releasing checkpoints so the dispatcher never waits forever.
            if (next->checkpoint) {
                next->checkpoint->count_down();
            }
            continue;
        }
        try {
            process_batch(part, next->records, processed, critical, dirty);
        } catch (const std::exception& error) {
            fail(error.what());
        }
        if (next->checkpoint) {
            next->checkpoint->count_down();
        }
    }
}

void process_stage::process_batch(partition& part, batch& records, std::vector<topic::message>& processed,
                                  std::vector<topic::message>& critical, std::vector<topic::message>& dirty) {
    for (auto& item : records) {
        bump(part.counters.input);
        for (auto& op : part.operators) {
            if (item.state == disposition::pass || op->sees_rejected()) {
                op->process(item);
            }
        }
    }
    write_outputs(part, records, processed, critical, dirty);
}

void process_stage::write_outputs(partition& part, batch& records, std::vector<topic::message>& processed,
                                  std::vector<topic::message>& critical, std::vector<topic::message>& dirty) {
    auto& counters = part.counters;
    const auto raw_max = static_cast<std::size_t>(config_.validate.raw_max_bytes);
    for (auto& item : records) {
        topic::message out;
        out.key = item.key.empty() ? item.origin : item.key;
        switch (item.target) {
        case destination::processed:
            write_output_json(item, out.value);
            processed.push_back(std::move(out));
            bump(counters.processed);
            break;
        case destination::critical:
            write_output_json(item, out.value);
            critical.push_back(std::move(out));
            bump(counters.critical);
            break;
        case destination::dirty:
            write_dirty_json(item, raw_max, out.value);
            dirty.push_back(std::move(out));
            bump(counters.dirty);
            bump(counters.dirty_by_reason[static_cast<std::size_t>(item.reason)]);
            break;
        case destination::none:
            bump(item.state == disposition::duplicate ? counters.duplicates : counters.filtered);
            break;
        }
    }
    if (!processed.empty()) {
        producer_->produce(config_.topics.processed, processed);
    }
    if (!critical.empty()) {
        producer_->produce(config_.topics.critical, critical);
    }
    if (!dirty.empty()) {
        producer_->produce(config_.topics.dirty, dirty);
    }
}

} // namespace radstream::graph
