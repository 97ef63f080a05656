#include "radstream/kafka/kafka_backend.hpp"

#include "kafka_client.hpp"
#include "radstream/core/logging.hpp"
#include "topic_admin.hpp"

#include <fmt/format.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <utility>

namespace radstream::kafka {
namespace {

constexpr auto flush_wait = std::chrono::seconds{1};
constexpr auto flush_log_interval = std::chrono::seconds{10};
constexpr auto metadata_timeout_ms = 5000;

// Counts failed deliveries and keeps the first error for the message.
class delivery_tracker final : public RdKafka::DeliveryReportCb {
public:
    void dr_cb(RdKafka::Message& message) override {
        // Purged records belong to an aborted transaction, discarded on purpose.
        if (message.err() == RdKafka::ERR_NO_ERROR || message.err() == RdKafka::ERR__PURGE_QUEUE
            || message.err() == RdKafka::ERR__PURGE_INFLIGHT) {
            return;
        }
        if (failures_.fetch_add(1) == 0) {
            std::lock_guard lock(mutex_);
            first_error_ = fmt::format("{}/{}: {}", message.topic_name(), message.partition(), message.errstr());
        }
    }

    // Returns and resets the failures since the last call.
    std::pair<std::uint64_t, std::string> take_failures() {
        std::lock_guard lock(mutex_);
        std::pair<std::uint64_t, std::string> result{failures_.exchange(0), first_error_};
        first_error_.clear();
        return result;
    }

private:
    std::atomic<std::uint64_t> failures_{0};
    std::mutex mutex_;
    std::string first_error_;
};

// A record that librdkafka did not accept, with its error code.
struct produce_error : std::runtime_error {
    produce_error(RdKafka::ErrorCode code, const std::string& what) : std::runtime_error(what), code(code) {}
    RdKafka::ErrorCode code;
};

// Appends the batch to `topic`, waiting while librdkafka's queue is full,
// so a slow or unreachable cluster slows the caller instead of losing records.
void send_batch(RdKafka::Producer& producer, std::string_view topic, std::vector<topic::message>& batch) {
    const std::string name{topic};
    for (auto& record : batch) {
        for (;;) {
            void* value = record.tombstone ? nullptr : record.value.data();
            const std::size_t size = record.tombstone ? 0 : record.value.size();
            const std::int32_t partition = record.partition >= 0 ? record.partition : RdKafka::Topic::PARTITION_UA;
            const auto error = producer.produce(name, partition, RdKafka::Producer::RK_MSG_COPY,
                                                value, size, record.key.data(), record.key.size(), 0, nullptr);
            if (error == RdKafka::ERR_NO_ERROR) {
                break;
            }
            if (error != RdKafka::ERR__QUEUE_FULL) {
                throw produce_error(error, fmt::format("kafka: cannot produce to {}: {}; check the topic and "
                                                       "message.max.bytes",
                                                       name, RdKafka::err2str(error)));
            }
            producer.poll(50);
        }
    }
    producer.poll(0);
    batch.clear();
}

// Waits until every record produced so far is delivered, logging every
// 10 s while it waits. Throws when a record failed for good.
void wait_for_delivery(RdKafka::Producer& producer, delivery_tracker& tracker, const std::string& brokers) {
    auto last_log = std::chrono::steady_clock::now();
    while (producer.flush(static_cast<int>(std::chrono::milliseconds{flush_wait}.count())) == RdKafka::ERR__TIMED_OUT) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_log >= flush_log_interval) {
            last_log = now;
            core::stage_logger("kafka")->warn("waiting for {} records to be delivered to {}", producer.outq_len(),
                                              brokers);
        }
    }
    const auto [failures, first_error] = tracker.take_failures();
    if (failures > 0) {
        throw std::runtime_error(fmt::format("kafka: {} records could not be delivered, first {}; their input "
                                             "offsets are not committed, so a restart sends them again",
                                             failures, first_error));
    }
}

// A producer with `properties` that reports failed deliveries to `tracker`.
std::unique_ptr<RdKafka::Producer> create_producer(const std::map<std::string, std::string>& properties,
                                                   delivery_tracker& tracker, const std::string& brokers) {
    auto conf = make_conf(properties);
    std::string error;
    conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(&tracker), error);
    std::unique_ptr<RdKafka::Producer> producer{RdKafka::Producer::create(conf.get(), error)};
    if (!producer) {
        throw std::runtime_error(fmt::format("kafka: cannot create a producer for {}: {}", brokers, error));
    }
    return producer;
}

