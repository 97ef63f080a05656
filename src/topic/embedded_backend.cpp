#include "radstream/topic/embedded_backend.hpp"

#include "radstream/core/composite_key.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <stdexcept>

namespace radstream::topic {
namespace {

// Wakes one consumer when any partition it reads gets records or closes.
// The flag is set under the mutex, so a wake-up between a consumer's scan
// and its wait is not lost.
class wake_signal {
public:
    void reset() {
        std::lock_guard lock(mutex_);
        signaled_ = false;
    }

    void notify() {
        {
            std::lock_guard lock(mutex_);
            signaled_ = true;
        }
        cv_.notify_one();
    }

    void wait_for(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, timeout, [&] { return signaled_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool signaled_ = false;
};

struct partition_log {
    std::mutex mutex;
    std::condition_variable not_full;
    std::deque<message> records;
    std::int64_t base_offset = 0;           // offset of records.front()
    std::vector<std::int64_t> positions;    // next offset each group reads
    bool closed = false;

    std::int64_t end_offset() const { return base_offset + static_cast<std::int64_t>(records.size()); }

    // Drops the records every group has read. Caller holds the mutex.
    void trim() {
        const std::int64_t oldest_needed =
            positions.empty() ? end_offset() : *std::min_element(positions.begin(), positions.end());
        while (base_offset < oldest_needed) {
            records.pop_front();
            ++base_offset;
        }
    }
};

} // namespace

class embedded_topic {
public:
    embedded_topic(std::string name, int partitions, std::size_t capacity) : name_(std::move(name)), capacity_(capacity) {
        for (int i = 0; i < partitions; ++i) {
            partitions_.push_back(std::make_unique<partition_log>());
        }
    }

    const std::string& name() const { return name_; }
    int partition_count() const { return static_cast<int>(partitions_.size()); }
    partition_log& partition(int index) { return *partitions_[static_cast<std::size_t>(index)]; }

    // Adds a group that starts reading at the current end of every
    // partition, or `tail` records before it.
    int add_group(const std::string& group, wake_signal* signal, std::optional<std::int64_t> tail) {
        std::lock_guard lock(groups_mutex_);
        if (groups_.contains(group)) {
            throw std::invalid_argument(
                fmt::format("topic \"{}\": group \"{}\" already has a consumer; embedded topics allow one "
                            "consumer per group",
                            name_, group));
        }
        const int index = static_cast<int>(groups_.size());
        groups_[group] = index;
        for (auto& log : partitions_) {
            std::lock_guard partition_lock(log->mutex);
            const std::int64_t per_partition =
                tail ? (*tail + partition_count() - 1) / partition_count() : std::int64_t{0};
            log->positions.push_back(std::max(log->base_offset, log->end_offset() - per_partition));
        }
        signals_.push_back(signal);
        return index;
    }

    void remove_signal(wake_signal* signal) {
        std::lock_guard lock(groups_mutex_);
        std::erase(signals_, signal);
    }

    void append(int index, std::vector<message>& batch, std::size_t begin, std::size_t end) {
        partition_log& log = partition(index);
        std::size_t next = begin;
        while (next < end) {
            std::unique_lock lock(log.mutex);
            log.not_full.wait(lock, [&] { return log.records.size() < capacity_ || log.positions.empty(); });
            while (next < end && (log.records.size() < capacity_ || log.positions.empty())) {
                log.records.push_back(std::move(batch[next]));
                ++next;
            }
            log.trim();
            lock.unlock();
            wake_readers();
        }
    }

    void close() {
        for (auto& log : partitions_) {
            std::lock_guard lock(log->mutex);
            log->closed = true;
        }
        wake_readers();
    }

    void wake_readers() {
        std::lock_guard lock(groups_mutex_);
        for (auto* signal : signals_) {
            signal->notify();
        }
    }

private:
    const std::string name_;
    const std::size_t capacity_;
    std::vector<std::unique_ptr<partition_log>> partitions_;
    std::mutex groups_mutex_;
    std::map<std::string, int> groups_;
    std::vector<wake_signal*> signals_;
};

namespace {

class embedded_producer final : public producer {
public:
    explicit embedded_producer(embedded_backend& backend) : backend_(backend) {}

    void produce(std::string_view topic_name, std::vector<message>& batch) override {
        embedded_topic& target = backend_.topic(topic_name);
        const int partitions = target.partition_count();
        // Group by partition so that each partition lock is taken once per
        // batch. The grouping is local because several threads share a producer.
        std::vector<std::vector<message>> by_partition(static_cast<std::size_t>(partitions));
        for (auto& record : batch) {
            if (record.partition >= partitions) {
                throw std::invalid_argument(fmt::format("embedded: cannot produce to {}/{}: the topic has {} "
                                                        "partitions",
                                                        topic_name, record.partition, partitions));
            }
            const auto index = record.partition >= 0 ? record.partition
                                                     : core::kafka_partition_for_key(record.key, partitions);
            by_partition[static_cast<std::size_t>(index)].push_back(std::move(record));
        }
        for (int index = 0; index < partitions; ++index) {
            auto& records = by_partition[static_cast<std::size_t>(index)];
            if (!records.empty()) {
                target.append(index, records, 0, records.size());
            }
        }
        batch.clear();
    }

