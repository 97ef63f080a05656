#pragma once

#include "radstream/topic/topic.hpp"

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>

namespace radstream::topic {

class embedded_topic;

// In-process topics, partitioned like Kafka and lossless: each partition
// holds at most `partition_capacity` records that some registered consumer
// group has not read yet, and a producer writing to a full partition waits.
// A record is dropped only after every group has read it; a topic that no
// group reads keeps nothing, as a topic with zero retention would.
//
// Topics are created on first use. The backend must outlive its producers
// and consumers.
class embedded_backend final : public backend {
public:
    embedded_backend(int partitions, std::size_t partition_capacity);
    ~embedded_backend() override;

    std::unique_ptr<producer> make_producer() override;
    std::unique_ptr<consumer> make_consumer(const std::string& group, const std::vector<std::string>& topics,
                                            std::optional<std::int64_t> tail_records = std::nullopt) override;
    void close_topic(std::string_view topic) override;

    embedded_topic& topic(std::string_view name);

private:
    const int partitions_;
    const std::size_t partition_capacity_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<embedded_topic>, std::less<>> topics_;
};

} // namespace radstream::topic
