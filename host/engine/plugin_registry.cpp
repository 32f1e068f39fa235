#include "engine/plugin_registry.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <sstream>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>

#include "log.hpp"

#ifndef DLPD_INSTALL_PLUGIN_DIR_ABSOLUTE
#define DLPD_INSTALL_PLUGIN_DIR_ABSOLUTE "/usr/local/lib/dlpd/plugins"
#endif
#ifndef DLPD_VERSION_STRING
#define DLPD_VERSION_STRING "0.0.0"
#endif

namespace dlpd {

std::string status_name(int32_t status) {
    switch (status) {
    case DLPD_OK: return "DLPD_OK";
    case DLPD_ERR_FAILED: return "DLPD_ERR_FAILED";
    case DLPD_ERR_INVALID_ARGUMENT: return "DLPD_ERR_INVALID_ARGUMENT";
    case DLPD_ERR_NO_MEMORY: return "DLPD_ERR_NO_MEMORY";
    case DLPD_ERR_UNSUPPORTED: return "DLPD_ERR_UNSUPPORTED";
    case DLPD_ERR_LIMIT: return "DLPD_ERR_LIMIT";
    case DLPD_ERR_CORRUPT_INPUT: return "DLPD_ERR_CORRUPT_INPUT";
    case DLPD_ERR_CANCELLED: return "DLPD_ERR_CANCELLED";
    case DLPD_ERR_INTERNAL: return "DLPD_ERR_INTERNAL";
    case DLPD_ERR_CONFIG: return "DLPD_ERR_CONFIG";
    case DLPD_ERR_BAD_RULE: return "DLPD_ERR_BAD_RULE";
    case DLPD_ERR_ABI: return "DLPD_ERR_ABI";
    case DLPD_ERR_ENCRYPTED: return "DLPD_ERR_ENCRYPTED";
    }
    return "status " + std::to_string(status);
}

std::string_view config_type_name(int32_t type) {
    switch (type) {
    case DLPD_CONFIG_STRING: return "string";
    case DLPD_CONFIG_INTEGER: return "integer";
    case DLPD_CONFIG_BOOLEAN: return "boolean";
    case DLPD_CONFIG_STRING_LIST: return "string list";
    }
    return "unknown";
}

// The per-plugin host service table and what it needs to attribute logs.
struct LoadedPlugin::HostContext {
    dlpd_host table{};
    std::string label;  // file name until the plugin's name is known
};

LoadedPlugin::LoadedPlugin() = default;
LoadedPlugin::~LoadedPlugin() = default;

const dlpd_host *LoadedPlugin::host_table() const { return &context->table; }

std::vector<std::string> LoadedPlugin::roles() const {
    std::vector<std::string> out;
    if (detector != nullptr) out.emplace_back("detector");
    if (extractor != nullptr) out.emplace_back("extractor");
    for (const auto &v : validators) out.emplace_back("validator:" + v.name);
    return out;
}

const LoadedPlugin::ValidatorRole *LoadedPlugin::find_validator(std::string_view wanted) const {
    for (const auto &v : validators)
        if (v.name == wanted) return &v;
    return nullptr;
}

namespace {

// Libraries stay loaded until the process exits: objects, exceptions and
// callbacks from a plugin may outlive any registry, and unloading is never
// safe with libraries like RE2/Abseil inside. Deliberately never destroyed.
std::vector<boost::dll::shared_library> &keep_loaded() {
    static auto *libraries = new std::vector<boost::dll::shared_library>();
    return *libraries;
}
std::mutex g_keep_mutex;

void DLPD_ABI host_log(const dlpd_host *host, int32_t level, dlpd_str message) {
    try {
        const auto *ctx = static_cast<const LoadedPlugin::HostContext *>(host->host_data);
        LogLevel l = level <= DLPD_LOG_DEBUG     ? LogLevel::debug
                     : level == DLPD_LOG_INFO    ? LogLevel::info
                     : level == DLPD_LOG_WARNING ? LogLevel::warning
                                                 : LogLevel::error;
        log(l, "plugin " + ctx->label,
            std::string_view(message.data == nullptr ? "" : message.data, static_cast<size_t>(message.size)));
    } catch (...) {
        // Logging must never unwind into a plugin.
    }
}

const void *DLPD_ABI host_get_extension(const dlpd_host *, const char *) { return nullptr; }

uint64_t DLPD_ABI host_monotonic_ns(const dlpd_host *) {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count());
}

std::string abi_string(uint32_t major, uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

const char *nonnull(const char *s) { return s == nullptr ? "" : s; }

// Turns dlopen's message into a reason a person can act on.
std::string load_failure_reason(const std::string &dl_message) {
    static constexpr std::string_view not_elf[] = {"invalid ELF header", "file too short", "not an ELF",
                                                   "ELF file's phentsize", "only ET_DYN and ET_EXEC"};
    for (std::string_view marker : not_elf)
        if (dl_message.find(marker) != std::string::npos)
            return "not a shared object (" + dl_message + ")";
    return "cannot be loaded (" + dl_message + ")";
}

class Refusal : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

template <class Table>
const Table *role_table(const dlpd_plugin *d, const char *id) {
    const void *raw = d->get_extension(d, id);
    return static_cast<const Table *>(raw);
}

void require(bool ok, const std::string &what) {
    if (!ok) throw Refusal(what);
}

}  // namespace

PluginRegistry::PluginRegistry() = default;
PluginRegistry::~PluginRegistry() = default;

void PluginRegistry::load_directory(const std::filesystem::path &dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return;
    std::vector<std::filesystem::path> files;
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".so" && entry.is_regular_file(ec)) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto &f : files) load_file(f);
}

