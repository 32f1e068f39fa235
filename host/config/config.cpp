#include "config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include "config/config_schema.hpp"
#include "config/config_text.hpp"
#include "engine/plugin_registry.hpp"

namespace dlpd {

namespace {

std::string join(const std::vector<std::string> &items, std::string_view separator) {
    std::string out;
    for (const auto &item : items) out += (out.empty() ? "" : std::string(separator)) + item;
    return out;
}

std::string kind_of(const YAML::Node &node) {
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a mapping";
    return "a single value";
}

int line_of(const YAML::Node &node) {
    return node.Mark().line + 1;
}

// Walks the YAML tree against the schema, filling a Config and collecting
// every problem.
class Loader {
public:
    Loader(const std::filesystem::path &file, Config &config)
        : source_(file.string()), base_(file.parent_path()), config_(config) {}

    std::vector<std::string> problems;

    void read(const YAML::Node &root) {
        if (!root || root.IsNull()) return;
        if (!root.IsMap()) {
            problems.push_back(source_ + ":" + std::to_string(line_of(root)) +
                               ": the configuration must be a mapping of sections (" + join(section_names(), ", ") +
                               "), not " + kind_of(root));
            return;
        }
        each_entry(root, "", [&](const std::string &section, int line, const YAML::Node &value) {
            const auto known = section_names();
            if (std::find(known.begin(), known.end(), section) == known.end()) {
                problem(line, section,
                        "unknown key (" + did_you_mean(section, known) + "known sections: " + join(known, ", ") + ")");
                return;
            }
            config_.lines[section] = line;
            if (value.IsNull()) return;  // a section whose keys are all left out
            if (!value.IsMap()) {
                problem(line, section,
                        "must be a mapping of keys (" + join(key_names(section), ", ") + "), not " + kind_of(value));
                return;
            }
            each_entry(value, section + ".", [&](const std::string &path, int key_line, const YAML::Node &v) {
                const ConfigKeySpec *spec = find_spec(path);
                if (spec == nullptr) {
                    const auto keys = key_names(section);
                    problem(key_line, path,
                            "unknown key (" + did_you_mean(std::string(key_of(path)), keys) + "known keys of " +
                                section + ": " + join(keys, ", ") + ")");
                    return;
                }
                config_.lines[path] = key_line;
                read_key(*spec, v, key_line);
            });
        });
        check_together("admin.tls_cert", config_.admin.tls_cert, "admin.tls_key", config_.admin.tls_key);
    }

private:
    void problem(int line, std::string_view key, const std::string &what) {
        problems.push_back(source_ + (line > 0 ? ":" + std::to_string(line) : "") + ": key '" + std::string(key) +
                           "': " + what);
    }

    static std::string did_you_mean(const std::string &word, const std::vector<std::string> &known) {
        const std::string best = closest_word(word, known);
        return best.empty() ? "" : "did you mean '" + best + "'? ";
    }

    // Calls f(path, line, value) for each entry of a mapping whose key is a
    // plain name given once; reports the others.
    template <class F>
    void each_entry(const YAML::Node &map, const std::string &prefix, F &&f) {
        std::map<std::string, int> seen;
        for (const auto &kv : map) {
            const int line = line_of(kv.first);
            if (!kv.first.IsScalar()) {
                problem(line, prefix.empty() ? "?" : prefix + "?",
                        "a key must be a plain name, not " + kind_of(kv.first));
                continue;
            }
            const std::string path = prefix + kv.first.Scalar();
            if (const auto [it, fresh] = seen.emplace(path, line); !fresh) {
                problem(line, path, "given twice (first on line " + std::to_string(it->second) + ")");
                continue;
            }
            f(path, line, kv.second);
        }
    }

    // The text of a single value after ${VAR} substitution, or nullopt after
    // reporting a missing value, a list or mapping, or a bad substitution.
    // value.Scalar() is the text as written.
    std::optional<std::string> text_of(const YAML::Node &value, int line, std::string_view key,
                                       const std::string &expected) {
        if (!value || value.IsNull()) {
            problem(line, key, "missing value: expected " + expected + " (leave the key out to use the default)");
            return std::nullopt;
        }
        if (!value.IsScalar()) {
            problem(line, key, "must be " + expected + ", not " + kind_of(value));
            return std::nullopt;
        }
        std::string out, error;
        if (!substitute_environment(value.Scalar(), out, error)) {
            problem(line, key, error);
            return std::nullopt;
        }
        return out;
    }