class kafka_producer final : public topic::producer {
public:
    explicit kafka_producer(const config::app_config& config)
        : brokers_(config.kafka.brokers),
          producer_(create_producer(client_properties(config.kafka, "producer"), tracker_, brokers_)) {}

    ~kafka_producer() override {
        if (producer_->flush(10'000) != RdKafka::ERR_NO_ERROR) {
            core::stage_logger("kafka")->error("{} records were not delivered to {} before the producer closed",
                                               producer_->outq_len(), brokers_);
        }
    }

    void produce(std::string_view topic, std::vector<topic::message>& batch) override {
        send_batch(*producer_, topic, batch);
    }

    // Throws when a record failed for good, so that offsets are not
    // committed past it.
    void flush() override {
        wait_for_delivery(*producer_, tracker_, brokers_);
    }

private:
    std::string brokers_;
    delivery_tracker tracker_;
    std::unique_ptr<RdKafka::Producer> producer_;
};

// Starts each assigned partition a number of records before its end,
// ignoring committed offsets.
class tail_assigner final : public RdKafka::RebalanceCb {
public:
    explicit tail_assigner(std::optional<std::int64_t> tail_records) : tail_(tail_records) {}
    explicit operator bool() const { return tail_.has_value(); }

    void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode error,
                      std::vector<RdKafka::TopicPartition*>& partitions) override {
        if (error != RdKafka::ERR__ASSIGN_PARTITIONS) {
            consumer->unassign();
            return;
        }
        std::map<std::string, std::int64_t> partition_counts;
        for (const auto* partition : partitions) {
            ++partition_counts[partition->topic()];
        }
        for (auto* partition : partitions) {
            std::int64_t low = 0;
            std::int64_t high = 0;
            const auto per_partition = (*tail_ + partition_counts[partition->topic()] - 1)
                                       / partition_counts[partition->topic()];
            if (consumer->query_watermark_offsets(partition->topic(), partition->partition(), &low, &high,
                                                  metadata_timeout_ms)
                == RdKafka::ERR_NO_ERROR) {
                partition->set_offset(std::max(low, high - per_partition));
            } else {
                partition->set_offset(RdKafka::Topic::OFFSET_END);
            }
        }
        consumer->assign(partitions);
    }

private:
    std::optional<std::int64_t> tail_;
};

// Applies each assignment of the group and notes each revocation.
// librdkafka runs this callback only inside consume() and waits for its
// unassign before the rebalance goes on (see RdKafka::RebalanceCb). So a
// commit after a consume() that revoked nothing still owns its partitions.
class revocation_tracker final : public RdKafka::RebalanceCb {
public:
    void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode error,
                      std::vector<RdKafka::TopicPartition*>& partitions) override {
        const bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
        std::unique_ptr<RdKafka::Error> failed;
        RdKafka::ErrorCode code = RdKafka::ERR_NO_ERROR;
        if (error == RdKafka::ERR__ASSIGN_PARTITIONS) {
            if (cooperative) {
                failed.reset(consumer->incremental_assign(partitions));
            } else {
                code = consumer->assign(partitions);
            }
        } else {
            // Any other error is a failed rebalance, after which librdkafka
            // expects the whole assignment cleared.
            revoked_ = true;
            if (cooperative && error == RdKafka::ERR__REVOKE_PARTITIONS) {
                failed.reset(consumer->incremental_unassign(partitions));
            } else {
                code = consumer->unassign();
            }
        }
        if (failed || code != RdKafka::ERR_NO_ERROR) {
            core::stage_logger("kafka")->error("applying the group's new assignment ({}) failed: {}",
                                               RdKafka::err2str(error),
                                               failed ? failed->str() : RdKafka::err2str(code));
        }
    }

    // Returns whether partitions were revoked since the last call.
    bool take_revoked() { return std::exchange(revoked_, false); }

private:
    bool revoked_ = false;
};

