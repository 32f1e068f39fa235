// The host's log: one line per event on standard error, or into a sink that
// tests and the CLI install. Thread-safe. Messages never carry matched
// content or tokens; callers are responsible for that.
//
// Two formats on standard error (log.format): text, "dlpd: LEVEL: COMPONENT:
// MESSAGE", and json, one object per line with time (RFC 3339, UTC,
// milliseconds), level, component and message, then the call's fields. Any
// bytes a message or field carries come out as valid JSON: control
// characters escaped, invalid UTF-8 replaced by U+FFFD.
#ifndef DLPD_HOST_LOG_HPP
#define DLPD_HOST_LOG_HPP

#include <chrono>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace dlpd {

enum class LogLevel { debug = 0, info = 1, warning = 2, error = 3 };
enum class LogFormat { text, json };

std::string_view log_level_name(LogLevel level);

using LogSink = std::function<void(LogLevel, std::string_view component, std::string_view message)>;

// Replaces where log lines go (nullptr: standard error). Returns the old sink.
LogSink set_log_sink(LogSink sink);
void set_min_log_level(LogLevel level);
void set_log_format(LogFormat format);
LogFormat log_format();

// A structured detail of a line (an event id, a channel): a field of its own
// in json, left out of text, where the message already says it. Keys are
// the caller's constants, never time, level, component or message.
struct LogField {
    std::string_view key;
    std::string_view value;
};

void log(LogLevel level, std::string_view component, std::string_view message);
void log(LogLevel level, std::string_view component, std::string_view message, std::initializer_list<LogField> fields);

// One json line (with its newline), as log() writes it.
std::string json_log_line(std::chrono::system_clock::time_point time, LogLevel level, std::string_view component,
                          std::string_view message, std::initializer_list<LogField> fields = {});

}  // namespace dlpd

#endif
