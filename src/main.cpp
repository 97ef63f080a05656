#include "radstream/app/runtime.hpp"
#include "radstream/config/app_config.hpp"
#include "radstream/core/logging.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
    using namespace radstream;

    CLI::App cli{"radstream: a real-time radiation data pipeline in one binary.\n"
                 "Without a subcommand it runs every stage: ingest, process and serve."};
    cli.set_version_flag("--version", std::string{RADSTREAM_VERSION});
    cli.fallthrough();
    std::string config_path = "radstream.toml";
    std::string log_level;
    app::run_options options;
    cli.add_option("-c,--config", config_path, "Path of the TOML config file")->capture_default_str();
    cli.add_option("--log-level", log_level, "Log level: trace, debug, info, warn, error or off (overrides log.level)");
    cli.add_flag("--exit-when-done", options.exit_when_done,
                 "Ingest every input (or, for process alone, read the input topic up to its end at start), drain, print "
                 "the summary and exit");
    auto* ingest = cli.add_subcommand("ingest", "Run only ingest: read the inputs into the input topic (needs kafka.brokers)");
    auto* process = cli.add_subcommand("process", "Run only process: input topic to output topics (needs kafka.brokers)");
    auto* serve = cli.add_subcommand("serve", "Run only the map and sinks, fed from the output topics (needs kafka.brokers)");
    auto* check_config = cli.add_subcommand("check-config", "Check the config file and exit: 0 when valid, 2 with "
                                                            "every problem listed");
    cli.require_subcommand(0, 1);
    CLI11_PARSE(cli, argc, argv);

    if (*ingest) {
        options.stages = app::role::ingest;
    } else if (*process) {
        options.stages = app::role::process;
    } else if (*serve) {
        options.stages = app::role::serve;
    }
    if (options.exit_when_done && options.stages == app::role::serve) {
        std::fputs("radstream: --exit-when-done works with all stages, ingest or process; serve runs until stopped\n",
                   stderr);
        return app::exit_bad_config;
    }

    config::app_config config;
    try {
        config = config::load_config(config_path);
        core::set_log_level(log_level.empty() ? config.log.level : log_level);
        core::set_log_format(config.log.format == "json" ? core::log_format::json : core::log_format::text);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "radstream: %s\n", error.what());
        return app::exit_bad_config;
    }
    if (*check_config) {
        std::printf("%s: valid\n", config_path.c_str());
        return app::exit_ok;
    }
    if (options.stages != app::role::all && config.kafka.brokers.empty()) {
        std::fprintf(stderr,
                     "radstream: %s: a single stage needs a Kafka cluster to talk to; set kafka.brokers (or "
                     "RADSTREAM_KAFKA_BROKERS), or run all stages with `radstream --config FILE`\n",
                     config.file.c_str());
        return app::exit_bad_config;
    }

    try {
        return app::run_all(config, options);
    } catch (const std::exception& error) {
        core::stage_logger("radstream")->error("{}", error.what());
        return app::exit_runtime_failure;
    }
}
