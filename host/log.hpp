// The host's log: one line per event on standard error, or into a sink that
// tests and the CLI install. Thread-safe. Messages never carry matched
// content or tokens; callers are responsible for that.
#ifndef DLPD_HOST_LOG_HPP
#define DLPD_HOST_LOG_HPP

#include <functional>
#include <string>
#include <string_view>

namespace dlpd {

enum class LogLevel { debug = 0, info = 1, warning = 2, error = 3 };

std::string_view log_level_name(LogLevel level);

using LogSink = std::function<void(LogLevel, std::string_view component, std::string_view message)>;

// Replaces where log lines go (nullptr: standard error). Returns the old sink.
LogSink set_log_sink(LogSink sink);
void set_min_log_level(LogLevel level);

void log(LogLevel level, std::string_view component, std::string_view message);

}  // namespace dlpd

#endif