class kafka_consumer final : public topic::consumer {
public:
    kafka_consumer(kafka_backend& backend, const config::app_config& config, const std::string& group,
                   const std::vector<std::string>& topics, std::optional<std::int64_t> tail_records)
        : backend_(backend), topics_(topics), tail_start_(tail_records) {
        auto properties = client_properties(config.kafka, "consumer");
        properties["group.id"] = group;
        // Static membership: an instance restarted after a crash takes its
        // partitions back at once, instead of waiting for the session of
        // its dead predecessor to time out (45 s by default).
        if (group == config.kafka.group_id && !tail_records
            && config.process.processing == config::guarantee::exactly_once
            && !config.kafka.client.contains("group.instance.id")) {
            properties["group.instance.id"] = config::process_instance_id(config);
        }
        auto conf = make_conf(properties);
        std::string error;
        if (tail_start_) {
            conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(&tail_start_), error);
        } else {
            conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(&revocations_), error);
        }
        consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), error));
        if (!consumer_) {
            throw std::runtime_error(fmt::format("kafka: cannot create a consumer in group \"{}\": {}", group, error));
        }
        for (const auto& topic : topics) {
            names_.emplace(topic, std::make_unique<std::string>(topic));
        }
        const auto subscribed = consumer_->subscribe(topics);
        if (subscribed != RdKafka::ERR_NO_ERROR) {
            throw std::runtime_error(fmt::format("kafka: cannot subscribe group \"{}\" to {}: {}", group,
                                                 fmt::join(topics, ", "), RdKafka::err2str(subscribed)));
        }
    }

    ~kafka_consumer() override { consumer_->close(); }

    topic::poll_status poll(std::vector<topic::consumed_message>& out, std::size_t max_records,
                            std::chrono::milliseconds timeout) override {
        out.clear();
        int wait_ms = static_cast<int>(timeout.count());
        while (out.size() < max_records) {
            std::unique_ptr<RdKafka::Message> message{consumer_->consume(wait_ms)};
            wait_ms = 0;
            if (message->err() == RdKafka::ERR__TIMED_OUT) {
                break;
            }
            if (message->err() != RdKafka::ERR_NO_ERROR) {
                // Transport errors are retried inside librdkafka and logged
                // by the event callback; the poll simply returns early.
                break;
            }
            auto& record = out.emplace_back();
            record.topic = names_.at(message->topic_name()).get();
            record.partition = core::partition_id{message->partition()};
            record.offset = core::topic_offset{message->offset()};
            if (message->key() != nullptr) {
                record.key = *message->key();
            }
            record.value.assign(static_cast<const char*>(message->payload()), message->len());
            uncommitted_ = true;
        }
        if (!out.empty()) {
            return topic::poll_status::records;
        }
        return reached_end() ? topic::poll_status::end : topic::poll_status::idle;
    }

    void commit(const held_offsets& held) override {
        if (!uncommitted_ || tail_start_) {
            return;
        }
        bool held_back = false;
        auto offsets = offsets_to_commit(held, held_back);
        const auto error = offsets.empty() ? RdKafka::ERR_NO_ERROR : consumer_->commitSync(offsets);
        RdKafka::TopicPartition::destroy(offsets);
        if (error != RdKafka::ERR_NO_ERROR && error != RdKafka::ERR__NO_OFFSET) {
            core::stage_logger("kafka")->warn("committing offsets failed: {}; the records since the last commit "
                                              "will be read again after a restart",
                                              RdKafka::err2str(error));
            return;
        }
        uncommitted_ = held_back;
    }

    // The next offset to read per assigned partition, limited by `held`;
    // the caller destroys them. `held_back` is set when a limit applied,
    // so the commit must be repeated even when no new record arrives.
    std::vector<RdKafka::TopicPartition*> offsets_to_commit(const held_offsets& held, bool& held_back) {
        std::vector<RdKafka::TopicPartition*> positions;
        consumer_->assignment(positions);
        consumer_->position(positions);
        std::vector<RdKafka::TopicPartition*> offsets;
        held_back = false;
        for (auto* partition : positions) {
            std::int64_t offset = partition->offset();
            const auto limit = held.find({partition->topic(), partition->partition()});
            if (limit != held.end() && (offset < 0 || limit->second < offset)) {
                offset = limit->second;
                held_back = true;
            }
            if (offset >= 0) {
                offsets.push_back(RdKafka::TopicPartition::create(partition->topic(), partition->partition(), offset));
            }
        }
        RdKafka::TopicPartition::destroy(positions);
        return offsets;
    }

    std::unique_ptr<RdKafka::ConsumerGroupMetadata> group_metadata() {
        return std::unique_ptr<RdKafka::ConsumerGroupMetadata>{consumer_->groupMetadata()};
    }

    // After a transaction committed this consumer's offsets.
    void committed_in_transaction(bool held_back) { uncommitted_ = held_back; }

    // Returns whether the group revoked partitions since the last call or
    // the last rewind_to_committed.
    bool take_revoked() { return revocations_.take_revoked(); }

    std::vector<core::partition_id> assigned_partitions(const std::string& topic) override {
        std::vector<RdKafka::TopicPartition*> assignment;
        consumer_->assignment(assignment);
        std::vector<core::partition_id> partitions;
        std::set<std::pair<std::string, std::int32_t>> current;
        for (const auto* partition : assignment) {
            current.emplace(partition->topic(), partition->partition());
            if (partition->topic() == topic) {
                partitions.push_back(core::partition_id{partition->partition()});
            }
        }
        RdKafka::TopicPartition::destroy(assignment);
        // Another member may have committed a partition while this one did
        // not own it, so what next_offset cached no longer holds.
        if (current != last_assignment_) {
            last_assignment_ = std::move(current);
            start_offsets_.clear();
            ended_.clear();
        }
        return partitions;
    }

    // Uses the end offset librdkafka cached from its last fetch. A partition
    // that has returned nothing since it was assigned is compared by its
    // committed offset, asked once (see next_offset).
    bool caught_up(const std::string& topic, core::partition_id partition) override {
        std::int64_t low = 0;
        std::int64_t high = 0;
        if (consumer_->get_watermark_offsets(topic, partition.value(), &low, &high) != RdKafka::ERR_NO_ERROR) {
            return false;
        }
        const std::int64_t next = next_offset(topic, partition.value());
        return next >= high || (next < 0 && high <= low);
    }

    // Uses the end offset librdkafka cached from its last fetch, and the
    // next offset as caught_up does.
    std::optional<std::int64_t> lag(const std::string& topic, core::partition_id partition) override {
        std::int64_t low = 0;
        std::int64_t high = 0;
        if (consumer_->get_watermark_offsets(topic, partition.value(), &low, &high) != RdKafka::ERR_NO_ERROR
            || high < 0) {
            return std::nullopt;
        }
        const std::int64_t next = next_offset(topic, partition.value());
        return std::max<std::int64_t>(0, high - (next < 0 ? low : next));
    }

    // committed() requests stable offsets (KIP-447, as read_committed
    // consumers do), so it waits while another member's transaction with
    // offsets of these partitions is still open.
    void rewind_to_committed() override {
        // The caller aborted the transaction that a revocation concerned.
        revocations_.take_revoked();
        std::vector<RdKafka::TopicPartition*> partitions;
        consumer_->assignment(partitions);

        const auto fetched = consumer_->committed(partitions, rewind_timeout_ms);
        if (fetched != RdKafka::ERR_NO_ERROR) {
            RdKafka::TopicPartition::destroy(partitions);
            throw std::runtime_error(fmt::format("kafka: reading the committed offsets of the input partitions "
                                                 "failed: {}",
                                                 RdKafka::err2str(fetched)));
        }

        std::vector<RdKafka::TopicPartition*> positions;
        consumer_->assignment(positions);
        consumer_->position(positions);
        for (auto* partition : partitions) {
            // A partition without a position has not fetched since it was
            // assigned, and librdkafka starts it at the committed offset.
            std::int64_t position = -1;
            for (const auto* current : positions) {
                if (current->topic() == partition->topic() && current->partition() == partition->partition()) {
                    position = current->offset();
                }
            }
            if (position < 0 || position == partition->offset()) {
                continue;
            }
            if (partition->offset() < 0) {
                partition->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
            }
            const auto sought = consumer_->seek(*partition, rewind_timeout_ms);
            if (sought != RdKafka::ERR_NO_ERROR) {
                const std::string where = fmt::format("{}/{}", partition->topic(), partition->partition());
                RdKafka::TopicPartition::destroy(partitions);
                RdKafka::TopicPartition::destroy(positions);
                throw std::runtime_error(fmt::format("kafka: moving {} back to its committed offset failed: {}",
                                                     where, RdKafka::err2str(sought)));
            }
        }
        RdKafka::TopicPartition::destroy(partitions);
        RdKafka::TopicPartition::destroy(positions);

        ended_.clear();
        start_offsets_.clear();
        uncommitted_ = false;
    }

    // A closed topic gets no more records, so an ended partition stays ended.
    bool ended(const std::string& topic, core::partition_id partition) override {
        if (ended_.contains({topic, partition.value()})) {
            return true;
        }
        const auto ends = backend_.end_offsets(topic);
        const auto index = static_cast<std::size_t>(partition.value());
        if (!ends || index >= ends->size() || next_offset(topic, partition.value()) < (*ends)[index]) {
            return false;
        }
        ended_.emplace(topic, partition.value());
        return true;
    }

