#include "radstream/core/event_time.hpp"
#include "radstream/ingest/csv_reader.hpp"
#include "radstream/ingest/source.hpp"

#include <fmt/format.h>

#include <array>
#include <fstream>
#include <stdexcept>

namespace radstream::ingest {
namespace {

// The reading fields in source_reading order; the index is the slot used below.
constexpr std::array<std::string_view, 8> field_names{"captured_time", "latitude",  "longitude",     "value",
                                                      "unit",          "device_id", "location_name", "height"};

std::string* field_slot(source_reading& reading, std::size_t index) {
    switch (index) {
    case 0: return &reading.captured_time;
    case 1: return &reading.latitude;
    case 2: return &reading.longitude;
    case 3: return &reading.value;
    case 4: return &reading.unit;
    case 5: return &reading.device_id;
    case 6: return &reading.location_name;
    case 7: return &reading.height;
    }
    return nullptr;
}

// Reads a CSV file whose first record is a header, mapping header columns to
// reading fields. A cell that is empty, or a field without a column, takes
// the input's default for that field, if any.
class csv_source final : public source {
public:
    csv_source(const config::input_config& input, std::map<std::string, std::string> columns)
        : input_(input), file_(input.path, std::ios::binary), name_(input.path.filename().string()) {
        if (!file_) {
            throw std::runtime_error(fmt::format("{}: cannot open the input file; check inputs.path in the config",
                                                 input.path.string()));
        }
        reader_.emplace(file_, name_);
        if (!reader_->next(row_)) {
            return;  // an empty file has no readings
        }
        header_ = row_.fields;
        header_line_ = row_.line;
        for (std::size_t slot = 0; slot < field_names.size(); ++slot) {
            const auto column = columns.find(std::string{field_names[slot]});
            if (column == columns.end()) {
                continue;
            }
            if (const auto index = find_column(header_, column->second)) {
                column_of_[slot] = *index;
            } else if (slot < 5 && !input.defaults.contains(std::string{field_names[slot]})) {
                missing_columns_.push_back(column->second);
            }
        }
    }

    bool next(source_reading& out) override {
        if (header_.empty() || !reader_->next(row_)) {
            return false;
        }
        out = source_reading{};
        out.source = fmt::format("{}:{}", name_, row_.line);
        if (!row_.error.empty()) {
            return reject(out, row_.error);
        }
        if (!missing_columns_.empty()) {
            return reject(out, fmt::format("{}: the header on line {} has no column \"{}\"; fix the file or the "
                                           "input's columns mapping",
                                           out.source, header_line_, fmt::join(missing_columns_, "\", \"")));
        }
        if (row_.fields.size() != header_.size()) {
            return reject(out, fmt::format("{}: row has {} field{} but the header has {}; quote fields that "
                                           "contain commas",
                                           out.source, row_.fields.size(), row_.fields.size() == 1 ? "" : "s",
                                           header_.size()));
        }
        for (std::size_t slot = 0; slot < field_names.size(); ++slot) {
            std::string& target = *field_slot(out, slot);
            if (column_of_[slot]) {
                target = row_.fields[*column_of_[slot]];
            }
            if (target.empty()) {
                if (const auto fallback = input_.defaults.find(std::string{field_names[slot]});
                    fallback != input_.defaults.end()) {
                    target = fallback->second;
                }
            }
        }
        out.captured = core::parse_timestamp(out.captured_time);
        return true;
    }

    std::uint64_t bytes_read() override {
        const auto position = file_.rdbuf()->pubseekoff(0, std::ios::cur, std::ios::in);
        return position < 0 ? 0 : static_cast<std::uint64_t>(position);
    }

private:
    bool reject(source_reading& out, std::string message) {
        out.defect = "unparseable";
        out.defect_message = std::move(message);
        out.raw = row_.raw;
        return true;
    }

    const config::input_config& input_;
    std::ifstream file_;
    std::string name_;
    std::optional<csv_reader> reader_;
    csv_row row_;
    std::vector<std::string> header_;
    std::uint64_t header_line_ = 0;
    std::array<std::optional<std::size_t>, field_names.size()> column_of_{};
    std::vector<std::string> missing_columns_;
};

} // namespace

std::unique_ptr<source> make_safecast_csv_source(const config::input_config& input) {
    // The bulk export's header, as api.safecast.org writes it.
    std::map<std::string, std::string> columns{
        {"captured_time", "Captured Time"}, {"latitude", "Latitude"},           {"longitude", "Longitude"},
        {"value", "Value"},                 {"unit", "Unit"},                   {"device_id", "Device ID"},
        {"location_name", "Location Name"}, {"height", "Height"},
    };
    for (const auto& [field, column] : input.columns) {
        columns[field] = column;
    }
    return std::make_unique<csv_source>(input, std::move(columns));
}

std::unique_ptr<source> make_mapped_csv_source(const config::input_config& input) {
    // Without a mapping, each field is read from the column of its own name,
    // which is how a Python producer's CSV is usually laid out.
    std::map<std::string, std::string> columns;
    for (const auto name : field_names) {
        columns[std::string{name}] = std::string{name};
    }
    for (const auto& [field, column] : input.columns) {
        columns[field] = column;
    }
    return std::make_unique<csv_source>(input, std::move(columns));
}

} // namespace radstream::ingest
