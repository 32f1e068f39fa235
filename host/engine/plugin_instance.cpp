#include "engine/plugin_instance.hpp"

#include <cerrno>
#include <cstdlib>

#include "log.hpp"
#include "engine/engine_metrics.hpp"

namespace dlpd {

namespace {

EmitterHandler *handler_of(const dlpd_emitter *e) { return static_cast<EmitterHandler *>(e->ctx); }

int32_t DLPD_ABI emit_finding(const dlpd_emitter *e, const dlpd_finding *f) {
    if (e == nullptr || f == nullptr) return DLPD_ERR_INVALID_ARGUMENT;
    try {
        return handler_of(e)->on_finding(read_struct(f));
    } catch (...) {
        return DLPD_ERR_CANCELLED;
    }
}
int32_t DLPD_ABI emit_text(const dlpd_emitter *e, const dlpd_text *t) {
    if (e == nullptr || t == nullptr) return DLPD_ERR_INVALID_ARGUMENT;
    try {
        return handler_of(e)->on_text(read_struct(t));
    } catch (...) {
        return DLPD_ERR_CANCELLED;
    }
}
int32_t DLPD_ABI emit_blob(const dlpd_emitter *e, const dlpd_blob *b) {
    if (e == nullptr || b == nullptr) return DLPD_ERR_INVALID_ARGUMENT;
    try {
        return handler_of(e)->on_blob(read_struct(b));
    } catch (...) {
        return DLPD_ERR_CANCELLED;
    }
}
int32_t DLPD_ABI emit_diagnostic(const dlpd_emitter *e, const dlpd_diagnostic *d) {
    if (e == nullptr || d == nullptr) return DLPD_ERR_INVALID_ARGUMENT;
    try {
        return handler_of(e)->on_diagnostic(read_struct(d));
    } catch (...) {
        return DLPD_ERR_CANCELLED;
    }
}

bool parse_int64(const std::string &s, int64_t &out) {
    if (s.empty()) return false;
    errno = 0;
    char *end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno != 0 || end != s.c_str() + s.size()) return false;
    out = v;
    return true;
}

}  // namespace

EmitterHandler::EmitterHandler() {
    table_.struct_size = sizeof table_;
    table_.reserved0 = 0;
    table_.ctx = this;
    table_.emit_finding = &emit_finding;
    table_.emit_text = &emit_text;
    table_.emit_blob = &emit_blob;
    table_.emit_diagnostic = &emit_diagnostic;
}

int32_t DiagnosticCollector::on_diagnostic(const dlpd_diagnostic &d) {
    messages.push_back(PluginMessage{d.level, d.status, std::string(view(d.subject)), std::string(view(d.message)),
                                     d.position});
    return DLPD_OK;
}

std::string check_plugin_setting(const ConfigKeyInfo &decl, const std::vector<std::string> &values) {
    if (decl.type != DLPD_CONFIG_STRING_LIST && values.size() != 1)
        return "takes one " + std::string(config_type_name(decl.type)) + " value";
    for (const auto &v : values) {
        if (decl.type == DLPD_CONFIG_INTEGER) {
            int64_t n = 0;
            if (!parse_int64(v, n)) return "must be an integer, not '" + v + "'";
            if (decl.min_value <= decl.max_value && (n < decl.min_value || n > decl.max_value))
                return "must be between " + std::to_string(decl.min_value) + " and " +
                       std::to_string(decl.max_value) + ", not " + v;
        } else if (decl.type == DLPD_CONFIG_BOOLEAN && v != "true" && v != "false") {
            return "must be true or false, not '" + v + "'";
        }
    }
    return {};
}

std::string validate_plugin_settings(const LoadedPlugin &plugin, PluginSettings &settings) {
    for (const auto &[key, values] : settings) {
        const ConfigKeyInfo *decl = nullptr;
        for (const auto &k : plugin.config_keys)
            if (k.name == key) decl = &k;
        if (decl == nullptr) {
            std::string known;
            for (const auto &k : plugin.config_keys) known += (known.empty() ? "" : ", ") + k.name;
            return "unknown key '" + key + "' for plugin " + plugin.name +
                   (known.empty() ? " (it takes no configuration)" : " (known keys: " + known + ")");
        }
        if (auto problem = check_plugin_setting(*decl, values); !problem.empty())
            return "key '" + key + "' of plugin " + plugin.name + " " + problem;
    }
    for (const auto &k : plugin.config_keys) {
        if (settings.count(k.name) != 0) continue;
        if (k.has_default) settings[k.name] = {k.default_value};
        else if ((k.flags & DLPD_CONFIG_REQUIRED) != 0)
            return "plugin " + plugin.name + " needs the key '" + k.name + "' (" + k.description + ")";
    }
    return {};
}

std::unique_ptr<PluginInstance> PluginInstance::create(const LoadedPlugin &plugin, PluginSettings settings,
                                                       std::string &error) {
    error = validate_plugin_settings(plugin, settings);
    if (!error.empty()) return nullptr;

    std::vector<dlpd_config_value> values;
    for (const auto &[key, list] : settings) {
        int32_t type = DLPD_CONFIG_STRING;
        for (const auto &k : plugin.config_keys)
            if (k.name == key) type = k.type;
        for (const auto &v : list)
            values.push_back(dlpd_config_value{sizeof(dlpd_config_value), type, to_dlpd_str(key), to_dlpd_str(v)});
    }
    std::vector<const dlpd_config_value *> pointers;
    for (const auto &v : values) pointers.push_back(&v);
    dlpd_config config{sizeof(dlpd_config), 0, pointers.data(), pointers.size()};

    DiagnosticCollector diagnostics;
    dlpd_instance *raw = nullptr;
    const dlpd_plugin *d = plugin.descriptor;
    int32_t status = call_plugin(plugin, "create", [&] {
        return d->create(d, plugin.host_table(), &config, diagnostics.table(), &raw);
    });
    if (status != DLPD_OK || raw == nullptr) {
        error = "plugin " + plugin.name + " (" + plugin.file.string() + ") could not create an instance: " +
                status_name(status == DLPD_OK ? DLPD_ERR_FAILED : status);
        for (const auto &m : diagnostics.messages) error += "; " + m.message;
        return nullptr;
    }
    return std::unique_ptr<PluginInstance>(new PluginInstance(plugin, raw));
}

PluginInstance::~PluginInstance() {
    const dlpd_plugin *d = plugin_->descriptor;
    call_plugin(*plugin_, "destroy", [&] {
        d->destroy(instance_);
        return DLPD_OK;
    });
}

void count_plugin_error(const LoadedPlugin &plugin, std::string_view what) noexcept {
    try {
        plugin_error_metric().with({metrics::bounded_label(plugin.name), metrics::bounded_label(what)}).inc();
    } catch (...) {
    }
}

void report_plugin_exception(const LoadedPlugin &plugin, std::string_view what, const char *detail) noexcept {
    count_plugin_error(plugin, what);
    try {
        log(LogLevel::error, "plugins",
            "plugin " + plugin.name + " (" + plugin.file.string() + ") threw during " + std::string(what) + ": " +
                detail + "; the item is failed, the plugin stays loaded");
    } catch (...) {
    }
}

}  // namespace dlpd