private:
    // True when every subscribed topic is closed and this consumer's
    // position has reached its end offset on every partition.
    // LIMITATION: a partition assigned to another member of the group has
    // no position here, so with several instances a bounded run never ends.
    bool reached_end() {
        for (const auto& topic : topics_) {
            const auto ends = backend_.end_offsets(topic);
            if (!ends) {
                return false;
            }
            for (std::size_t partition = 0; partition < ends->size(); ++partition) {
                if (next_offset(topic, static_cast<std::int32_t>(partition)) < (*ends)[partition]) {
                    return false;
                }
            }
        }
        return true;
    }

    // The next offset this group reads on a partition: the consumer's
    // position, else the committed offset, else the partition's start.
    // The last two ask the broker, so they are asked once per partition:
    // neither changes while this consumer owns the partition and has not
    // read from it, and assigned_partitions() clears them on a change.
    std::int64_t next_offset(const std::string& topic, std::int32_t partition) {
        std::vector<RdKafka::TopicPartition*> partitions{RdKafka::TopicPartition::create(topic, partition)};
        std::int64_t offset = RdKafka::Topic::OFFSET_INVALID;
        if (consumer_->position(partitions) == RdKafka::ERR_NO_ERROR) {
            offset = partitions[0]->offset();
        }
        if (offset < 0) {
            const auto cached = start_offsets_.find({topic, partition});
            if (cached != start_offsets_.end()) {
                offset = cached->second;
            } else {
                if (consumer_->committed(partitions, metadata_timeout_ms) == RdKafka::ERR_NO_ERROR) {
                    offset = partitions[0]->offset();
                }
                std::int64_t low = 0;
                std::int64_t high = 0;
                if (offset < 0
                    && consumer_->query_watermark_offsets(topic, partition, &low, &high, metadata_timeout_ms)
                           == RdKafka::ERR_NO_ERROR) {
                    offset = low;
                }
                if (offset >= 0) {
                    start_offsets_[{topic, partition}] = offset;
                }
            }
        }
        RdKafka::TopicPartition::destroy(partitions);
        return offset;
    }

    static constexpr int rewind_timeout_ms = 60'000;

    kafka_backend& backend_;
    std::vector<std::string> topics_;
    tail_assigner tail_start_;
    revocation_tracker revocations_;
    std::map<std::string, std::unique_ptr<std::string>> names_;
    std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
    std::set<std::pair<std::string, std::int32_t>> ended_;
    std::map<std::pair<std::string, std::int32_t>, std::int64_t> start_offsets_;  // for next_offset()
    std::set<std::pair<std::string, std::int32_t>> last_assignment_;
    bool uncommitted_ = false;
};

