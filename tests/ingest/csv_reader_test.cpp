#include "radstream/ingest/csv_reader.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using radstream::ingest::csv_reader;
using radstream::ingest::csv_row;
using radstream::ingest::find_column;

// Chunk sizes of 1 to 7 bytes put chunk boundaries inside the byte-order
// mark, inside CRLF pairs, inside quoted fields and between doubled quotes.
constexpr std::array<std::size_t, 8> chunk_sizes = {1, 2, 3, 4, 5, 7, 16, 1 << 16};

std::filesystem::path fixture_path(const std::string& name) {
    return std::filesystem::path(__FILE__).parent_path().parent_path() / "data" / "ingest" / name;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<csv_row> read_rows(const std::string& text, const std::string& file_name, std::size_t chunk_bytes) {
    std::istringstream in(text);
    csv_reader reader(in, file_name, chunk_bytes);
    std::vector<csv_row> rows;
    csv_row row;
    while (reader.next(row)) {
        rows.push_back(row);
    }
    return rows;
}

std::vector<csv_row> read_fixture(const std::string& name, std::size_t chunk_bytes) {
    return read_rows(read_file(fixture_path(name)), name, chunk_bytes);
}

void check_row(const csv_row& row, std::uint64_t line, const std::vector<std::string>& fields) {
    CHECK(row.line == line);
    CHECK(row.fields == fields);
    CHECK(row.error.empty());
}

// Directory of the Safecast sample files, from RADSTREAM_SHARED_DATA.
std::filesystem::path shared_data_dir() {
    const char* configured = std::getenv("RADSTREAM_SHARED_DATA");
    // The shared folder sits beside the checkout, here and in CI.
    return configured != nullptr ? configured : RADSTREAM_SOURCE_DIR "/../shared/data/safecast";
}

// Reads a whole real file and checks that every record after the header has
// the header's field count and no error. Returns the number of data records.
std::size_t count_consistent_records(const std::filesystem::path& path, std::size_t chunk_bytes,
                                     std::vector<std::string>& header) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    csv_reader reader(in, path.filename().string(), chunk_bytes);
    csv_row row;
    REQUIRE(reader.next(row));
    header = row.fields;

    std::size_t records = 0;
    std::size_t inconsistent = 0;
    while (reader.next(row)) {
        ++records;
        if (row.fields.size() != header.size() || !row.error.empty()) {
            ++inconsistent;
            UNSCOPED_INFO("line " << row.line << ": " << row.fields.size() << " fields, error \"" << row.error
                                  << "\"");
        }
    }
    CHECK(inconsistent == 0);
    return records;
}

}  // namespace

TEST_CASE("csv reader unquotes commas, doubled quotes and line breaks", "[ingest]") {
    for (std::size_t chunk : chunk_sizes) {
        DYNAMIC_SECTION("chunk of " << chunk << " bytes") {
            const auto rows = read_fixture("csv_quoted_fields.csv", chunk);

            REQUIRE(rows.size() == 7);
            check_row(rows[0], 1, {"id", "text", "note"});
            check_row(rows[1], 2, {"1", "a, b", "plain"});
            check_row(rows[2], 3, {"2", "she said \"hi\"", "x"});
            check_row(rows[3], 4, {"3", "two\nlines", "y"});
            check_row(rows[4], 6, {"4", "crlf\r\ninside", "z"});
            check_row(rows[5], 8, {"5", "", ""});
            check_row(rows[6], 9, {"6", "\"", "end"});
            CHECK(rows[1].raw == "1,\"a, b\",plain");
            CHECK(rows[3].raw == "3,\"two\nlines\",y");
            CHECK(rows[4].raw == "4,\"crlf\r\ninside\",z");
        }
    }
}

