#pragma once

// Helpers for tests that run programs: the radstream binary, the Kafka
// broker script and the Kafka tools.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace radstream::testing {

// A program started with fork and exec, its stdout and stderr written to
// files. The destructor kills it (SIGKILL) if it still runs, so a failed
// test never leaves a process behind.
class child_process {
public:
    child_process(const std::vector<std::string>& argv, const std::filesystem::path& stdout_file,
                  const std::filesystem::path& stderr_file);
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    void send_signal(int signal) const;
    // The exit code once the program ends within `timeout`, else nothing.
    // A program ended by a signal gives 128 + the signal number.
    std::optional<int> wait_for(std::chrono::milliseconds timeout);
    bool running() const { return !exit_code_; }

private:
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
};

// Runs a shell command and returns its stdout; `exit_code` receives its status.
std::string run_command(const std::string& command, int* exit_code = nullptr);

std::string read_text_file(const std::filesystem::path& file);

// Sends `GET path` to 127.0.0.1:port and returns the response body, or
// nothing when the connection fails.
std::optional<std::string> http_get(int port, const std::string& path);

// A fresh folder under the system temp folder, removed by the destructor.
class temp_folder {
public:
    temp_folder();
    ~temp_folder();
    temp_folder(const temp_folder&) = delete;
    temp_folder& operator=(const temp_folder&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Polls `condition` every 100 ms until it holds or `timeout` passes.
template<typename Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
    }
    return true;
}

} // namespace radstream::testing
