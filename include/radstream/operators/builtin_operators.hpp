#pragma once

#include "radstream/config/app_config.hpp"
#include "radstream/core/event_time.hpp"
#include "radstream/graph/record_operator.hpp"

#include <memory>

namespace radstream::operators {

// Adds dedup, validate, enrich and route to the registry.
void register_builtin_operators(graph::operator_registry& registry);

// Whether a capture time is inside the accepted window
// [validate.min_capture_time, now + validate.max_clock_skew_seconds]. Dedup
// uses it too, so that a reading dated 2080 cannot age out the whole state.
bool capture_time_in_window(const config::validate_config& config, core::event_time captured, core::event_time now);

// Keeps the first reading of each composite key and marks later ones as
// duplicates. Readings without a usable key pass unchanged, for validate to
// reject.
std::unique_ptr<graph::record_operator> make_dedup_operator(const graph::operator_context& context);

// The first check a reading fails, in the order validate applies them
// (ingest defect, missing field, capture time, latitude, longitude, (0, 0),
// value, unit), or nothing when it passes. The process stage also uses it
// to let only valid capture times move event time.
std::optional<core::dirty_reason> find_problem(const graph::record& item, const config::validate_config& config,
                                               core::event_time now);

// Rejects readings that fail a check, with a dirty_reason and a message.
std::unique_ptr<graph::record_operator> make_validate_operator(const graph::operator_context& context);

// Sets CPM, dose rate, level and the critical flag. Expects validated readings.
std::unique_ptr<graph::record_operator> make_enrich_operator(const graph::operator_context& context);

// Sets the destination: critical-data, processed-data-output or dirty-data.
std::unique_ptr<graph::record_operator> make_route_operator(const graph::operator_context& context);

} // namespace radstream::operators