TEST_CASE("csv reader skips a byte-order mark only at the start", "[ingest]") {
    for (std::size_t chunk : chunk_sizes) {
        DYNAMIC_SECTION("file with CRLF, chunk of " << chunk << " bytes") {
            const auto rows = read_fixture("csv_bom_crlf.csv", chunk);

            REQUIRE(rows.size() == 3);
            check_row(rows[0], 1, {"name", "value"});
            check_row(rows[1], 2, {"alpha", "1"});
            check_row(rows[2], 3, {"be\r\nta", "2"});
            CHECK(rows[0].raw == "name,value");
        }
    }

    SECTION("a file that is only the mark has no records") {
        CHECK(read_rows("\xEF\xBB\xBF", "bom.csv", 2).empty());
    }
    SECTION("an incomplete mark is field text") {
        const auto rows = read_rows("\xEF\xBBx,y\n", "bom.csv", 1);
        REQUIRE(rows.size() == 1);
        check_row(rows[0], 1, {"\xEF\xBBx", "y"});
    }
    SECTION("a mark after the start is field text") {
        const auto rows = read_rows("a\n\xEF\xBB\xBF" "b\n", "bom.csv", 3);
        REQUIRE(rows.size() == 2);
        check_row(rows[1], 2, {"\xEF\xBB\xBF" "b"});
    }
}

TEST_CASE("csv reader ends records at LF, CRLF and lone CR", "[ingest]") {
    for (std::size_t chunk : chunk_sizes) {
        DYNAMIC_SECTION("mixed line breaks, chunk of " << chunk << " bytes") {
            const auto rows = read_rows("a,b\r\nc,d\ne,f\rg,h\r\r\ni,j", "breaks.csv", chunk);

            REQUIRE(rows.size() == 5);
            check_row(rows[0], 1, {"a", "b"});
            check_row(rows[1], 2, {"c", "d"});
            check_row(rows[2], 3, {"e", "f"});
            check_row(rows[3], 4, {"g", "h"});
            // The lone CR after "g,h" ends line 4, and the CRLF after it is an empty line 5.
            check_row(rows[4], 6, {"i", "j"});
            CHECK(rows[3].raw == "g,h");
        }
    }
}

TEST_CASE("csv reader returns a last record without a line break", "[ingest]") {
    for (std::size_t chunk : chunk_sizes) {
        DYNAMIC_SECTION("chunk of " << chunk << " bytes") {
            const auto rows = read_fixture("csv_no_final_newline.csv", chunk);

            REQUIRE(rows.size() == 3);
            check_row(rows[2], 3, {"beta", "2"});
            CHECK(rows[2].raw == "beta,2");
        }
    }

    SECTION("a trailing comma gives an empty last field") {
        const auto rows = read_rows("a,", "comma.csv", 1);
        REQUIRE(rows.size() == 1);
        check_row(rows[0], 1, {"a", ""});
    }
    SECTION("a closed quote at the end of input ends the field") {
        const auto rows = read_rows("a,\"b\"", "quote.csv", 1);
        REQUIRE(rows.size() == 1);
        check_row(rows[0], 1, {"a", "b"});
    }
}

TEST_CASE("csv reader skips blank lines and keeps counting them", "[ingest]") {
    for (std::size_t chunk : chunk_sizes) {
        DYNAMIC_SECTION("chunk of " << chunk << " bytes") {
            const auto rows = read_fixture("csv_blank_lines.csv", chunk);

            REQUIRE(rows.size() == 3);
            check_row(rows[0], 2, {"name", "value"});
            check_row(rows[1], 5, {"alpha", "1"});
            check_row(rows[2], 7, {"beta", "2"});
        }
    }

    SECTION("a line of spaces is a record") {
        const auto rows = read_rows("  \n", "spaces.csv", 1);
        REQUIRE(rows.size() == 1);
        check_row(rows[0], 1, {"  "});
    }
    SECTION("empty input has no records") {
        CHECK(read_rows("", "empty.csv", 4).empty());
        CHECK(read_rows("\n\r\n\r", "empty.csv", 4).empty());
    }
}

TEST_CASE("csv reader reports malformed quotes and continues", "[ingest]") {
    const std::string fix = "; quote the whole field and double inner quotes";
    for (std::size_t chunk : chunk_sizes) {
        DYNAMIC_SECTION("chunk of " << chunk << " bytes") {
            const auto rows = read_fixture("csv_malformed_rows.csv", chunk);

            REQUIRE(rows.size() == 6);
            check_row(rows[0], 1, {"id", "name", "note"});

            CHECK(rows[1].line == 2);
            CHECK(rows[1].error == "csv_malformed_rows.csv:2: quote inside unquoted field 2" + fix);
            CHECK(rows[1].fields == std::vector<std::string>{"1", "ab"});
            CHECK(rows[1].raw == "1,ab\"c,x");

            CHECK(rows[2].line == 3);
            CHECK(rows[2].error == "csv_malformed_rows.csv:3: text after closing quote in field 2" + fix);
            CHECK(rows[2].fields == std::vector<std::string>{"2", "abc"});
            CHECK(rows[2].raw == "2,\"abc\"d,y");

            check_row(rows[3], 4, {"3", "fine, really", "z"});

            // The record starts on line 5, and the stray text follows the quote that closes on line 6.
            CHECK(rows[4].line == 5);
            CHECK(rows[4].error == "csv_malformed_rows.csv:6: text after closing quote in field 2" + fix);
            CHECK(rows[4].raw == "4,\"multi\nline\"x,w");

            check_row(rows[5], 7, {"5", "ok", "ok"});
        }
    }
}