    // Records are stored when produce returns, so there is nothing to wait for.
    void flush() override {}

private:
    embedded_backend& backend_;
};

class embedded_consumer final : public consumer {
public:
    embedded_consumer(embedded_backend& backend, const std::string& group, const std::vector<std::string>& topics,
                      std::optional<std::int64_t> tail_records) {
        for (const auto& name : topics) {
            embedded_topic& topic = backend.topic(name);
            const int group_index = topic.add_group(group, &signal_, tail_records);
            topics_.push_back(&topic);
            for (int partition = 0; partition < topic.partition_count(); ++partition) {
                assignments_.push_back({&topic, partition, group_index});
            }
        }
    }

    ~embedded_consumer() override {
        for (auto* topic : topics_) {
            topic->remove_signal(&signal_);
        }
    }

    poll_status poll(std::vector<consumed_message>& out, std::size_t max_records,
                     std::chrono::milliseconds timeout) override {
        out.clear();
        signal_.reset();
        bool all_ended = read_available(out, max_records);
        if (out.empty() && !all_ended) {
            signal_.wait_for(timeout);
            all_ended = read_available(out, max_records);
        }
        if (!out.empty()) {
            return poll_status::records;
        }
        return all_ended ? poll_status::end : poll_status::idle;
    }

    // Embedded positions advance as records are read, and nothing survives
    // the process, so there is nothing more to store.
    void commit(const held_offsets&) override {}

    std::vector<core::partition_id> assigned_partitions(const std::string& topic) override {
        std::vector<core::partition_id> partitions;
        for (const auto& item : assignments_) {
            if (item.topic->name() == topic) {
                partitions.push_back(core::partition_id{item.partition});
            }
        }
        return partitions;
    }

    bool caught_up(const std::string& topic, core::partition_id partition) override {
        return read_to_end(topic, partition, false);
    }

    bool ended(const std::string& topic, core::partition_id partition) override {
        return read_to_end(topic, partition, true);
    }

    std::optional<std::int64_t> lag(const std::string& topic, core::partition_id partition) override {
        for (const auto& item : assignments_) {
            if (item.topic->name() == topic && item.partition == partition.value()) {
                partition_log& log = item.topic->partition(item.partition);
                std::lock_guard lock(log.mutex);
                return log.end_offset() - log.positions[static_cast<std::size_t>(item.group_index)];
            }
        }
        return std::nullopt;
    }

private:
    struct assignment {
        embedded_topic* topic;
        int partition;
        int group_index;
    };

    // Whether this group has read the partition to its current end (and,
    // with `closed`, whether the partition is also closed).
    bool read_to_end(const std::string& topic, core::partition_id partition, bool closed) {
        for (const auto& item : assignments_) {
            if (item.topic->name() == topic && item.partition == partition.value()) {
                partition_log& log = item.topic->partition(item.partition);
                std::lock_guard lock(log.mutex);
                return log.positions[static_cast<std::size_t>(item.group_index)] == log.end_offset()
                       && (!closed || log.closed);
            }
        }
        return true;
    }

    // Reads round-robin from the assigned partitions, starting after the one
    // read last, so a busy partition cannot starve the others. Returns true
    // when every assigned partition is closed and fully read.
    bool read_available(std::vector<consumed_message>& out, std::size_t max_records) {
        bool all_ended = true;
        for (std::size_t step = 0; step < assignments_.size(); ++step) {
            next_ = (next_ + 1) % assignments_.size();
            auto& [topic, partition, group_index] = assignments_[next_];
            partition_log& log = topic->partition(partition);
            std::unique_lock lock(log.mutex);
            auto& position = log.positions[static_cast<std::size_t>(group_index)];
            while (position < log.end_offset() && out.size() < max_records) {
                const message& stored = log.records[static_cast<std::size_t>(position - log.base_offset)];
                out.push_back({&topic->name(), core::partition_id{partition}, core::topic_offset{position},
                               stored.key, stored.value});
                ++position;
            }
            const bool ended = log.closed && position == log.end_offset();
            log.trim();
            lock.unlock();
            log.not_full.notify_all();
            all_ended = all_ended && ended;
        }
        return all_ended;
    }

    wake_signal signal_;
    std::vector<embedded_topic*> topics_;
    std::vector<assignment> assignments_;
    std::size_t next_ = 0;
};

} // namespace

embedded_backend::embedded_backend(int partitions, std::size_t partition_capacity)
    : partitions_(partitions), partition_capacity_(partition_capacity) {}

embedded_backend::~embedded_backend() = default;

embedded_topic& embedded_backend::topic(std::string_view name) {
    std::lock_guard lock(mutex_);
    auto it = topics_.find(name);
    if (it == topics_.end()) {
        it = topics_.emplace(std::string{name}, std::make_unique<embedded_topic>(std::string{name}, partitions_,
                                                                                  partition_capacity_))
                 .first;
    }
    return *it->second;
}

std::unique_ptr<producer> embedded_backend::make_producer() {
    return std::make_unique<embedded_producer>(*this);
}

std::unique_ptr<consumer> embedded_backend::make_consumer(const std::string& group,
                                                          const std::vector<std::string>& topics,
                                                          std::optional<std::int64_t> tail_records) {
    return std::make_unique<embedded_consumer>(*this, group, topics, tail_records);
}

void embedded_backend::close_topic(std::string_view name) {
    topic(name).close();
}

} // namespace radstream::topic
