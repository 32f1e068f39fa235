// Internal to config*.cpp: looking keys up in the schema (config_schema())
// and putting a value's text into its Config field, the one conversion used
// both for the built-in defaults and for a file's values.
#ifndef DLPD_HOST_CONFIG_CONFIG_SCHEMA_HPP
#define DLPD_HOST_CONFIG_CONFIG_SCHEMA_HPP

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace dlpd {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

// "database" and "url" of "database.url".
std::string_view section_of(std::string_view path);
std::string_view key_of(std::string_view path);

// The key's entry, or null when the schema has no such key.
const ConfigKeySpec *find_spec(std::string_view path);

// The sections, and the keys of one section, in schema order.
std::vector<std::string> section_names();
std::vector<std::string> key_names(std::string_view section);

// A path from the file, relative to the file's folder (base) unless absolute.
std::filesystem::path resolve_config_path(const std::filesystem::path &base, const std::string &text);

// Puts a single value's text (after ${VAR} substitution; as_written is the
// text before it, for messages) into the key's field, resolving paths against
// base. Returns the problem, phrased to follow "key 'x': ", or empty. Lists
// and mappings only take their empty default this way.
std::string assign_config_text(const ConfigKeySpec &spec, const std::string &text, std::string_view as_written,
                               Config &config, const std::filesystem::path &base);

}  // namespace dlpd

#endif
