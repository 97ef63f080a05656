#include "radstream/graph/record_operator.hpp"

#include "radstream/operators/builtin_operators.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace radstream::graph {

void counters_snapshot::add(const partition_counters& counters) {
    const auto read = [](const std::atomic<std::uint64_t>& value) { return value.load(std::memory_order_relaxed); };
    input += read(counters.input);
    processed += read(counters.processed);
    critical += read(counters.critical);
    dirty += read(counters.dirty);
    duplicates += read(counters.duplicates);
    filtered += read(counters.filtered);
    late += read(counters.late);
    late_topic += read(counters.late_topic);
    for (std::size_t i = 0; i < dirty_by_reason.size(); ++i) {
        dirty_by_reason[i] += read(counters.dirty_by_reason[i]);
    }
    dedup_entries += read(counters.dedup_entries);
    dedup_evicted_ttl += read(counters.dedup_evicted_ttl);
    dedup_evicted_capacity += read(counters.dedup_evicted_capacity);
}

void restore_record_counts(partition_counters& counters, const counters_snapshot& saved) {
    const auto write = [](std::atomic<std::uint64_t>& value, std::uint64_t count) {
        value.store(count, std::memory_order_relaxed);
    };
    write(counters.input, saved.input);
    write(counters.processed, saved.processed);
    write(counters.critical, saved.critical);
    write(counters.dirty, saved.dirty);
    write(counters.duplicates, saved.duplicates);
    write(counters.filtered, saved.filtered);
    write(counters.late, saved.late);
    write(counters.late_topic, saved.late_topic);
    for (std::size_t i = 0; i < saved.dirty_by_reason.size(); ++i) {
        write(counters.dirty_by_reason[i], saved.dirty_by_reason[i]);
    }
}

operator_registry::operator_registry() {
    operators::register_builtin_operators(*this);
}

operator_registry& operator_registry::instance() {
    static operator_registry registry;
    return registry;
}

void operator_registry::add(const std::string& name, operator_factory factory) {
    std::lock_guard lock(mutex_);
    if (!factories_.emplace(name, std::move(factory)).second) {
        throw std::invalid_argument(fmt::format("operator \"{}\" is already registered; pick another name", name));
    }
}

std::unique_ptr<record_operator> operator_registry::create(const std::string& name,
                                                           const operator_context& context) const {
    operator_factory factory;
    {
        std::lock_guard lock(mutex_);
        const auto it = factories_.find(name);
        if (it == factories_.end()) {
            throw std::invalid_argument(fmt::format("process.operators: unknown operator \"{}\"; known operators: {}",
                                                    name, fmt::join(names_locked(), ", ")));
        }
        factory = it->second;
    }
    return factory(context);
}

std::vector<std::string> operator_registry::names() const {
    std::lock_guard lock(mutex_);
    return names_locked();
}

std::vector<std::string> operator_registry::names_locked() const {
    std::vector<std::string> result;
    for (const auto& [name, factory] : factories_) {
        result.push_back(name);
    }
    return result;
}

} // namespace radstream::graph
