#include "log.hpp"

#include <cstdio>
#include <ctime>
#include <mutex>

namespace dlpd {

namespace {
std::mutex g_mutex;
LogSink g_sink;
LogLevel g_min = LogLevel::info;
LogFormat g_format = LogFormat::text;

// The length of the valid UTF-8 sequence at the start of s, or 0 when it
// is not one (overlong forms, surrogates and code points past U+10FFFF
// included).
size_t utf8_sequence(std::string_view s) {
    const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    const auto tail = [&](size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
    const unsigned char c = b(0);
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return tail(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!tail(1) || !tail(2)) return 0;
        if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
        if (c == 0xED && b(1) > 0x9F) return 0;  // a surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!tail(1) || !tail(2) || !tail(3)) return 0;
        if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
        if (c == 0xF4 && b(1) > 0x8F) return 0;  // past U+10FFFF
        return 4;
    }
    return 0;
}

// text as the body of a JSON string.
void append_json_string(std::string &out, std::string_view text) {
    out += '"';
    while (!text.empty()) {
        const size_t n = utf8_sequence(text);
        if (n == 0) {
            out += "\\ufffd";  // one per byte that begins no valid sequence
            text.remove_prefix(1);
            continue;
        }
        const std::string_view seq = text.substr(0, n);
        text.remove_prefix(n);
        if (n > 1) {
            // U+2028 and U+2029 are valid JSON but end a line in JavaScript.
            if (seq == "\xE2\x80\xA8")
                out += "\\u2028";
            else if (seq == "\xE2\x80\xA9")
                out += "\\u2029";
            else
                out += seq;
            continue;
        }
        const char c = seq[0];
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                out += escaped;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void append_member(std::string &out, std::string_view key, std::string_view value) {
    out += out.size() > 1 ? "," : "";
    append_json_string(out, key);
    out += ':';
    append_json_string(out, value);
}

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

void set_log_format(LogFormat format) {
    std::lock_guard lock(g_mutex);
    g_format = format;
}

LogFormat log_format() {
    std::lock_guard lock(g_mutex);
    return g_format;
}

std::string json_log_line(std::chrono::system_clock::time_point time, LogLevel level, std::string_view component,
                          std::string_view message, std::initializer_list<LogField> fields) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[40];
    const size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(stamp + n, sizeof stamp - n, ".%03dZ", static_cast<int>((ms % 1000 + 1000) % 1000));

    std::string out = "{";
    append_member(out, "time", stamp);
    append_member(out, "level", log_level_name(level));
    append_member(out, "component", component);
    append_member(out, "message", message);
    for (const auto &f : fields) {
        // A field never replaces one of the four.
        const bool reserved = f.key == "time" || f.key == "level" || f.key == "component" || f.key == "message";
        append_member(out, reserved ? "field_" + std::string(f.key) : std::string(f.key), f.value);
    }
    out += "}\n";
    return out;
}

void log(LogLevel level, std::string_view component, std::string_view message, std::initializer_list<LogField> fields) {
    // The time before the lock: the moment it happened, not when it was written.
    const auto now = std::chrono::system_clock::now();
    std::lock_guard lock(g_mutex);
    if (level < g_min) return;
    if (g_sink) {
        g_sink(level, component, message);
        return;
    }
    if (g_format == LogFormat::json) {
        const std::string line = json_log_line(now, level, component, message, fields);
        std::fwrite(line.data(), 1, line.size(), stderr);
        return;
    }
    std::fprintf(stderr, "dlpd: %.*s: %.*s: %.*s\n", static_cast<int>(log_level_name(level).size()),
                 log_level_name(level).data(), static_cast<int>(component.size()), component.data(),
                 static_cast<int>(message.size()), message.data());
}

void log(LogLevel level, std::string_view component, std::string_view message) {
    log(level, component, message, {});
}

}  // namespace dlpd
