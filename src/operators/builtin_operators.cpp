#include "radstream/operators/builtin_operators.hpp"

namespace radstream::operators {

void register_builtin_operators(graph::operator_registry& registry) {
    registry.add("dedup", make_dedup_operator);
    registry.add("validate", make_validate_operator);
    registry.add("enrich", make_enrich_operator);
    registry.add("route", make_route_operator);
}

} // namespace radstream::operators
