// Putting a value's text into its Config field, and describing a key's type:
// the one conversion used both for the built-in defaults and for a file's or
// an environment variable's values (config_schema.hpp).
#include "config/config_schema.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <type_traits>

#include "config/config_text.hpp"
#include "policy/policy.hpp"
#include "config/database_url.hpp"

namespace dlpd {

namespace {

// How a message names a value: quoted as written in the file (so a secret
// substituted from ${VAR} into the wrong key stays hidden), or "the value"
// for a secret key.
std::string shown(const ConfigKeySpec &spec, std::string_view as_written) {
    return spec.secret ? std::string("the value") : "'" + std::string(as_written) + "'";
}

}  // namespace

std::filesystem::path resolve_config_path(const std::filesystem::path &base, const std::string &text) {
    const std::filesystem::path p(text);
    return p.is_relative() && !base.empty() ? (base / p).lexically_normal() : p;
}

std::string assign_config_text(const ConfigKeySpec &spec, const std::string &text, std::string_view as_written,
                               Config &config, const std::filesystem::path &base) {
    const std::string quoted = shown(spec, as_written);
    return std::visit(
        Overloaded{
            [&](std::string &(*get)(Config &)) -> std::string {
                if (!spec.choices.empty()) {
                    bool found = false;
                    std::string_view rest = spec.choices;
                    while (!found && !rest.empty()) {
                        const size_t bar = rest.find('|');
                        found = rest.substr(0, bar) == text;
                        rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
                    }
                    if (!found) return "must be " + config_type_description(spec) + ", not " + quoted;
                }
                if (spec.check != nullptr)
                    if (auto problem = spec.check(text, quoted); !problem.empty()) return problem;
                get(config) = text;
                return {};
            },
            [&](int64_t &(*get)(Config &)) -> std::string {
                int64_t n = 0;
                const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
                if (text.empty() || ec != std::errc() || end != text.data() + text.size())
                    return "must be " + config_type_description(spec) + ", not " + quoted;
                if (n < spec.min || n > spec.max)
                    return "must be between " + std::to_string(spec.min) + " and " + std::to_string(spec.max) +
                           ", not " + (spec.secret || text != as_written ? quoted : text);
                get(config) = n;
                return {};
            },
            [&](bool &(*get)(Config &)) -> std::string {
                if (text == "true" || text == "True" || text == "TRUE")
                    get(config) = true;
                else if (text == "false" || text == "False" || text == "FALSE")
                    get(config) = false;
                else
                    return "must be true or false, not " + quoted;
                return {};
            },
            [&](LogLevel &(*get)(Config &)) -> std::string {
                for (auto level : {LogLevel::debug, LogLevel::info, LogLevel::warning, LogLevel::error}) {
                    if (log_level_name(level) == text) {
                        get(config) = level;
                        return {};
                    }
                }
                return "must be " + config_type_description(spec) + ", not " + quoted;
            },
            [&](std::filesystem::path &(*get)(Config &)) -> std::string {
                get(config) = text.empty() ? std::filesystem::path() : resolve_config_path(base, text);
                return {};
            },
            [&](auto get) -> std::string {  // a list or a mapping: only the empty default is written as text
                if (!text.empty()) return "takes a list or mapping, not text";
                get(config) = {};
                return {};
            },
        },
        spec.field);
}

std::string config_type_description(const ConfigKeySpec &spec) {
    return std::visit(
        Overloaded{
            [&](std::string &(*)(Config &)) -> std::string {
                if (spec.choices.empty()) return "a string";
                std::string out = "one of ";
                for (char c : spec.choices) out += c == '|' ? std::string(", ") : std::string(1, c);
                return out;
            },
            [&](int64_t &(*)(Config &)) -> std::string {
                return "an integer between " + std::to_string(spec.min) + " and " + std::to_string(spec.max);
            },
            [](bool &(*)(Config &)) -> std::string { return "true or false"; },
            [](LogLevel &(*)(Config &)) -> std::string { return "one of debug, info, warning, error"; },
            [](std::filesystem::path &(*)(Config &)) -> std::string { return "a path"; },
            [](std::vector<std::filesystem::path> &(*)(Config &)) -> std::string { return "a list of folders"; },
            [](std::map<std::string, PluginSettings> &(*)(Config &)) -> std::string {
                return "a mapping of plugin names to their settings";
            },
        },
        spec.field);
}

}  // namespace dlpd
