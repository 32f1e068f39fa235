// What the Slack side counts, in the process's metrics registry: the names
// README.md's "Watching dlpd" lists. Series with fixed labels are looked up
// once here, so the hot path only adds.
#ifndef DLPD_HOST_SLACK_SLACK_METRICS_HPP
#define DLPD_HOST_SLACK_SLACK_METRICS_HPP

#include <chrono>
#include <string>
#include <string_view>

#include "metrics/metrics.hpp"

namespace dlpd::slack {

struct TransportMetrics {
    metrics::Counter &received, &acknowledged, &deduplicated, &ignored, &not_recorded;
    metrics::Histogram &ack_latency;
};

struct SlackMetrics {
    TransportMetrics socket, http;
    const TransportMetrics &of(std::string_view transport) const { return transport == "http" ? http : socket; }

    metrics::Counter &processed_clean, &processed_flagged, &processed_skipped;  // by outcome
    metrics::Counter &process_failed;
    metrics::Counter &resumed;
    metrics::Family<metrics::Counter> &findings;  // rule, severity
    metrics::Counter &incidents;
    metrics::Family<metrics::Counter> &actions;           // action, result
    metrics::Family<metrics::Histogram> &action_latency;  // action
    metrics::Family<metrics::Histogram> &unrecorded;      // action: Slack's answer → the journal's commit
    metrics::Family<metrics::Counter> &api_calls;         // method, result
    metrics::Family<metrics::Histogram> &api_duration;    // method
    metrics::Gauge &intake_queue, &worker_queue, &workers_busy;
    metrics::Gauge &connections_live, &connections_opening, &connections_wanted;
    metrics::Family<metrics::Gauge> &socket_state;   // state: one of them 1
    metrics::Family<metrics::Counter> &disconnects;  // reason
};

const SlackMetrics &slack_metrics();

// Seconds from then to now.
inline double seconds_since(std::chrono::steady_clock::time_point then) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - then).count();
}

// An outcome or error text as a label value: "already gone" is
// already_gone; anything that is not a short code is "other".
std::string result_label(std::string_view result);

}  // namespace dlpd::slack

#endif
