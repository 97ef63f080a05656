#include "radstream/core/event_time.hpp"

#include <fmt/format.h>

#include <charconv>

namespace radstream::core {
namespace {

// Reads exactly `width` ASCII digits at `pos`.
bool read_digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
    if (pos + width > text.size()) {
        return false;
    }
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') {
            return false;
        }
        value = value * 10 + (c - '0');
    }
    out = value;
    return true;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

} // namespace

std::optional<event_time> parse_timestamp(std::string_view text) {
    using namespace std::chrono;
    text = trim(text);

    int year = 0;
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    if (!read_digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-'
        || !read_digits(text, 5, 2, month) || text[7] != '-' || !read_digits(text, 8, 2, day)
        || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')
        || !read_digits(text, 11, 2, hour) || text[13] != ':'
        || !read_digits(text, 14, 2, minute) || text[16] != ':'
        || !read_digits(text, 17, 2, second)) {
        return std::nullopt;
    }
    const year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                              std::chrono::day{static_cast<unsigned>(day)}};
    // A leap second (60) is not representable in sys_time, and no Safecast
    // device reports one, so it is rejected with the other impossible fields.
    if (!date.ok() || hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }

    std::size_t pos = 19;
    int millis = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int scale = 100;
        const std::size_t first_digit = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            millis += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == first_digit) {
            return std::nullopt;
        }
    }

    minutes offset{0};
    if (pos < text.size()) {
        const char zone = text[pos];
        if ((zone == 'Z' || zone == 'z') && pos + 1 == text.size()) {
            pos = text.size();
        } else if (zone == '+' || zone == '-') {
            int offset_hours = 0;
            int offset_minutes = 0;
            std::size_t minutes_pos = pos + 3;
            if (!read_digits(text, pos + 1, 2, offset_hours)) {
                return std::nullopt;
            }
            if (minutes_pos < text.size() && text[minutes_pos] == ':') {
                ++minutes_pos;
            }
            if (!read_digits(text, minutes_pos, 2, offset_minutes) || minutes_pos + 2 != text.size()
                || offset_hours > 23 || offset_minutes > 59) {
                return std::nullopt;
            }
            offset = hours{offset_hours} + minutes{offset_minutes};
            if (zone == '-') {
                offset = -offset;
            }
        } else {
            return std::nullopt;
        }
    }

    const auto midnight = sys_days{date};
    return event_time{midnight + hours{hour} + minutes{minute} + seconds{second} + milliseconds{millis}
                      - offset};
}

void append_timestamp(std::string& out, event_time time) {
    using namespace std::chrono;
    const auto day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss clock{time - day};
    const auto millis = clock.subseconds().count();
    fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(date.year()),
                   static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), clock.hours().count(),
                   clock.minutes().count(), clock.seconds().count());
    if (millis != 0) {
        fmt::format_to(std::back_inserter(out), ".{:03}", millis);
    }
    out.push_back('Z');
}

std::string format_timestamp(event_time time) {
    std::string out;
    append_timestamp(out, time);
    return out;
}

} // namespace radstream::core