TEST_CASE("csv reader reports an unterminated quote and stops", "[ingest]") {
    for (std::size_t chunk : chunk_sizes) {
        DYNAMIC_SECTION("chunk of " << chunk << " bytes") {
            std::istringstream in(read_file(fixture_path("csv_unterminated_quote_at_end.csv")));
            csv_reader reader(in, "csv_unterminated_quote_at_end.csv", chunk);
            csv_row row;

            REQUIRE(reader.next(row));
            check_row(row, 1, {"a", "b"});

            REQUIRE(reader.next(row));
            CHECK(row.line == 2);
            CHECK(row.error ==
                  "csv_unterminated_quote_at_end.csv:2: unterminated quoted field 2 runs to the end of input; add the "
                  "closing quote or double the quotes inside the field");
            CHECK(row.fields == std::vector<std::string>{"1", "open\nstill open\n"});
            CHECK(row.raw == "1,\"open\nstill open\n");

            CHECK_FALSE(reader.next(row));
            CHECK_FALSE(reader.next(row));
        }
    }

    SECTION("the message names the line of the opening quote") {
        const auto rows = read_rows("a,\"b\nc\",\"d\n", "late.csv", 3);
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].line == 1);
        CHECK(rows[0].error ==
              "late.csv:2: unterminated quoted field 3 runs to the end of input; add the closing quote or double "
              "the quotes inside the field");
    }
}

TEST_CASE("csv reader reuses the row and clears stale values", "[ingest]") {
    std::istringstream in("a,b,c\n\"x\"y\nd\n");
    csv_reader reader(in, "reuse.csv", 2);
    csv_row row;

    REQUIRE(reader.next(row));
    CHECK(row.fields.size() == 3);
    const auto* first_field_storage = row.fields.data();

    REQUIRE(reader.next(row));
    CHECK_FALSE(row.error.empty());

    REQUIRE(reader.next(row));
    check_row(row, 3, {"d"});
    CHECK(row.raw == "d");
    CHECK(row.fields.data() == first_field_storage);
    CHECK_FALSE(reader.next(row));
}

TEST_CASE("csv reader caps the raw text at 1024 bytes", "[ingest]") {
    const std::string long_field(3000, 'x');
    const auto rows = read_rows("\"" + long_field + "\",y\nshort\n", "long.csv", 100);

    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields[0] == long_field);
    CHECK(rows[0].raw.size() == csv_row::max_raw_bytes);
    CHECK(rows[0].raw == "\"" + long_field.substr(0, csv_row::max_raw_bytes - 1));
    check_row(rows[1], 2, {"short"});
}

namespace {

// Stream buffer that serves `text` and then fails the next read, as a
// failing disk would.
class failing_buffer : public std::streambuf {
public:
    explicit failing_buffer(std::string text) : text_(std::move(text)) {}

protected:
    int_type underflow() override {
        if (served_) {
            throw std::runtime_error("simulated read failure");
        }
        served_ = true;
        setg(text_.data(), text_.data(), text_.data() + text_.size());
        return traits_type::to_int_type(text_[0]);
    }

private:
    std::string text_;
    bool served_ = false;
};

}  // namespace

TEST_CASE("csv reader reports a failed stream as a row", "[ingest]") {
    failing_buffer buffer("a,b\nc,");
    std::istream in(&buffer);
    csv_reader reader(in, "failing.csv", 4);
    csv_row row;

    REQUIRE(reader.next(row));
    check_row(row, 1, {"a", "b"});

    REQUIRE(reader.next(row));
    CHECK(row.line == 2);
    CHECK(row.error == "failing.csv:2: reading the input failed; check that the file is readable, then read it again");
    CHECK_FALSE(reader.next(row));
}

