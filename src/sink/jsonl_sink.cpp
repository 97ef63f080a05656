#include "radstream/core/logging.hpp"
#include "radstream/sink/topic_sink.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace radstream::sink {
namespace {

class jsonl_sink final : public topic_sink {
public:
    explicit jsonl_sink(const sink_context& context)
        : topic_sink(context.backend, "radstream-jsonl", output_topics(context.config)) {
        const auto& dir = context.config.embedded.output_dir;
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
        return {config.topics.processed, config.topics.critical, config.topics.dirty};
    }

    void write(const topic::consumed_message& record) override {
        std::FILE* file = files_.at(*record.topic);
        std::fwrite(record.value.data(), 1, record.value.size(), file);
        std::fputc('\n', file);
    }

    void flush() override {
        for (auto& [name, file] : files_) {
            std::fflush(file);
        }
    }

    std::map<std::string, std::FILE*> files_;
};

} // namespace

std::unique_ptr<topic_sink> make_jsonl_sink(const sink_context& context) {
    return std::make_unique<jsonl_sink>(context);
}

} // namespace radstream::sink
