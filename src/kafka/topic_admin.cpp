#include "topic_admin.hpp"

#include "kafka_client.hpp"
#include "radstream/core/logging.hpp"
#include "radstream/kafka/kafka_backend.hpp"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

namespace radstream::kafka {
namespace {

constexpr int request_timeout_ms = 10'000;
constexpr auto max_backoff = std::chrono::seconds{10};

struct configured_topic {
    std::string name;
    config::topic_settings settings;
    bool compacted = false;  // cleanup.policy=compact instead of a retention time
};

std::vector<configured_topic> configured_topics(const config::app_config& config) {
    const auto& topics = config.topics;
    return {{topics.input, topics.input_settings},
            {topics.processed, topics.processed_settings},
            {topics.critical, topics.critical_settings},
            {topics.dirty, topics.dirty_settings}};
}

// A client used only for metadata and admin requests.
std::unique_ptr<RdKafka::Producer> make_admin_client(const config::app_config& config) {
    std::map<std::string, std::string> properties{{"bootstrap.servers", config.kafka.brokers},
                                                  {"client.id", "radstream-admin"}};
    for (const auto& [name, value] : config.kafka.client) {
        properties[name] = value;
    }
    auto conf = make_conf(properties);
    std::string error;
    std::unique_ptr<RdKafka::Producer> client{RdKafka::Producer::create(conf.get(), error)};
    if (!client) {
        throw std::runtime_error(fmt::format("kafka: cannot create a client for {}: {}", config.kafka.brokers, error));
    }
    return client;
}

using metadata_ptr = std::unique_ptr<const rd_kafka_metadata_t, decltype(&rd_kafka_metadata_destroy)>;

// Fetches cluster metadata, retrying with doubling backoff until the
// startup timeout has passed.
metadata_ptr wait_for_cluster(const config::app_config& config, rd_kafka_t* client) {
    auto log = core::stage_logger("kafka");
    const auto deadline = std::chrono::steady_clock::now() + config.kafka.startup_timeout;
    auto backoff = std::chrono::seconds{1};
    for (;;) {
        // Short attempts, so the retries are logged; the client keeps
        // connecting in the background between them.
        const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        const int attempt_ms = static_cast<int>(std::clamp<std::int64_t>(remaining.count(), 500, 2000));
        const rd_kafka_metadata_t* metadata = nullptr;
        const auto error = rd_kafka_metadata(client, 1, nullptr, &metadata, attempt_ms);
        if (error == RD_KAFKA_RESP_ERR_NO_ERROR) {
            return metadata_ptr{metadata, &rd_kafka_metadata_destroy};
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            throw std::runtime_error(fmt::format("cannot reach Kafka at {} within {} s: {}; check kafka.brokers, "
                                                 "the network and that the cluster is up",
                                                 config.kafka.brokers, config.kafka.startup_timeout.count(),
                                                 rd_kafka_err2str(error)));
        }
        const auto pause = std::min<std::chrono::steady_clock::duration>(backoff, deadline - now);
        log->warn("cannot reach Kafka at {}: {}; retrying in {:.1f} s (kafka.startup_timeout_seconds = {})",
                  config.kafka.brokers, rd_kafka_err2str(error), std::chrono::duration<double>(pause).count(),
                  config.kafka.startup_timeout.count());
        std::this_thread::sleep_for(pause);
        backoff = std::min(backoff * 2, max_backoff);
    }
}

// Runs one admin request and returns its result event.
using event_ptr = std::unique_ptr<rd_kafka_event_t, decltype(&rd_kafka_event_destroy)>;

template<typename Request>
event_ptr run_admin(rd_kafka_t* client, rd_kafka_admin_op_t op, Request request) {
    std::unique_ptr<rd_kafka_queue_t, decltype(&rd_kafka_queue_destroy)> queue{rd_kafka_queue_new(client),
                                                                               &rd_kafka_queue_destroy};
    std::unique_ptr<rd_kafka_AdminOptions_t, decltype(&rd_kafka_AdminOptions_destroy)> options{
        rd_kafka_AdminOptions_new(client, op), &rd_kafka_AdminOptions_destroy};
    char error[256];
    rd_kafka_AdminOptions_set_request_timeout(options.get(), request_timeout_ms, error, sizeof error);
    request(options.get(), queue.get());
    rd_kafka_event_t* event = rd_kafka_queue_poll(queue.get(), request_timeout_ms * 2);
    if (event == nullptr) {
        throw std::runtime_error("kafka: an admin request timed out; check that the cluster is up");
    }
    return event_ptr{event, &rd_kafka_event_destroy};
}

void create_topics(rd_kafka_t* client, const std::vector<configured_topic>& missing) {
    auto log = core::stage_logger("kafka");
    std::vector<rd_kafka_NewTopic_t*> requests;
    char error[512];
    for (const auto& topic : missing) {
        auto* request = rd_kafka_NewTopic_new(topic.name.c_str(), topic.settings.partitions,
                                              topic.settings.replication_factor, error, sizeof error);
        if (request == nullptr) {
            rd_kafka_NewTopic_destroy_array(requests.data(), requests.size());
            throw std::runtime_error(fmt::format("kafka: topic \"{}\": {}", topic.name, error));
        }
        if (topic.compacted) {
            rd_kafka_NewTopic_set_config(request, "cleanup.policy", "compact");
        } else {
            rd_kafka_NewTopic_set_config(request, "retention.ms", std::to_string(topic.settings.retention_ms).c_str());
        }
        requests.push_back(request);
    }
    const auto event = run_admin(client, RD_KAFKA_ADMIN_OP_CREATETOPICS, [&](auto* options, auto* queue) {
        rd_kafka_CreateTopics(client, requests.data(), requests.size(), options, queue);
    });
    rd_kafka_NewTopic_destroy_array(requests.data(), requests.size());

    const auto* result = rd_kafka_event_CreateTopics_result(event.get());
    if (result == nullptr) {
        throw std::runtime_error(fmt::format("kafka: creating topics failed: {}", rd_kafka_event_error_string(event.get())));
    }
    std::size_t count = 0;
    const auto** topics = rd_kafka_CreateTopics_result_topics(result, &count);
    for (std::size_t i = 0; i < count; ++i) {
        const auto code = rd_kafka_topic_result_error(topics[i]);
        const char* name = rd_kafka_topic_result_name(topics[i]);
        if (code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
            log->info("topic {} created", name);
            continue;
        }
        throw std::runtime_error(fmt::format("kafka: cannot create topic \"{}\": {}; create it by hand or fix "
                                             "its settings under [topics]",
                                             name, rd_kafka_topic_result_error_string(topics[i])));
    }
}

// One setting of each named resource (topics or brokers), by resource name.
std::map<std::string, std::string> describe_setting(rd_kafka_t* client, rd_kafka_ResourceType_t type,
                                                    const std::vector<std::string>& names, std::string_view setting) {
    std::vector<rd_kafka_ConfigResource_t*> resources;
    for (const auto& name : names) {
        resources.push_back(rd_kafka_ConfigResource_new(type, name.c_str()));
    }
    const auto event = run_admin(client, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, [&](auto* options, auto* queue) {
        rd_kafka_DescribeConfigs(client, resources.data(), resources.size(), options, queue);
    });
    rd_kafka_ConfigResource_destroy_array(resources.data(), resources.size());

    std::map<std::string, std::string> values;
    const auto* result = rd_kafka_event_DescribeConfigs_result(event.get());
    if (result == nullptr) {
        return values;
    }
    std::size_t count = 0;
    const auto** described = rd_kafka_DescribeConfigs_result_resources(result, &count);
    for (std::size_t i = 0; i < count; ++i) {
        std::size_t entry_count = 0;
        const auto** entries = rd_kafka_ConfigResource_configs(described[i], &entry_count);
        for (std::size_t j = 0; j < entry_count; ++j) {
            if (std::string_view{rd_kafka_ConfigEntry_name(entries[j])} == setting) {
                const char* value = rd_kafka_ConfigEntry_value(entries[j]);
                values[rd_kafka_ConfigResource_name(described[i])] = value ? value : "";
            }
        }
    }
    return values;
}

// Reads retention.ms of existing topics, to compare with the config.
std::map<std::string, std::string> topic_retentions(rd_kafka_t* client, const std::vector<std::string>& names) {
    return describe_setting(client, RD_KAFKA_RESOURCE_TOPIC, names, "retention.ms");
}

void check_existing(rd_kafka_t* client, const std::vector<std::pair<configured_topic, const rd_kafka_metadata_topic_t*>>& existing) {
    auto log = core::stage_logger("kafka");
    std::vector<std::string> names;
    for (const auto& [topic, metadata] : existing) {
        names.push_back(topic.name);
        const int replicas = metadata->partition_cnt > 0 ? metadata->partitions[0].replica_cnt : 0;
        if (metadata->partition_cnt != topic.settings.partitions) {
            log->warn("topic {} has {} partitions, the config says {}; radstream uses the topic as it is",
                      topic.name, metadata->partition_cnt, topic.settings.partitions);
        }
        if (replicas != topic.settings.replication_factor) {
            log->warn("topic {} has replication factor {}, the config says {}; radstream uses the topic as it is",
                      topic.name, replicas, topic.settings.replication_factor);
        }
    }
    if (names.empty()) {
        return;
    }
    for (const auto& [name, retention] : topic_retentions(client, names)) {
        for (const auto& [topic, metadata] : existing) {
            if (topic.name == name && retention != std::to_string(topic.settings.retention_ms)) {
                log->warn("topic {} has retention.ms {}, the config says {}; radstream uses the topic as it is",
                          name, retention, topic.settings.retention_ms);
            }
        }
    }
}

} // namespace

void ensure_topics(const config::app_config& config) {
    auto client = make_admin_client(config);
    const auto metadata = wait_for_cluster(config, client->c_ptr());

    std::vector<configured_topic> missing;
    std::vector<std::pair<configured_topic, const rd_kafka_metadata_topic_t*>> existing;
    for (const auto& topic : configured_topics(config)) {
        const rd_kafka_metadata_topic_t* found = nullptr;
        for (int i = 0; i < metadata->topic_cnt; ++i) {
            if (topic.name == metadata->topics[i].topic) {
                found = &metadata->topics[i];
            }
        }
        if (found == nullptr) {
            missing.push_back(topic);
        } else {
            existing.emplace_back(topic, found);
        }
    }
    if (!missing.empty()) {
        create_topics(client->c_ptr(), missing);
    }
    check_existing(client->c_ptr(), existing);
    core::stage_logger("kafka")->info("connected to {}; topics ready", config.kafka.brokers);
}

void ensure_compacted_topic(const config::app_config& config, const std::string& name,
                            const std::string& partitioned_like) {
    auto client = make_admin_client(config);
    const auto metadata = wait_for_cluster(config, client->c_ptr());
    int partitions = 0;
    int existing = 0;
    for (int i = 0; i < metadata->topic_cnt; ++i) {
        if (partitioned_like == metadata->topics[i].topic) {
            partitions = metadata->topics[i].partition_cnt;
        }
        if (name == metadata->topics[i].topic) {
            existing = metadata->topics[i].partition_cnt;
        }
    }
    if (partitions == 0) {
        throw std::runtime_error(fmt::format("kafka: topic {} was not found, so the changelog {} cannot be "
                                             "partitioned like it",
                                             partitioned_like, name));
    }
    if (existing != 0) {
        if (existing != partitions) {
            throw std::runtime_error(fmt::format(
                "kafka: the changelog topic {} has {} partitions, but it needs one per partition of {} ({}); "
                "delete {} and restart, or set another kafka.group_id (either way the state of the old "
                "group is not carried over)",
                name, existing, partitioned_like, partitions, name));
        }
        return;
    }
    config::topic_settings settings;
    settings.partitions = partitions;
    settings.replication_factor = config.topics.input_settings.replication_factor;
    create_topics(client->c_ptr(), {configured_topic{name, settings, true}});
}

std::optional<std::string> broker_setting(const config::app_config& config, const std::string& name) {
    auto client = make_admin_client(config);
    const auto metadata = wait_for_cluster(config, client->c_ptr());
    if (metadata->broker_cnt == 0) {
        return std::nullopt;
    }
    const std::string broker = std::to_string(metadata->brokers[0].id);
    const auto values = describe_setting(client->c_ptr(), RD_KAFKA_RESOURCE_BROKER, {broker}, name);
    const auto found = values.find(broker);
    if (found == values.end() || found->second.empty()) {
        return std::nullopt;
    }
    return found->second;
}

std::vector<std::int64_t> high_watermarks(const config::app_config& config, const std::string& topic) {
    auto client = make_admin_client(config);
    const auto metadata = wait_for_cluster(config, client->c_ptr());
    int partitions = 0;
    for (int i = 0; i < metadata->topic_cnt; ++i) {
        if (topic == metadata->topics[i].topic) {
            partitions = metadata->topics[i].partition_cnt;
        }
    }
    std::vector<std::int64_t> ends;
    for (int partition = 0; partition < partitions; ++partition) {
        std::int64_t low = 0;
        std::int64_t high = 0;
        const auto error = client->query_watermark_offsets(topic, partition, &low, &high, request_timeout_ms);
        if (error != RdKafka::ERR_NO_ERROR) {
            throw std::runtime_error(fmt::format("kafka: cannot read the end offset of {}/{}: {}", topic, partition,
                                                 RdKafka::err2str(error)));
        }
        ends.push_back(high);
    }
    return ends;
}

} // namespace radstream::kafka