    void read_key(const ConfigKeySpec &spec, const YAML::Node &value, int line) {
        std::visit(Overloaded{
                       [&](std::vector<std::filesystem::path> &(*get)(Config &)) {
                           read_dirs(spec, value, line, get(config_));
                       },
                       [&](std::map<std::string, PluginSettings> &(*get)(Config &)) {
                           read_plugin_settings(value, line, get(config_));
                       },
                       [&](auto) {
                           auto text = text_of(value, line, spec.path, config_type_description(spec));
                           if (!text) return;
                           if (auto p = assign_config_text(spec, *text, value.Scalar(), config_, base_); !p.empty())
                               problem(line, spec.path, p);
                       },
                   },
                   spec.field);
    }

    void read_dirs(const ConfigKeySpec &spec, const YAML::Node &value, int line,
                   std::vector<std::filesystem::path> &out) {
        out.clear();
        if (value.IsNull()) return;  // every entry left out
        if (!value.IsSequence()) {
            problem(line, spec.path, "must be " + config_type_description(spec) + ", not " + kind_of(value));
            return;
        }
        for (const auto &item : value) {
            auto text = text_of(item, line_of(item), spec.path, "a folder");
            if (!text) continue;
            if (text->empty())
                problem(line_of(item), spec.path, "an empty folder name");
            else
                out.push_back(resolve_config_path(base_, *text));
        }
    }

    // plugins.settings: NAME -> KEY -> a value or a list of values. Only the
    // shape is checked here; the keys are checked against each plugin's own
    // schema once the plugins are loaded (check_plugin_settings).
    void read_plugin_settings(const YAML::Node &value, int line, std::map<std::string, PluginSettings> &out) {
        out.clear();
        if (value.IsNull()) return;
        if (!value.IsMap()) {
            problem(line, "plugins.settings",
                    "must be a mapping of plugin names to their settings, not " + kind_of(value));
            return;
        }
        each_entry(
            value, "plugins.settings.", [&](const std::string &plugin_path, int plugin_line, const YAML::Node &keys) {
                config_.lines[plugin_path] = plugin_line;
                PluginSettings &settings = out[plugin_path.substr(std::string_view("plugins.settings.").size())];
                if (keys.IsNull()) return;
                if (!keys.IsMap()) {
                    problem(plugin_line, plugin_path,
                            "must be a mapping of the plugin's keys to values, not " + kind_of(keys));
                    return;
                }
                each_entry(keys, plugin_path + ".", [&](const std::string &path, int key_line, const YAML::Node &v) {
                    config_.lines[path] = key_line;
                    std::vector<std::string> values;
                    if (v.IsSequence()) {
                        for (const auto &item : v)
                            if (auto text = text_of(item, line_of(item), path, "a single value"))
                                values.push_back(*text);
                    } else if (auto text = text_of(v, key_line, path, "a value or a list of values")) {
                        values.push_back(*text);
                    }
                    settings[path.substr(plugin_path.size() + 1)] = std::move(values);
                });
            });
    }

    void check_together(std::string_view a, const std::filesystem::path &a_value, std::string_view b,
                        const std::filesystem::path &b_value) {
        if (a_value.empty() == b_value.empty()) return;
        const std::string_view given = a_value.empty() ? b : a;
        const std::string_view missing = a_value.empty() ? a : b;
        const auto it = config_.lines.find(given);
        problem(it == config_.lines.end() ? 0 : it->second, given,
                std::string(missing) + " is not set: give both " + std::string(a) + " and " + std::string(b) +
                    ", or neither");
    }

