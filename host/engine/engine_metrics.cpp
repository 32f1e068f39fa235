#include "engine/engine_metrics.hpp"

namespace dlpd {

metrics::Family<metrics::Counter> &plugin_error_metric() {
    static auto &family = metrics::registry().counter(
        "dlpd_plugin_errors_total", "Calls into a plugin that threw or failed, by plugin and call", {"plugin", "call"});
    return family;
}

metrics::Family<metrics::Counter> &scan_diagnostic_metric() {
    static auto &family = metrics::registry().counter(
        "dlpd_extraction_diagnostics_total",
        "Diagnostics of scans, by kind (encrypted, corrupt, limit, unsupported, failed: a part left unscanned; "
        "note: anything else) and source (a plugin, or dlpd)",
        {"kind", "source"});
    return family;
}

}  // namespace dlpd
