// What the engine counts, in the process's metrics registry.
#ifndef DLPD_HOST_ENGINE_ENGINE_METRICS_HPP
#define DLPD_HOST_ENGINE_ENGINE_METRICS_HPP

#include "metrics/metrics.hpp"

namespace dlpd {

// dlpd_plugin_errors_total{plugin, call}
metrics::Family<metrics::Counter> &plugin_error_metric();
// dlpd_extraction_diagnostics_total{kind, source}
metrics::Family<metrics::Counter> &scan_diagnostic_metric();

// Registers both, so that a scrape lists them before anything is counted.
inline void register_engine_metrics() {
    plugin_error_metric();
    scan_diagnostic_metric();
}

}  // namespace dlpd

#endif
