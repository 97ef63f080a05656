#include "radstream/operators/builtin_operators.hpp"

namespace radstream::operators {
namespace {

class route_operator final : public graph::record_operator {
public:
    bool sees_rejected() const override { return true; }

    void process(graph::record& item) override {
        switch (item.state) {
        case graph::disposition::dirty: item.target = graph::destination::dirty; break;
        case graph::disposition::duplicate:
        case graph::disposition::filtered: item.target = graph::destination::none; break;
        case graph::disposition::pass:
            item.target = item.critical ? graph::destination::critical : graph::destination::processed;
            break;
        }
    }
};

} // namespace

std::unique_ptr<graph::record_operator> make_route_operator(const graph::operator_context&) {
    return std::make_unique<route_operator>();
}

} // namespace radstream::operators