// One Kafka transaction per commit: the outputs and the input offsets.
class kafka_transactional_producer final : public topic::transactional_producer {
public:
    kafka_transactional_producer(const config::app_config& config, const std::string& transactional_id)
        : brokers_(config.kafka.brokers), id_(transactional_id) {
        auto properties = client_properties(config.kafka, "producer");
        const auto timeout = transaction_timeout(config.process.commit_interval);
        properties["transactional.id"] = transactional_id;
        properties["transaction.timeout.ms"] = std::to_string(timeout.count());
        // librdkafka requires message.timeout.ms <= transaction.timeout.ms.
        properties["message.timeout.ms"] = std::to_string(timeout.count());
        // kafka.client overrides these too, as it overrides every radstream setting.
        for (const auto& [name, value] : config.kafka.client) {
            properties[name] = value;
        }
        producer_ = create_producer(properties, tracker_, brokers_);
        // Fences an earlier producer with this id and aborts the
        // transaction it left open, so read_committed readers move on.
        check(producer_->init_transactions(operation_timeout_ms), "initializing transactions");
        check(producer_->begin_transaction(), "beginning a transaction");
        open_ = true;
        core::stage_logger("kafka")->info("transactional producer \"{}\" ready (transaction.timeout.ms {})", id_,
                                          timeout.count());
    }

    ~kafka_transactional_producer() override {
        if (open_) {
            // What was produced since the last commit is discarded; a
            // restart reads its inputs again.
            std::unique_ptr<RdKafka::Error> error{producer_->abort_transaction(operation_timeout_ms)};
            if (error) {
                core::stage_logger("kafka")->warn("aborting the open transaction of \"{}\" failed: {}", id_,
                                                  error->str());
            }
        }
    }

