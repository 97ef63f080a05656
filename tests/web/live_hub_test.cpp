#include "radstream/web/live_hub.hpp"

#include "radstream/core/event_time.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <mutex>
#include <thread>

using radstream::web::live_hub;

namespace {

// Collects what the hub offers, as a browser session would queue it.
class recording_client final : public live_hub::client {
public:
    bool offer(std::shared_ptr<const std::string> message) override {
        std::lock_guard lock(mutex_);
        messages_.push_back(*message);
        return true;
    }

    std::vector<std::string> messages() const {
        std::lock_guard lock(mutex_);
        return messages_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> messages_;
};

std::string reading(double latitude, double longitude, bool critical, int value) {
    return R"({"status":"processed","lat":)" + std::to_string(latitude) + R"(,"lon":)" + std::to_string(longitude)
           + R"(,"critical":)" + (critical ? "true" : "false") + R"(,"value":)" + std::to_string(value) + "}";
}

} // namespace

TEST_CASE("hub sends history then batches", "[web]") {
    live_hub hub(std::chrono::milliseconds{20}, 2, 1000);
    hub.start();
    hub.publish(reading(37.5, 140.9, false, 1));
    hub.publish(reading(37.5, 140.9, false, 2));
    hub.publish(reading(37.5, 140.9, false, 3));
    std::this_thread::sleep_for(std::chrono::milliseconds{100});

    auto client = std::make_shared<recording_client>();
    hub.subscribe(client);
    hub.publish(reading(35.0, 139.0, false, 4));
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    hub.stop();

    const auto messages = client->messages();
    REQUIRE(messages.size() == 2);
    // The history keeps the newest 2 readings.
    CHECK(messages[0].rfind(R"({"type":"history","thinned":0,"readings":[)", 0) == 0);
    CHECK(messages[0].find(R"("value":2)") != std::string::npos);
    CHECK(messages[0].find(R"("value":3)") != std::string::npos);
    CHECK(messages[0].find(R"("value":1})") == std::string::npos);
    CHECK(messages[1].rfind(R"({"type":"readings","thinned":0,"readings":[)", 0) == 0);
    CHECK(messages[1].find(R"("value":4)") != std::string::npos);
}

TEST_CASE("hub thins a busy batch per cell", "[web]") {
    live_hub hub(std::chrono::milliseconds{200}, 10, 100);
    auto client = std::make_shared<recording_client>();
    hub.subscribe(client);
    // 300 readings in 3 cells of 0.1 degree (100 each), one of them
    // critical; expected by hand: the newest of each cell (values 99, 199,
    // 299) and the critical one (value 50) stay, 296 are thinned.
    for (int i = 0; i < 300; ++i) {
        const double latitude = 37.5 + (i / 100) * 1.0;
        hub.publish(reading(latitude, 140.9 + (i % 100) * 0.0001, i == 50, i));
    }
    hub.start();
    std::this_thread::sleep_for(std::chrono::milliseconds{400});
    hub.stop();

    const auto messages = client->messages();
    REQUIRE(messages.size() == 2);  // empty history, then the batch
    simdjson::dom::parser parser;
    simdjson::dom::element batch = parser.parse(messages[1]);
    CHECK(std::int64_t(batch["thinned"]) == 296);
    std::vector<std::int64_t> values;
    for (auto record : batch["readings"].get_array()) {
        values.push_back(std::int64_t(record["value"]));
    }
    CHECK(values == std::vector<std::int64_t>{50, 99, 199, 299});
    CHECK(hub.readings_thinned() == 296);
}

TEST_CASE("hub measures ingest to websocket latency", "[web]") {
    live_hub hub(std::chrono::milliseconds{20}, 10, 1000);
    // Published with no browser connected: not measured.
    hub.publish(R"({"lat":1,"lon":2,"ingestion_timestamp":"2020-01-01T00:00:00Z"})");
    hub.start();
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    CHECK(hub.ingest_to_websocket().summarize().count == 0);

    auto client = std::make_shared<recording_client>();
    hub.subscribe(client);
    // Ingested 2 s ago; one reading without the field and one with a bad
    // time are sent but not measured.
    const auto ingested = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now())
                          - std::chrono::seconds{2};
    hub.publish(R"({"lat":1,"lon":2,"ingestion_timestamp":")" + radstream::core::format_timestamp(ingested) + R"("})");
    hub.publish(R"({"lat":1,"lon":2})");
    hub.publish(R"({"lat":1,"lon":2,"ingestion_timestamp":"yesterday"})");
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    hub.stop();

    const auto latency = hub.ingest_to_websocket().summarize();
    CHECK(latency.count == 1);
    CHECK(latency.max_micros >= 2000000);
    CHECK(latency.max_micros < 3000000);
    CHECK(client->messages().size() == 2);
}
