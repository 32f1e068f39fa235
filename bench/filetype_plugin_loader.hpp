// The file-type extractor loaded as the host loads it, for the programs in
// bench/ that drive it through the C ABI (filetype_bench, extraction_recall).
#ifndef DLPD_BENCH_FILETYPE_PLUGIN_LOADER_HPP
#define DLPD_BENCH_FILETYPE_PLUGIN_LOADER_HPP

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/plugin_instance.hpp"
#include "engine/plugin_registry.hpp"

namespace dlpd::bench {

// Loads the plugin folders (dlpd's default ones when dirs is empty) into
// registry, which must outlive the result, and makes one instance of the
// filetype plugin with its default settings. NULL, after a line on standard
// error that starts with program, when it cannot.
inline std::unique_ptr<PluginInstance> load_filetype_plugin(PluginRegistry &registry,
                                                            std::vector<std::filesystem::path> dirs,
                                                            const char *program) {
    if (dirs.empty()) dirs = default_plugin_dirs();
    for (const auto &d : dirs) registry.load_directory(d);
    const LoadedPlugin *plugin = registry.find_by_name("filetype");
    if (plugin == nullptr) {
        std::fprintf(stderr, "%s: the filetype plugin is not in the plugin folders\n", program);
        return nullptr;
    }
    std::string error;
    auto instance = PluginInstance::create(*plugin, {}, error);
    if (!instance) std::fprintf(stderr, "%s: %s\n", program, error.c_str());
    return instance;
}

}  // namespace dlpd::bench

#endif