TEST_CASE("find_column ignores case and surrounding spaces", "[ingest]") {
    const std::vector<std::string> header = {" Captured Time ", "LATITUDE", "Value\t", "unit"};

    CHECK(find_column(header, "captured time") == 0);
    CHECK(find_column(header, "  Latitude") == 1);
    CHECK(find_column(header, "value") == 2);
    CHECK(find_column(header, "UNIT") == 3);

    SECTION("a prefix or an unknown name does not match") {
        CHECK_FALSE(find_column(header, "lat").has_value());
        CHECK_FALSE(find_column(header, "captured").has_value());
        CHECK_FALSE(find_column(header, "device_id").has_value());
        CHECK_FALSE(find_column(header, "").has_value());
    }
    SECTION("the first of two equal names wins") {
        CHECK(find_column({"a", "b", "A"}, "a") == 0);
    }
}

// The fixture contains lines 1, 3, 21 and 40 of safecast-api-2024Q1.csv, a
// Safecast API export (CC0) kept in MehowBd/Safecast-Radiation-Dataset-Analysis.
TEST_CASE("csv reader reads quoted commas from a Safecast API export", "[ingest]") {
    const auto rows = read_fixture("csv_quoted_commas_safecast_api.csv", 5);

    REQUIRE(rows.size() == 4);
    REQUIRE(rows[1].fields.size() == 10);
    CHECK(rows[1].fields[2] == "St Petersburg, FL, USA");
    CHECK(rows[1].fields[9] == "-82.6289");
    REQUIRE(rows[2].fields.size() == 10);
    CHECK(rows[2].fields[6] ==
          "DeviceID:10016,Temperature:17.6,Battery Voltage:8.14,Fails:11170,Restarts:11354,FreeRam:53636,Last "
          "failure:,NTP count:1");
    CHECK(rows[2].fields[7].empty());
    REQUIRE(rows[3].fields.size() == 10);
    CHECK(rows[3].fields[2] == "Bad Pyrmont, DE");
}

// The record counts and header sizes were checked with Python's csv module in
// strict mode, and the counts match the row counts published with the samples.
TEST_CASE("csv reader reads the real Safecast exports", "[ingest]") {
    const auto dir = shared_data_dir();
    if (!std::filesystem::exists(dir)) {
        // CI always has the shared folder beside the checkout, so there a
        // missing folder is a broken set-up, not a reason to skip.
        if (std::getenv("CI") != nullptr) {
            FAIL("Safecast sample directory " << dir << " not found; set RADSTREAM_SHARED_DATA");
        }
        WARN("skipped: Safecast sample directory " << dir << " not found; set RADSTREAM_SHARED_DATA");
        return;
    }

    std::vector<std::string> header;

    SECTION("API export with quoted commas") {
        const auto path = dir / "api-json-fields" / "safecast-api-2024Q1.csv";
        CHECK(count_consistent_records(path, 1 << 16, header) == 16'320);
        CHECK(header.size() == 10);
        CHECK(find_column(header, "captured_at") == 3);
        CHECK(count_consistent_records(path, 7, header) == 16'320);
    }
    SECTION("Solarcast ingest export with quoted fields") {
        const auto path = dir / "solarcast-ingest" / "output-2020-02-01T00_00_00+00_00.csv";
        CHECK(count_consistent_records(path, 1 << 16, header) == 26'212);
        CHECK(header.size() == 15);
        CHECK(find_column(header, "lnd_7318c") == 12);
        CHECK(count_consistent_records(path, 7, header) == 26'212);
    }
    SECTION("bulk exports without a final newline") {
        CHECK(count_consistent_records(dir / "api-csv-export" / "safecast-dump-1.csv", 4, header) == 2);
        CHECK(count_consistent_records(dir / "api-csv-export" / "safecast-dump-2.csv", 4, header) == 8);
        CHECK(header.size() == 13);
    }
    SECTION("the (corrupt) line is a well-formed record with one field") {
        const auto rows = read_rows(read_file(dir / "api-csv-export" / "safecast-dump-corrupt.csv"),
                                    "safecast-dump-corrupt.csv", 1 << 16);
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].fields.size() == 13);
        check_row(rows[1], 2, {"(corrupt)"});
    }
}