const LoadedPlugin *PluginRegistry::load_file(const std::filesystem::path &file) {
    auto plugin = std::make_unique<LoadedPlugin>();
    plugin->file = file;
    plugin->context = std::make_unique<LoadedPlugin::HostContext>();
    plugin->context->label = file.filename().string();
    dlpd_host &table = plugin->context->table;
    table.struct_size = sizeof table;
    table.abi_major = DLPD_ABI_MAJOR;
    table.abi_minor = DLPD_ABI_MINOR;
    table.host_data = plugin->context.get();
    table.host_name = "dlpd";
    table.host_version = DLPD_VERSION_STRING;
    table.log = &host_log;
    table.get_extension = &host_get_extension;
    table.monotonic_ns = &host_monotonic_ns;

    try {
        std::error_code fs_ec;
        if (!std::filesystem::is_regular_file(file, fs_ec)) throw Refusal("not a regular file");

        boost::dll::shared_library library;
        boost::dll::fs::error_code ec;
        ::dlerror();
        library.load(boost::dll::fs::path(std::filesystem::absolute(file).string()),
                     boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
        if (ec || !library.is_loaded()) {
            const char *dl = ::dlerror();
            throw Refusal(load_failure_reason(dl != nullptr ? dl : ec.message()));
        }
        // Keep it loaded whatever happens next: a refused plugin's code may
        // still be referenced by an exception object in flight.
        {
            std::lock_guard lock(g_keep_mutex);
            keep_loaded().push_back(library);
        }
        if (!library.has(DLPD_PLUGIN_ENTRY_SYMBOL))
            throw Refusal("no entry symbol " DLPD_PLUGIN_ENTRY_SYMBOL " (not a dlpd plugin, or built without "
                          "DLPD_PLUGIN())");
        auto entry = library.get<const dlpd_plugin *DLPD_ABI(uint32_t, uint32_t, const dlpd_host *)>(
            DLPD_PLUGIN_ENTRY_SYMBOL);

        const dlpd_plugin *d = nullptr;
        try {
            d = entry(DLPD_ABI_MAJOR, DLPD_ABI_MINOR, &table);
        } catch (const std::exception &e) {
            throw Refusal(std::string("entry threw an exception: ") + e.what());
        } catch (...) {
            throw Refusal("entry threw an exception");
        }
        if (d == nullptr)
            throw Refusal("the plugin does not support host ABI " + abi_string(DLPD_ABI_MAJOR, DLPD_ABI_MINOR) +
                          " (its entry returned NULL: ABI major mismatch)");
        require(d->struct_size >= offsetof(dlpd_plugin, abi_minor) + sizeof d->abi_minor,
                "invalid descriptor: struct_size " + std::to_string(d->struct_size) + " is too small");
        if (d->abi_major != DLPD_ABI_MAJOR)
            throw Refusal("ABI major mismatch: the plugin was built for ABI " + abi_string(d->abi_major, d->abi_minor) +
                          ", this host implements ABI " + abi_string(DLPD_ABI_MAJOR, DLPD_ABI_MINOR));
        if (d->abi_minor > DLPD_ABI_MINOR)
            throw Refusal("the plugin needs ABI " + abi_string(d->abi_major, d->abi_minor) +
                          ", newer than this host's ABI " + abi_string(DLPD_ABI_MAJOR, DLPD_ABI_MINOR) +
                          "; upgrade dlpd");
        require(DLPD_HAS_MEMBER(dlpd_plugin, d, get_extension),
                "invalid descriptor: struct_size " + std::to_string(d->struct_size) +
                    " does not cover the ABI 1.0 members");
        require(d->init && d->deinit && d->create && d->destroy && d->get_extension,
                "invalid descriptor: a lifecycle function is NULL");
        require(d->id != nullptr && *d->id != '\0', "invalid descriptor: no id");
        require(d->name != nullptr && *d->name != '\0', "invalid descriptor: no name");

        plugin->descriptor = d;
        plugin->id = d->id;
        plugin->name = d->name;
        plugin->version = nonnull(d->version);
        plugin->description = nonnull(d->description);
        plugin->vendor = nonnull(d->vendor);
        plugin->abi_major = d->abi_major;
        plugin->abi_minor = d->abi_minor;
        plugin->context->label = plugin->name + " (" + file.filename().string() + ")";

        for (const auto &other : loaded_) {
            if (other->id == plugin->id)
                throw Refusal("duplicate plugin id " + plugin->id + ", already loaded from " + other->file.string());
            if (other->name == plugin->name)
                throw Refusal("duplicate plugin name " + plugin->name + ", already loaded from " +
                              other->file.string());
        }

        require(d->config_key_count == 0 || d->config_keys != nullptr,
                "invalid descriptor: config_key_count is set but config_keys is NULL");
        for (uint64_t i = 0; i < d->config_key_count; ++i) {
            const dlpd_config_key *k = d->config_keys[i];
            require(k != nullptr && DLPD_HAS_MEMBER(dlpd_config_key, k, max_value) && k->name != nullptr,
                    "invalid configuration key #" + std::to_string(i));
            ConfigKeyInfo info;
            info.name = k->name;
            info.type = k->type;
            info.flags = k->flags;
            info.has_default = k->default_value != nullptr;
            info.default_value = nonnull(k->default_value);
            info.description = nonnull(k->description);
            info.min_value = k->min_value;
            info.max_value = k->max_value;
            require(config_type_name(k->type) != "unknown",
                    "configuration key " + info.name + " has unknown type " + std::to_string(k->type));
            plugin->config_keys.push_back(std::move(info));
        }

        int32_t status = DLPD_ERR_INTERNAL;
        try {
            status = d->init(d, &table);
        } catch (...) {
            throw Refusal("init threw an exception");
        }
        if (status != DLPD_OK) throw Refusal("init failed with " + status_name(status));

        plugin->detector = role_table<dlpd_detector>(d, DLPD_EXT_DETECTOR);
        if (plugin->detector != nullptr)
            require(DLPD_HAS_MEMBER(dlpd_detector, plugin->detector, scan) && plugin->detector->check_rule &&
                        plugin->detector->set_rules && plugin->detector->scan,
                    "invalid " DLPD_EXT_DETECTOR " table (too small or a NULL function)");
        plugin->extractor = role_table<dlpd_extractor>(d, DLPD_EXT_EXTRACTOR);
        if (plugin->extractor != nullptr)
            require(DLPD_HAS_MEMBER(dlpd_extractor, plugin->extractor, extract) && plugin->extractor->extract,
                    "invalid " DLPD_EXT_EXTRACTOR " table (too small or a NULL function)");
        auto add_validator = [&](const dlpd_validator *v, const std::string &where) {
            require(v != nullptr && v->struct_size >= offsetof(dlpd_validator, validate) + sizeof v->validate &&
                        v->validate && v->name != nullptr && *v->name != '\0',
                    "invalid " + where + " table (too small, no name or a NULL function)");
            LoadedPlugin::ValidatorRole role;
            role.name = v->name;
            require(role.name.size() <= 64 && role.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") ==
                                                  std::string::npos,
                    "validator name '" + role.name.substr(0, 64) + "' is not [a-z0-9_]+ (at most 64)");
            role.table = v;
            if (DLPD_HAS_MEMBER(dlpd_validator, v, flags)) role.flags = v->flags;
            role.takes_args = DLPD_HAS_MEMBER(dlpd_validator, v, validate_args) && v->check_args != nullptr &&
                              v->validate_args != nullptr;
            for (const auto &mine : plugin->validators)
                if (mine.name == role.name) throw Refusal("validator name " + role.name + " is offered twice");
            for (const auto &other : loaded_)
                if (other->find_validator(role.name) != nullptr)
                    throw Refusal("duplicate validator name " + role.name + ", already provided by " +
                                  other->file.string());
            plugin->validators.push_back(std::move(role));
        };
        if (const auto *v = role_table<dlpd_validator>(d, DLPD_EXT_VALIDATOR)) add_validator(v, DLPD_EXT_VALIDATOR);
        if (const auto *set = role_table<dlpd_validator_set>(d, DLPD_EXT_VALIDATOR_SET)) {
            require(DLPD_HAS_MEMBER(dlpd_validator_set, set, validators) && (set->count == 0 || set->validators),
                    "invalid " DLPD_EXT_VALIDATOR_SET " table (too small or no validators)");
            require(set->count <= 4096, DLPD_EXT_VALIDATOR_SET " lists more than 4096 validators");
            for (uint64_t i = 0; i < set->count; ++i)
                add_validator(set->validators[i],
                              std::string(DLPD_EXT_VALIDATOR_SET) + " entry " + std::to_string(i));
        }
        require(plugin->detector || plugin->extractor || !plugin->validators.empty(),
                "the plugin fills no role (no " DLPD_EXT_DETECTOR ", " DLPD_EXT_EXTRACTOR ", " DLPD_EXT_VALIDATOR
                " or " DLPD_EXT_VALIDATOR_SET " extension)");
    } catch (const Refusal &r) {
        refused_.push_back(RefusedPlugin{file, r.what()});
        log(LogLevel::error, "plugins", "refused " + file.string() + ": " + r.what());
        // The host table must outlive anything the plugin may have kept of it.
        static auto *orphans = new std::vector<std::unique_ptr<LoadedPlugin::HostContext>>();
        static std::mutex orphans_mutex;
        std::lock_guard lock(orphans_mutex);
        orphans->push_back(std::move(plugin->context));
        return nullptr;
    }
    loaded_.push_back(std::move(plugin));
    const LoadedPlugin &p = *loaded_.back();
    log(LogLevel::debug, "plugins",
        "loaded " + p.name + " " + p.version + " (ABI " + abi_string(p.abi_major, p.abi_minor) + ") from " +
            p.file.string());
    return &p;
}

const LoadedPlugin *PluginRegistry::find_by_name(std::string_view name) const {
    for (const auto &p : loaded_)
        if (p->name == name) return p.get();
    return nullptr;
}

std::filesystem::path executable_dir() {
    boost::dll::fs::error_code ec;
    auto loc = boost::dll::program_location(ec);
    if (ec) return std::filesystem::current_path();
    return std::filesystem::path(loc.parent_path().string());
}

std::vector<std::filesystem::path> default_plugin_dirs() {
    std::vector<std::filesystem::path> dirs;
    if (const char *env = std::getenv("DLPD_PLUGIN_PATH"); env != nullptr && *env != '\0') {
        std::stringstream ss(env);
        std::string part;
        while (std::getline(ss, part, ':'))
            if (!part.empty()) dirs.emplace_back(part);
        return dirs;
    }
    // The build tree mirrors the install layout, so bin/../lib/dlpd/plugins
    // is right for both; the configured install prefix is the fallback for
    // a binary copied elsewhere.
    const auto beside = (executable_dir().parent_path() / "lib" / "dlpd" / "plugins").lexically_normal();
    std::error_code ec;
    dirs.push_back(std::filesystem::is_directory(beside, ec) ? beside
                                                             : std::filesystem::path(DLPD_INSTALL_PLUGIN_DIR_ABSOLUTE));
    return dirs;
}

}  // namespace dlpd