    // librdkafka rejects records with ERR__STATE once the open transaction
    // has hit an error that requires an abort. The records are part of a
    // transaction that will be aborted anyway, so they are dropped, and the
    // next commit aborts and reports it (see commit).
    // NOTE: seen once right after a rebalance, abort and begin; what puts a
    // transaction that just began into that state is not known.
    void produce(std::string_view topic, std::vector<topic::message>& batch) override {
        if (abort_required_.load()) {
            batch.clear();
            return;
        }
        try {
            send_batch(*producer_, topic, batch);
        } catch (const produce_error& error) {
            if (error.code != RdKafka::ERR__STATE) {
                throw;
            }
            if (!abort_required_.exchange(true)) {
                core::stage_logger("kafka")->warn("{}; the transaction of \"{}\" will be aborted", error.what(), id_);
            }
            batch.clear();
        }
    }

    void flush() override {
        wait_for_delivery(*producer_, tracker_, brokers_);
    }

    void commit(topic::consumer& source, const topic::consumer::held_offsets& held) override {
        auto* consumer = dynamic_cast<kafka_consumer*>(&source);
        if (consumer == nullptr) {
            throw std::logic_error("kafka: a transaction can only commit the offsets of a Kafka consumer");
        }
        if (abort_required_.load()) {
            abort();
            throw topic::transaction_aborted(fmt::format("kafka: the transaction of \"{}\" failed while records "
                                                         "were produced and was aborted",
                                                         id_));
        }
        // Records of revoked partitions may be in this transaction, and
        // their new owner reads from the offsets committed before it.
        if (consumer->take_revoked()) {
            abort();
            throw topic::transaction_aborted(fmt::format("kafka: the group revoked input partitions while the "
                                                         "transaction of \"{}\" was open, so it was aborted",
                                                         id_));
        }
        try {
            flush();
        } catch (const std::exception&) {
            abort_open();
            throw;
        }
        bool held_back = false;
        auto offsets = consumer->offsets_to_commit(held, held_back);
        std::unique_ptr<RdKafka::Error> sent;
        if (!offsets.empty()) {
            const auto metadata = consumer->group_metadata();
            sent.reset(producer_->send_offsets_to_transaction(offsets, metadata.get(), operation_timeout_ms));
        }
        RdKafka::TopicPartition::destroy(offsets);
        if (sent) {
            fail_transaction(sent.get(), "sending offsets to the transaction");
        }
        // A commit that times out may be retried; its outcome is unknown
        // until a retry succeeds or the error requires an abort.
        for (int attempt = 1;; ++attempt) {
            std::unique_ptr<RdKafka::Error> error{producer_->commit_transaction(operation_timeout_ms)};
            if (!error) {
                break;
            }
            if (error->is_retriable() && attempt < commit_attempts) {
                core::stage_logger("kafka")->warn("committing transaction of \"{}\" failed ({}); retrying", id_,
                                                  error->str());
                continue;
            }
            fail_transaction(error.get(), "committing the transaction");
        }
        open_ = false;
        commits_.fetch_add(1, std::memory_order_relaxed);
        consumer->committed_in_transaction(held_back);
        check(producer_->begin_transaction(), "beginning a transaction");
        open_ = true;
    }

    void abort() override {
        abort_open();
        check(producer_->begin_transaction(), "beginning a transaction");
        open_ = true;
        abort_required_.store(false);
    }

private:
    static constexpr int operation_timeout_ms = 60'000;
    static constexpr int commit_attempts = 3;

    void check(RdKafka::Error* raw, std::string_view what) {
        std::unique_ptr<RdKafka::Error> error{raw};
        if (error) {
            throw std::runtime_error(fmt::format("kafka: {} for transactional.id \"{}\" failed: {}", what, id_,
                                                 error->str()));
        }
    }

    // Throws. When the error allows an abort, aborts, opens the next
    // transaction and throws topic::transaction_aborted, so the stage can
    // go back to its last committed state. Otherwise the stage stops and a
    // restart resumes from the last committed transaction with a new
    // producer epoch.
    [[noreturn]] void fail_transaction(RdKafka::Error* error, std::string_view what) {
        const std::string text = error->str();
        if (error->txn_requires_abort() && !error->is_fatal()) {
            abort_open();
            check(producer_->begin_transaction(), "beginning a transaction");
            open_ = true;
            abort_required_.store(false);
            throw topic::transaction_aborted(fmt::format("kafka: {} for transactional.id \"{}\" failed: {}; the "
                                                         "transaction was aborted",
                                                         what, id_, text));
        }
        throw std::runtime_error(fmt::format("kafka: {} for transactional.id \"{}\" failed: {}; the outputs since "
                                             "the last commit are discarded and read again after a restart",
                                             what, id_, text));
    }

