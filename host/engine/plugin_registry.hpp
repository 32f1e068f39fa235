// The plugin registry: finds plugin files, loads them the one way the host
// loads plugins (Boost.DLL, rtld_now | rtld_local), negotiates the ABI, and
// keeps the libraries loaded until the process exits. A plugin that cannot be
// used is refused with one message naming the file and the reason; the
// others still load.
#ifndef DLPD_HOST_ENGINE_PLUGIN_REGISTRY_HPP
#define DLPD_HOST_ENGINE_PLUGIN_REGISTRY_HPP

#include <dlpd/plugin.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dlpd {

// The stable name of a status code ("DLPD_ERR_BAD_RULE"), for messages.
std::string status_name(int32_t status);

struct ConfigKeyInfo {
    std::string name;
    int32_t type = 0;
    uint32_t flags = 0;
    bool has_default = false;
    std::string default_value;
    std::string description;
    int64_t min_value = 0;
    int64_t max_value = -1;
};

std::string_view config_type_name(int32_t type);

// A plugin that loaded and passed every check. Immutable after loading;
// owned by the registry and alive as long as it.
class LoadedPlugin {
public:
    std::filesystem::path file;
    std::string id;
    std::string name;
    std::string version;
    std::string description;
    std::string vendor;
    uint32_t abi_major = 0;
    uint32_t abi_minor = 0;
    std::vector<ConfigKeyInfo> config_keys;

    const dlpd_plugin *descriptor = nullptr;
    // Role tables, NULL for roles the plugin does not fill.
    const dlpd_detector *detector = nullptr;
    const dlpd_extractor *extractor = nullptr;
    // Every validator the plugin offers: its DLPD_EXT_VALIDATOR table, then
    // each entry of its DLPD_EXT_VALIDATOR_SET, in order.
    struct ValidatorRole {
        std::string name;
        const dlpd_validator *table = nullptr;
        uint32_t flags = 0;           // DLPD_VALIDATOR_*; 0 for an ABI 1.0 table
        bool takes_args = false;      // has check_args and validate_args
    };
    std::vector<ValidatorRole> validators;
    const ValidatorRole *find_validator(std::string_view name) const;

    // The host service table handed to this plugin.
    const dlpd_host *host_table() const;

    std::vector<std::string> roles() const;

    struct HostContext;
    std::unique_ptr<HostContext> context;

    LoadedPlugin();
    ~LoadedPlugin();
};

struct RefusedPlugin {
    std::filesystem::path file;
    std::string reason;
};

class PluginRegistry {
public:
    PluginRegistry();
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry &) = delete;
    PluginRegistry &operator=(const PluginRegistry &) = delete;

    // Loads every regular file ending in .so in dir (not recursive), in name
    // order. A missing directory is not an error (nothing to load).
    void load_directory(const std::filesystem::path &dir);

    // Loads one file; on failure records it in refused() and logs the reason.
    // Returns the plugin, or nullptr when refused.
    const LoadedPlugin *load_file(const std::filesystem::path &file);

    const std::vector<std::unique_ptr<LoadedPlugin>> &loaded() const { return loaded_; }
    const std::vector<RefusedPlugin> &refused() const { return refused_; }

    const LoadedPlugin *find_by_name(std::string_view name) const;

private:
    std::vector<std::unique_ptr<LoadedPlugin>> loaded_;
    std::vector<RefusedPlugin> refused_;
};

// The default places plugins are loaded from: DLPD_PLUGIN_PATH (colon
// separated) when set, else lib/dlpd/plugins beside the executable's bin/
// (the build tree mirrors the install layout), or else the install prefix's.
std::vector<std::filesystem::path> default_plugin_dirs();

// The directory holding the running executable.
std::filesystem::path executable_dir();

}  // namespace dlpd

#endif
