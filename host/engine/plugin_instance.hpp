// Host-side glue for calling into a loaded plugin: the emitter the host
// hands to plugins, configured instances, and the guard around every call.
#ifndef DLPD_HOST_ENGINE_PLUGIN_INSTANCE_HPP
#define DLPD_HOST_ENGINE_PLUGIN_INSTANCE_HPP

#include <dlpd/plugin.h>

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/plugin_registry.hpp"

namespace dlpd {

inline std::string_view view(dlpd_str s) {
    return s.data == nullptr ? std::string_view{} : std::string_view(s.data, static_cast<size_t>(s.size));
}
inline dlpd_str to_dlpd_str(std::string_view s) { return dlpd_str{s.data(), s.size()}; }

// Copies a struct that crosses the boundary into one of the host's own
// size, reading only the bytes its struct_size declares; members the sender
// did not know of read as zero.
template <class T>
T read_struct(const T *from) {
    T out;
    std::memset(&out, 0, sizeof out);
    if (from == nullptr) return out;
    size_t n = from->struct_size < sizeof(T) ? from->struct_size : sizeof(T);
    std::memcpy(&out, from, n);
    out.struct_size = sizeof(T);
    return out;
}

// The host's side of a dlpd_emitter. Override what the call may produce;
// the rest answers DLPD_ERR_UNSUPPORTED. Handlers may throw: the C
// trampolines catch everything, so nothing unwinds into a plugin.
class EmitterHandler {
public:
    EmitterHandler();
    virtual ~EmitterHandler() = default;
    EmitterHandler(const EmitterHandler &) = delete;
    EmitterHandler &operator=(const EmitterHandler &) = delete;

    const dlpd_emitter *table() const { return &table_; }

    virtual int32_t on_finding(const dlpd_finding &) { return DLPD_ERR_UNSUPPORTED; }
    virtual int32_t on_text(const dlpd_text &) { return DLPD_ERR_UNSUPPORTED; }
    virtual int32_t on_blob(const dlpd_blob &) { return DLPD_ERR_UNSUPPORTED; }
    virtual int32_t on_diagnostic(const dlpd_diagnostic &) { return DLPD_OK; }

private:
    dlpd_emitter table_;
};

// Collects diagnostics as plain records.
struct PluginMessage {
    int32_t level = DLPD_LOG_ERROR;
    int32_t status = DLPD_OK;
    std::string subject;
    std::string message;
    int64_t position = -1;
};

class DiagnosticCollector : public EmitterHandler {
public:
    int32_t on_diagnostic(const dlpd_diagnostic &d) override;
    std::vector<PluginMessage> messages;
};

// Configuration for one plugin: key -> values (one value for scalars, one
// per element for lists), before validation against the plugin's schema.
using PluginSettings = std::map<std::string, std::vector<std::string>>;

// Checks settings against a plugin's declared schema and fills defaults.
// Returns an empty string when valid, otherwise the first problem.
std::string validate_plugin_settings(const LoadedPlugin &plugin, PluginSettings &settings);

// Checks the values of one key the plugin declares (decl, one of
// plugin.config_keys) against its type and range. Returns an empty string,
// or the problem phrased to follow the key's name ("must be an integer,
// not 'x'").
std::string check_plugin_setting(const ConfigKeyInfo &decl, const std::vector<std::string> &values);

// A configured instance of a plugin; destroyed through the plugin.
class PluginInstance {
public:
    // Validates settings and calls create(). On failure returns nullptr and
    // sets error to a message naming the plugin and the reason.
    static std::unique_ptr<PluginInstance> create(const LoadedPlugin &plugin, PluginSettings settings,
                                                  std::string &error);
    ~PluginInstance();
    PluginInstance(const PluginInstance &) = delete;
    PluginInstance &operator=(const PluginInstance &) = delete;

    const LoadedPlugin &plugin() const { return *plugin_; }
    dlpd_instance *raw() const { return instance_; }

private:
    PluginInstance(const LoadedPlugin &plugin, dlpd_instance *instance) : plugin_(&plugin), instance_(instance) {}
    const LoadedPlugin *plugin_;
    dlpd_instance *instance_;
};

// Runs one call into a plugin. A C++ exception escaping a plugin that does
// not use the SDK becomes DLPD_ERR_INTERNAL and is logged, naming the plugin
// and what was being done; the item fails, the process goes on.
template <class Call>
int32_t call_plugin(const LoadedPlugin &plugin, std::string_view what, Call &&call) noexcept;

void report_plugin_exception(const LoadedPlugin &plugin, std::string_view what, const char *detail) noexcept;
// Counts a failed call into a plugin (an exception, or a status that is an
// error rather than a verdict on the content) in dlpd_plugin_errors_total.
void count_plugin_error(const LoadedPlugin &plugin, std::string_view what) noexcept;

template <class Call>
int32_t call_plugin(const LoadedPlugin &plugin, std::string_view what, Call &&call) noexcept {
    try {
        return call();
    } catch (const std::exception &e) {
        report_plugin_exception(plugin, what, e.what());
    } catch (...) {
        report_plugin_exception(plugin, what, "unknown exception");
    }
    return DLPD_ERR_INTERNAL;
}

}  // namespace dlpd

#endif
