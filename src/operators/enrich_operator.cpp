#include "radstream/operators/builtin_operators.hpp"

namespace radstream::operators {
namespace {

class enrich_operator final : public graph::record_operator {
public:
    explicit enrich_operator(const graph::operator_context& context) : config_(context.config) {}

    // Thresholds apply to CPM, so a reading in another unit is converted
    // first with the factor validate accepted it for.
    void process(graph::record& item) override {
        // Without validate in process.operators a reading may lack a number.
        if (!item.value.number || !item.latitude.number || !item.longitude.number) {
            item.reject(core::dirty_reason::missing_field,
                        "enrich needs numeric value, latitude and longitude; put validate before enrich in "
                        "process.operators");
            return;
        }
        const auto& enrich = config_.enrich;
        const auto factor = config_.validate.units.find(item.normal_unit);
        item.cpm = *item.value.number * (factor == config_.validate.units.end() ? 1.0 : factor->second);
        item.dose_usvh = item.cpm / enrich.cpm_per_usvh;
        if (item.cpm < enrich.moderate_cpm) {
            item.reading_level = graph::level::low;
        } else if (item.cpm < enrich.high_cpm) {
            item.reading_level = graph::level::moderate;
        } else {
            item.reading_level = graph::level::high;
        }
        item.critical = item.cpm >= enrich.critical_cpm;
    }

private:
    const config::app_config& config_;
};

} // namespace

std::unique_ptr<graph::record_operator> make_enrich_operator(const graph::operator_context& context) {
    return std::make_unique<enrich_operator>(context);
}

} // namespace radstream::operators
