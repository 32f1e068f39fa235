// Small helpers shared by the tests: temporary folders, log capture, and
// running the dlpd executable as a user would.
#ifndef DLPD_TESTS_TEST_SUPPORT_HPP
#define DLPD_TESTS_TEST_SUPPORT_HPP

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "log.hpp"

namespace dlpd::test {

inline const std::filesystem::path kBinDir = DLPD_TEST_BIN_DIR;
inline const std::filesystem::path kPluginDir = DLPD_TEST_PLUGIN_DIR;
inline const std::filesystem::path kBrokenDir = DLPD_TEST_BROKEN_DIR;
inline const std::filesystem::path kRuntimeDir = DLPD_TEST_RUNTIME_DIR;
inline const std::filesystem::path kSourceDir = DLPD_TEST_SOURCE_DIR;

class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "dlpd-test-XXXXXX").string();
        if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path &path() const { return path_; }
    std::filesystem::path write(const std::string &name, const std::string &content) const {
        auto p = path_ / name;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }

private:
    std::filesystem::path path_;
};

// Collects every log line while alive. Safe while other threads log: the
// log calls the sink under its own lock, and reads take this one. Given a
// level, it also lowers the process's minimum log level to it (and sets it
// back to info at the end).
class LogCapture {
public:
    explicit LogCapture(std::optional<LogLevel> min_level = std::nullopt) : lowered_(min_level.has_value()) {
        if (min_level) set_min_log_level(*min_level);
        previous_ = set_log_sink([this](LogLevel, std::string_view component, std::string_view message) {
            std::lock_guard lock(mutex_);
            lines_.push_back(std::string(component) + ": " + std::string(message));
        });
    }
    ~LogCapture() {
        set_log_sink(previous_);
        if (lowered_) set_min_log_level(LogLevel::info);
    }
    std::string all() const {
        std::lock_guard lock(mutex_);
        std::string out;
        for (const auto &l : lines_) out += l + "\n";
        return out;
    }
    // How many lines contain `needle`.
    size_t count(const std::string &needle) const {
        std::lock_guard lock(mutex_);
        size_t n = 0;
        for (const auto &l : lines_)
            if (l.find(needle) != std::string::npos) ++n;
        return n;
    }

private:
    bool lowered_;
    LogSink previous_;
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline std::string slurp(const std::filesystem::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::string quote(const std::string &s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Runs a shell command line, capturing standard output and error.
inline CommandResult run(const std::string &command, const std::string &stdin_text = {}) {
    TempDir tmp;
    auto in = tmp.write("stdin", stdin_text);
    auto out = tmp.path() / "stdout";
    auto err = tmp.path() / "stderr";
    std::string line = command + " <" + quote(in.string()) + " >" + quote(out.string()) + " 2>" + quote(err.string());
    int status = std::system(line.c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

// The Luhn check digit that makes digits a valid card number (for planting
// card numbers in generated corpora).
inline char luhn_check_digit(const std::string &digits) {
    int sum = 0;
    for (size_t i = 0; i < digits.size(); ++i) {
        int d = digits[digits.size() - 1 - i] - '0';
        if (i % 2 == 0) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

inline std::string dlpd_command() { return quote((kBinDir / "dlpd").string()); }

}  // namespace dlpd::test

#endif
