// dlpd-plugin-check: loads one plugin exactly as the dlpd host does (the
// same registry code), prints what it declares, and runs it on files.
//
//   dlpd-plugin-check PLUGIN.so [--patterns PACK] [--set KEY=VALUE]... [FILE...]
//
// Exit status: 0 the plugin loaded and every call succeeded; 2 otherwise.
#include <fstream>
#include <iostream>
#include <iterator>

#include "engine/masking.hpp"
#include "engine/plugin_instance.hpp"
#include "engine/plugin_registry.hpp"
#include "engine/rule_pack.hpp"

namespace {

using namespace dlpd;

class Printer : public EmitterHandler {
public:
    explicit Printer(std::string_view text) : text_(text) {}
    int32_t on_finding(const dlpd_finding &f) override {
        std::string_view part =
            f.end <= text_.size() && f.start <= f.end ? text_.substr(f.start, f.end - f.start) : std::string_view{};
        std::cout << "  finding: rule " << view(f.rule) << " bytes " << f.start << "-" << f.end << ": "
                  << mask_secret(part) << "\n";
        return DLPD_OK;
    }
    int32_t on_text(const dlpd_text &t) override {
        std::cout << "  text: " << t.text.size << " bytes" << (t.location.size ? " at " : "") << view(t.location)
                  << "\n";
        return DLPD_OK;
    }
    int32_t on_blob(const dlpd_blob &b) override {
        std::cout << "  blob: " << view(b.name) << " (" << b.data.size << " bytes)\n";
        return DLPD_OK;
    }
    int32_t on_diagnostic(const dlpd_diagnostic &d) override {
        std::cout << "  diagnostic: " << status_name(d.status) << " " << view(d.subject)
                  << (d.subject.size ? ": " : "") << view(d.message) << "\n";
        return DLPD_OK;
    }

private:
    std::string_view text_;
};

int usage() {
    std::cerr << "usage: dlpd-plugin-check PLUGIN.so [--patterns PACK] [--set KEY=VALUE]... [FILE...]\n";
    return 2;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 2) return usage();
    std::string plugin_path;
    std::string patterns;
    PluginSettings settings;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--patterns" && i + 1 < argc) {
            patterns = argv[++i];
        } else if (a == "--set" && i + 1 < argc) {
            std::string kv = argv[++i];
            auto eq = kv.find('=');
            if (eq == std::string::npos) return usage();
            settings[kv.substr(0, eq)].push_back(kv.substr(eq + 1));
        } else if (a == "--help" || a == "-h") {
            usage();
            return 0;
        } else if (plugin_path.empty()) {
            plugin_path = a;
        } else {
            files.push_back(a);
        }
    }
    if (plugin_path.empty()) return usage();

    PluginRegistry registry;
    const LoadedPlugin *p = registry.load_file(plugin_path);
    if (p == nullptr) {
        std::cout << "REFUSED " << plugin_path << ": " << registry.refused().front().reason << "\n";
        return 2;
    }
    std::cout << "plugin:      " << p->name << " (" << p->id << ")\n"
              << "version:     " << p->version << "\n"
              << "ABI:         " << p->abi_major << "." << p->abi_minor << " (host " << DLPD_ABI_MAJOR << "."
              << DLPD_ABI_MINOR << ")\n"
              << "description: " << p->description << "\n"
              << "vendor:      " << p->vendor << "\n"
              << "roles:      ";
    for (const auto &r : p->roles()) std::cout << " " << r;
    std::cout << "\nconfiguration:" << (p->config_keys.empty() ? " none" : "") << "\n";
    for (const auto &k : p->config_keys)
        std::cout << "  " << k.name << " (" << config_type_name(k.type) << ((k.flags & DLPD_CONFIG_REQUIRED) ? ", required" : "")
                  << (k.has_default ? ", default " + k.default_value : "") << "): " << k.description << "\n";

    std::string error;
    auto instance = PluginInstance::create(*p, settings, error);
    if (!instance) {
        std::cout << "create failed: " << error << "\n";
        return 2;
    }
    int exit_code = 0;
    if (p->detector != nullptr && !patterns.empty()) {
        std::vector<Rule> rules;
        try {
            rules = load_rule_pack(patterns);
        } catch (const RulePackError &e) {
            std::cout << "rule pack: " << e.what() << "\n";
            return 2;
        }
        std::vector<dlpd_rule> storage;
        for (const auto &r : rules)
            if (r.enabled && r.detector == p->name)
                storage.push_back(dlpd_rule{sizeof(dlpd_rule), 0, to_dlpd_str(r.name), to_dlpd_str(r.regex)});
        std::vector<const dlpd_rule *> ptrs;
        for (const auto &r : storage) ptrs.push_back(&r);
        Printer diag({});
        int32_t status = call_plugin(*p, "set_rules", [&] {
            return p->detector->set_rules(instance->raw(), ptrs.data(), ptrs.size(), diag.table());
        });
        std::cout << "set_rules: " << ptrs.size() << " rules: " << status_name(status) << "\n";
        if (status != DLPD_OK) return 2;
    }
    for (const auto &file : files) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            std::cout << file << ": cannot read\n";
            exit_code = 2;
            continue;
        }
        std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::cout << file << ":\n";
        dlpd_request req{};
        req.struct_size = sizeof req;
        req.data = to_dlpd_str(data);
        req.name = to_dlpd_str(file);
        if (p->extractor != nullptr) {
            Printer out(data);
            int32_t s = call_plugin(*p, "extract", [&] { return p->extractor->extract(instance->raw(), &req, out.table()); });
            std::cout << "  extract: " << status_name(s) << "\n";
            if (s != DLPD_OK && s != DLPD_ERR_UNSUPPORTED) exit_code = 2;
        }
        if (p->detector != nullptr) {
            Printer out(data);
            int32_t s = call_plugin(*p, "scan", [&] { return p->detector->scan(instance->raw(), &req, out.table()); });
            std::cout << "  scan: " << status_name(s) << "\n";
            if (s != DLPD_OK) exit_code = 2;
        }
        for (const auto &v : p->validators) {
            std::string_view rest(data);
            if (p->validators.size() > 1) std::cout << "  validator " << v.name << ":\n";
            while (!rest.empty()) {
                size_t nl = rest.find('\n');
                std::string_view line = rest.substr(0, nl);
                rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
                if (line.empty()) continue;
                int32_t verdict = DLPD_INVALID;
                int32_t s = call_plugin(*p, "validate", [&] {
                    return v.table->validate(instance->raw(), to_dlpd_str(line), &verdict);
                });
                std::cout << "  " << mask_secret(line) << ": "
                          << (s != DLPD_OK ? status_name(s) : verdict == DLPD_VALID ? "valid" : "invalid") << "\n";
                if (s != DLPD_OK) exit_code = 2;
            }
        }
    }
    return exit_code;
}