    std::string source_;
    std::filesystem::path base_;
    Config &config_;
};

}  // namespace

std::string Config::where(std::string_view key_path) const {
    if (const auto env = from_environment.find(key_path); env != from_environment.end())
        return "the environment variable " + env->second;
    if (file.empty()) return "built-in defaults";
    const auto it = lines.find(key_path);
    return file.string() + (it == lines.end() ? "" : ":" + std::to_string(it->second));
}

bool Config::operator==(const Config &o) const {
    return log == o.log && plugins == o.plugins && engine == o.engine && rules == o.rules && database == o.database &&
           slack == o.slack && admin == o.admin && metrics == o.metrics;
}

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(join(problems, "\n")), problems_(std::move(problems)) {}

Config parse_config(const std::string &yaml_text, const std::filesystem::path &file) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception &e) {
        const std::string near = key_before(yaml_text, e.mark.line, e.mark.column);
        throw ConfigError({file.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                           std::to_string(e.mark.column + 1) + ": invalid YAML" +
                           (near.empty() ? "" : " near key '" + near + "'") + ": " + e.msg});
    }
    Config config;
    config.file = file;
    Loader loader(file, config);
    loader.read(root);
    if (!loader.problems.empty()) throw ConfigError(loader.problems);
    apply_environment_fallbacks(config);
    return config;
}

void apply_environment_fallbacks(Config &config) {
    std::vector<std::string> problems;
    for (const ConfigKeySpec &spec : config_schema()) {
        if (spec.env.empty()) continue;
        const auto *get = std::get_if<std::string &(*)(Config &)>(&spec.field);
        if (get == nullptr) continue;
        // Given in the file (and not empty, as ${VAR:-} makes it): the file wins.
        if (config.lines.count(spec.path) > 0 && !(*get)(config).empty()) continue;
        const std::string name(spec.env);
        const char *value = std::getenv(name.c_str());
        if (value == nullptr || *value == '\0') continue;
        // Relative paths in a variable are relative to the working directory.
        if (auto p = assign_config_text(spec, value, spec.secret ? "the value" : value, config, {}); !p.empty()) {
            problems.push_back("the environment variable " + name + " (for key '" + std::string(spec.path) +
                               "'): " + p);
            continue;
        }
        config.from_environment[std::string(spec.path)] = name;
    }
    if (!problems.empty()) throw ConfigError(problems);
}

Config load_config(const std::filesystem::path &file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ConfigError({file.string() + ": cannot read the configuration file"});
    std::stringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), file);
}

std::vector<std::string> check_plugin_settings(const Config &config, const PluginRegistry &registry) {
    // By line, so they come in file order like the loader's.
    std::vector<std::pair<int, std::string>> found;
    auto report = [&](const std::string &path, const std::string &what) {
        const auto it = config.lines.find(path);
        found.emplace_back(it == config.lines.end() ? 0 : it->second,
                           config.where(path) + ": key '" + path + "': " + what);
    };
    for (const auto &[name, settings] : config.plugins.settings) {
        const std::string plugin_path = "plugins.settings." + name;
        const LoadedPlugin *plugin = registry.find_by_name(name);
        if (plugin == nullptr) {
            std::vector<std::string> loaded;
            for (const auto &p : registry.loaded()) loaded.push_back(p->name);
            const std::string best = closest_word(name, loaded);
            report(plugin_path,
                   "unknown plugin (" + (best.empty() ? "" : "did you mean '" + best + "'? ") +
                       (loaded.empty() ? "no plugins are loaded" : "loaded plugins: " + join(loaded, ", ")) + ")");
            continue;
        }
        for (const auto &entry : settings) {
            const std::string &key = entry.first;
            const std::string path = plugin_path + "." + key;
            const auto decl = std::find_if(plugin->config_keys.begin(), plugin->config_keys.end(),
                                           [&](const ConfigKeyInfo &k) { return k.name == key; });
            if (decl == plugin->config_keys.end()) {
                std::vector<std::string> known;
                for (const auto &k : plugin->config_keys) known.push_back(k.name);
                const std::string best = closest_word(key, known);
                report(path, "unknown key (" + (best.empty() ? "" : "did you mean '" + best + "'? ") +
                                 (known.empty() ? "plugin " + name + " takes no settings"
                                                : "known keys of plugin " + name + ": " + join(known, ", ")) +
                                 ")");
            } else if (auto problem = check_plugin_setting(*decl, entry.second); !problem.empty()) {
                report(path, problem);
            }
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<std::string> problems;
    for (auto &[line, message] : found) problems.push_back(std::move(message));
    return problems;
}

}  // namespace dlpd