    void abort_open() {
        if (!open_) {
            return;
        }
        std::unique_ptr<RdKafka::Error> error{producer_->abort_transaction(operation_timeout_ms)};
        open_ = false;
        aborts_.fetch_add(1, std::memory_order_relaxed);
        if (error) {
            core::stage_logger("kafka")->warn("aborting the transaction of \"{}\" failed: {}", id_, error->str());
        }
    }

    std::string brokers_;
    std::string id_;
    delivery_tracker tracker_;
    std::unique_ptr<RdKafka::Producer> producer_;
    bool open_ = false;
    std::atomic<bool> abort_required_{false};  // set by produce, from any thread
};

} // namespace

std::chrono::milliseconds transaction_timeout(std::chrono::milliseconds commit_interval) {
    return std::max<std::chrono::milliseconds>(std::chrono::seconds{60}, 10 * commit_interval);
}

std::map<std::string, std::string> client_properties(const config::kafka_config& config, std::string_view role) {
    std::map<std::string, std::string> properties{
        {"bootstrap.servers", config.brokers},
        {"client.id", "radstream"},
    };
    if (role == "probe") {
        // Only metadata requests, no records: nothing else to set.
    } else if (role == "producer") {
        properties["enable.idempotence"] = "true";
        properties["acks"] = "all";
        properties["compression.type"] = config.compression;
        properties["linger.ms"] = std::to_string(config.linger.count());
        properties["batch.size"] = std::to_string(config.batch_size_bytes);
        // murmur2_random is the Java client's default partitioner for keyed records.
        properties["partitioner"] = "murmur2_random";
        // 0 waits for delivery as long as it takes: a cluster that is down
        // pauses the pipeline instead of failing records.
        properties["message.timeout.ms"] = "0";
    } else {
        properties["enable.auto.commit"] = "false";
        properties["auto.offset.reset"] = "earliest";
        properties["isolation.level"] = "read_committed";
        // With librdkafka's default of 1 MiB per partition per fetch (one lz4
        // batch of about 24,000 readings), the process stage waited for
        // records about half of its run on a local broker. 4 MiB cut
        // 1,000,000 readings from about 8 s to about 6 s (bench/run.sh).
        properties["max.partition.fetch.bytes"] = std::to_string(4 << 20);
    }
    for (const auto& [name, value] : config.client) {
        properties[name] = value;
    }
    return properties;
}

kafka_backend::kafka_backend(const config::app_config& config) : config_(config) {
    ensure_topics(config);
}

kafka_backend::~kafka_backend() = default;

std::unique_ptr<topic::producer> kafka_backend::make_producer() {
    return std::make_unique<kafka_producer>(config_);
}

std::unique_ptr<topic::transactional_producer> kafka_backend::make_transactional_producer(
    const std::string& transactional_id) {
    const auto timeout = transaction_timeout(config_.process.commit_interval);
    if (const auto limit = broker_setting(config_, "transaction.max.timeout.ms")) {
        if (timeout.count() > std::stoll(*limit)) {
            throw std::runtime_error(fmt::format(
                "kafka: process.commit_interval_ms {} needs transaction.timeout.ms {}, above the broker's "
                "transaction.max.timeout.ms {}; lower process.commit_interval_ms or raise the broker setting",
                config_.process.commit_interval.count(), timeout.count(), *limit));
        }
    } else {
        core::stage_logger("kafka")->warn("the broker did not report transaction.max.timeout.ms; using "
                                          "transaction.timeout.ms {} unchecked",
                                          timeout.count());
    }
    return std::make_unique<kafka_transactional_producer>(config_, transactional_id);
}

std::unique_ptr<topic::consumer> kafka_backend::make_consumer(const std::string& group,
                                                              const std::vector<std::string>& topics,
                                                              std::optional<std::int64_t> tail_records) {
    return std::make_unique<kafka_consumer>(*this, config_, group, topics, tail_records);
}

void kafka_backend::close_topic(std::string_view topic) {
    std::vector<std::int64_t> ends = high_watermarks(config_, std::string{topic});
    std::lock_guard lock(mutex_);
    end_offsets_[std::string{topic}] = std::move(ends);
}

void kafka_backend::prepare_state_topic(const std::string& topic, const std::string& partitioned_like) {
    ensure_compacted_topic(config_, topic, partitioned_like);
}

