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

// Collects every log line while alive.
class LogCapture {
public:
    LogCapture() {
        previous_ = set_log_sink([this](LogLevel, std::string_view component, std::string_view message) {
            lines_.push_back(std::string(component) + ": " + std::string(message));
        });
    }
    ~LogCapture() { set_log_sink(previous_); }
    std::string all() const {
        std::string out;
        for (const auto &l : lines_) out += l + "\n";
        return out;
    }

private:
    LogSink previous_;
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
