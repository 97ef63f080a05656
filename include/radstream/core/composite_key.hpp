#pragma once

#include "radstream/core/event_time.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace radstream::core {

// Builds the normal form of a reading's composite key (latitude, longitude,
// value, capture time, unit), so that one reading gets one key whatever its
// spelling: numbers in their shortest round-trip form (`42` for 42.0),
// the capture time as format_timestamp writes it, the unit as normalize_unit
// returns it. Example: `34.6260916666667|138.138006666667|33|2013-02-02T18:42:29Z|cpm`.
std::string make_composite_key(double latitude, double longitude, double value, event_time captured,
                               std::string_view normal_unit);

// Trims ASCII white space (line breaks included), lower-cases ASCII letters and spells the micro
// sign (U+00B5) and the Greek mu (U+03BC) as `u`, so `µSv/h ` becomes `usv/h`.
std::string normalize_unit(std::string_view unit);

// Kafka's murmur2 hash (the Java client's Utils.murmur2, seed 0x9747b28c), so
// that radstream and Java producers put one key on one partition.
std::uint32_t murmur2(std::string_view data);

// The partition the Java client's default partitioner picks for a keyed
// record: the murmur2 hash with its sign bit cleared, modulo the count.
std::int32_t kafka_partition_for_key(std::string_view key, std::int32_t partition_count);

} // namespace radstream::core
