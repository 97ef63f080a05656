#include "radstream/core/logging.hpp"
#include "radstream/sink/topic_sink.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace radstream::sink {
namespace {

class jsonl_sink final : public topic_sink {
public:
    explicit jsonl_sink(const sink_context& context)
        : topic_sink(context.backend, context.config.kafka.group_id + "-jsonl", output_topics(context.config)) {
        const auto& dir = context.config.embedded.output_dir;
        output_dir_ = dir;
        std::error_code error;
        std::filesystem::create_directories(dir, error);
        if (error) {
            throw std::runtime_error(fmt::format("embedded.output_dir: cannot create \"{}\": {}; choose a writable "
                                                 "folder",
                                                 dir.string(), error.message()));
        }
        for (const auto& name : output_topics(context.config)) {
            const auto path = dir / (name + ".jsonl");
            std::FILE* file = std::fopen(path.c_str(), "wb");
            if (file == nullptr) {
                throw std::runtime_error(fmt::format("{}: cannot open for writing; check embedded.output_dir",
                                                     path.string()));
            }
            files_.emplace(name, file);
        }
    }

    ~jsonl_sink() override {
        stop_and_join();
        for (auto& [name, file] : files_) {
            if (std::fclose(file) != 0) {
                core::stage_logger("sink")->error("closing {}.jsonl failed; its last lines may be missing", name);
            }
        }
    }

private:
    static std::vector<std::string> output_topics(const config::app_config& config) {
        std::vector<std::string> topics{config.topics.processed, config.topics.critical, config.topics.dirty};
        if (config.event_time.late == config::late_policy::topic) {
            topics.push_back(config.event_time.late_topic);
        }
        return topics;
    }

    void write(const topic::consumed_message& record) override {
        std::FILE* file = files_.at(*record.topic);
        const bool written = std::fwrite(record.value.data(), 1, record.value.size(), file) == record.value.size()
                             && std::fputc('\n', file) != EOF;
        if (!written) {
            report_write_failure(*record.topic);
        }
    }

    // Logs the first failed write per topic (a full disk fails every write
    // after it) and counts them all.
    void report_write_failure(const std::string& topic) {
        if (failed_writes_[topic]++ == 0) {
            core::stage_logger("sink")->error("writing {}.jsonl in {} failed: {}; records are still in the topic, "
                                              "but this file is incomplete (free disk space)",
                                              topic, output_dir_.string(), std::strerror(errno));
        }
    }

    void flush() override {
        for (auto& [name, file] : files_) {
            if (std::fflush(file) != 0) {
                report_write_failure(name);
            }
        }
    }

    std::filesystem::path output_dir_;
    std::map<std::string, std::FILE*> files_;
    std::map<std::string, std::uint64_t> failed_writes_;
};

} // namespace

std::unique_ptr<topic_sink> make_jsonl_sink(const sink_context& context) {
    return std::make_unique<jsonl_sink>(context);
}

} // namespace radstream::sink
