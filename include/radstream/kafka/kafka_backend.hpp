#pragma once

#include "radstream/config/app_config.hpp"
#include "radstream/topic/topic.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace RdKafka {
class Producer;
}

namespace radstream::kafka {

// Topics on a Kafka cluster, through librdkafka.
//
// At construction it connects (retrying with backoff until
// kafka.startup_timeout_seconds, then throwing an error that names the
// bootstrap servers), creates missing topics with their configured
// partitions, replication factor and retention, and warns about existing
// topics whose settings differ.
//
// Producers are idempotent with acks=all and Kafka's murmur2 partitioner,
// so a key lands on the partition a Java client would pick. Consumers
// commit only when told to (consumer::commit), which the process stage
// does after every record they returned has been delivered.
class kafka_backend final : public topic::backend {
public:
    explicit kafka_backend(const config::app_config& config);
    ~kafka_backend() override;

    std::unique_ptr<topic::producer> make_producer() override;
    // A producer whose transactions hold the outputs and the input offsets
    // of one commit (process.guarantee = "exactly_once").
    std::unique_ptr<topic::transactional_producer> make_transactional_producer(
        const std::string& transactional_id) override;
    std::unique_ptr<topic::consumer> make_consumer(const std::string& group, const std::vector<std::string>& topics,
                                                   std::optional<std::int64_t> tail_records = std::nullopt) override;
    // Records the topic's current end offsets; a consumer that reaches
    // them on every partition of the topic reports poll_status::end.
    void close_topic(std::string_view topic) override;

    void prepare_state_topic(const std::string& topic, const std::string& partitioned_like) override;
    state_table read_table(const std::string& topic, const std::vector<std::int32_t>& partitions) override;

    // Asks the cluster for its broker list, waiting at most 2 s.
    bool reachable() override;

    // End offsets per partition of a closed topic, or nothing while it is open.
    std::optional<std::vector<std::int64_t>> end_offsets(const std::string& topic) const;

private:
    const config::app_config& config_;
    std::mutex probe_mutex_;
    std::unique_ptr<RdKafka::Producer> probe_;  // a client kept for reachable()
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<std::int64_t>, std::less<>> end_offsets_;
};

// The transaction.timeout.ms radstream uses: ten commit intervals, at
// least 60 s, so a slow commit does not time out while a crashed
// instance's open transaction is aborted within a minute or so.
std::chrono::milliseconds transaction_timeout(std::chrono::milliseconds commit_interval);

// The librdkafka properties radstream sets, then kafka.client on top, so
// that users can override any of them. `role` is "producer" or "consumer".
std::map<std::string, std::string> client_properties(const config::kafka_config& config, std::string_view role);

} // namespace radstream::kafka
