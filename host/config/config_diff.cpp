// Which keys two configurations set differently: what a reload (SIGHUP)
// applies, or names as needing a restart.
#include <algorithm>

#include "config/config.hpp"

namespace dlpd {

std::vector<std::string> changed_keys(const Config &before, const Config &after) {
    std::vector<std::string> changed;
    // The schema's accessors take a Config to write through; here they only read.
    auto &a = const_cast<Config &>(before);
    auto &b = const_cast<Config &>(after);
    for (const ConfigKeySpec &spec : config_schema()) {
        std::visit(
            [&](auto get) {
                using Value = std::remove_reference_t<decltype(get(a))>;
                if constexpr (std::is_same_v<Value, std::map<std::string, PluginSettings>>) {
                    // plugins.settings, by plugin: plugins.settings.regex.
                    std::vector<std::string> names;
                    for (const auto &kv : get(a)) names.push_back(kv.first);
                    for (const auto &kv : get(b)) names.push_back(kv.first);
                    std::sort(names.begin(), names.end());
                    names.erase(std::unique(names.begin(), names.end()), names.end());
                    for (const auto &name : names) {
                        const auto x = get(a).find(name), y = get(b).find(name);
                        const bool same =
                            (x == get(a).end()) == (y == get(b).end()) && (x == get(a).end() || x->second == y->second);
                        if (!same) changed.push_back(std::string(spec.path) + "." + name);
                    }
                } else if (!(get(a) == get(b))) {
                    changed.emplace_back(spec.path);
                }
            },
            spec.field);
    }
    return changed;
}

}  // namespace dlpd