topic::backend::state_table kafka_backend::read_table(const std::string& topic,
                                                      const std::vector<std::int32_t>& partitions) {
    state_table table;
    if (partitions.empty()) {
        return table;
    }
    auto properties = client_properties(config_.kafka, "consumer");
    // A group of its own that never commits: the table is always read whole.
    properties["group.id"] = config_.kafka.group_id + "-restore";
    properties["enable.partition.eof"] = "true";
    auto conf = make_conf(properties);
    std::string error;
    std::unique_ptr<RdKafka::KafkaConsumer> reader{RdKafka::KafkaConsumer::create(conf.get(), error)};
    if (!reader) {
        throw std::runtime_error(fmt::format("kafka: cannot create a consumer to read {}: {}", topic, error));
    }
    std::vector<RdKafka::TopicPartition*> assignment;
    for (const auto partition : partitions) {
        assignment.push_back(RdKafka::TopicPartition::create(topic, partition, RdKafka::Topic::OFFSET_BEGINNING));
        table[partition];
    }
    reader->assign(assignment);
    RdKafka::TopicPartition::destroy(assignment);

    // read_committed stops at the last stable offset, before a transaction
    // that is still open. The previous owner of a partition may have left
    // one that is about to be committed or aborted. So a partition counts
    // as read only when the position has reached its high watermark, which
    // is past every record and the marker of every finished transaction.
    std::set<std::int32_t> ended;
    std::map<std::int32_t, std::chrono::steady_clock::time_point> waiting_logged;  // when last logged
    const auto started = std::chrono::steady_clock::now();
    const auto reached_end = [&](std::int32_t partition) {
        std::int64_t low = 0;
        std::int64_t high = 0;
        if (reader->query_watermark_offsets(topic, partition, &low, &high, metadata_timeout_ms)
            != RdKafka::ERR_NO_ERROR) {
            return false;
        }
        std::vector<RdKafka::TopicPartition*> position{RdKafka::TopicPartition::create(topic, partition)};
        reader->position(position);
        const std::int64_t next = position[0]->offset();
        RdKafka::TopicPartition::destroy(position);
        if (next >= high || (next < 0 && high <= low)) {
            return true;
        }
        // A restore normally takes a second or two, so the wait is logged
        // after 5 s.
        const auto now = std::chrono::steady_clock::now();
        auto [last, added] = waiting_logged.try_emplace(partition, started);
        if (now - last->second >= std::chrono::seconds{added ? 5 : 10}) {
            last->second = now;
            core::stage_logger("kafka")->info("waiting for {}/{} to be readable up to offset {} (now at {}): an "
                                              "open transaction holds it back",
                                              topic, partition, high, next);
        }
        return false;
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes{10};
    while (ended.size() < partitions.size()) {
        std::unique_ptr<RdKafka::Message> message{reader->consume(100)};
        if (message->err() == RdKafka::ERR__PARTITION_EOF || message->err() == RdKafka::ERR__TIMED_OUT) {
            for (const auto partition : partitions) {
                if (!ended.contains(partition) && reached_end(partition)) {
                    ended.insert(partition);
                }
            }
            if (std::chrono::steady_clock::now() > deadline) {
                throw std::runtime_error(fmt::format("kafka: reading {} to its end took over 10 minutes", topic));
            }
            continue;
        }
        if (message->err() != RdKafka::ERR_NO_ERROR) {
            throw std::runtime_error(fmt::format("kafka: reading {}/{} failed: {}", topic, message->partition(),
                                                 message->errstr()));
        }
        if (message->key() == nullptr) {
            continue;
        }
        auto& entries = table[message->partition()];
        if (message->payload() == nullptr) {
            entries.erase(*message->key());
        } else {
            entries[*message->key()].assign(static_cast<const char*>(message->payload()), message->len());
        }
    }
    reader->close();
    return table;
}

bool kafka_backend::reachable() {
    constexpr int probe_timeout_ms = 2000;
    std::lock_guard lock(probe_mutex_);
    if (!probe_) {
        auto conf = make_conf(client_properties(config_.kafka, "probe"));
        std::string error;
        probe_.reset(RdKafka::Producer::create(conf.get(), error));
        if (!probe_) {
            core::stage_logger("kafka")->warn("cannot create a client to probe {}: {}", config_.kafka.brokers, error);
            return false;
        }
    }
    RdKafka::Metadata* metadata = nullptr;
    const auto error = probe_->metadata(false, nullptr, &metadata, probe_timeout_ms);
    delete metadata;
    return error == RdKafka::ERR_NO_ERROR;
}

std::optional<std::vector<std::int64_t>> kafka_backend::end_offsets(const std::string& topic) const {
    std::lock_guard lock(mutex_);
    const auto it = end_offsets_.find(topic);
    if (it == end_offsets_.end()) {
        return std::nullopt;
    }
    return it->second;
}

} // namespace radstream::kafka
