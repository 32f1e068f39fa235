#include "log.hpp"

#include <cstdio>
#include <mutex>

namespace dlpd {

namespace {
std::mutex g_mutex;
LogSink g_sink;
LogLevel g_min = LogLevel::info;
}  // namespace

std::string_view log_level_name(LogLevel level) {
    switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
    }
    return "?";
}

LogSink set_log_sink(LogSink sink) {
    std::lock_guard lock(g_mutex);
    std::swap(g_sink, sink);
    return sink;
}

void set_min_log_level(LogLevel level) {
    std::lock_guard lock(g_mutex);
    g_min = level;
}

void log(LogLevel level, std::string_view component, std::string_view message) {
    std::lock_guard lock(g_mutex);
    if (level < g_min) return;
    if (g_sink) {
        g_sink(level, component, message);
        return;
    }
    std::fprintf(stderr, "dlpd: %.*s: %.*s: %.*s\n", static_cast<int>(log_level_name(level).size()),
                 log_level_name(level).data(), static_cast<int>(component.size()), component.data(),
                 static_cast<int>(message.size()), message.data());
}

}  // namespace dlpd
