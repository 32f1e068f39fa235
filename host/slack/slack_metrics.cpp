#include "slack/slack_metrics.hpp"

namespace dlpd::slack {

namespace {

using metrics::registry;

metrics::Family<metrics::Counter> &failed() {
    return registry().counter("dlpd_events_failed_total",
                              "Events that failed: stage record (not recorded, so not acknowledged; Slack sends them "
                              "again) or process (a worker could not handle a recorded event)",
                              {"stage"});
}

TransportMetrics transport(const char *name) {
    auto &r = registry();
    return {
        r.counter("dlpd_events_received_total", "Events API envelopes received from Slack, by transport", {"transport"})
            .with({name}),
        r.counter("dlpd_events_acknowledged_total",
                  "Envelopes acknowledged to Slack (recorded, duplicate or ignored), by transport", {"transport"})
            .with({name}),
        r.counter("dlpd_events_deduplicated_total",
                  "Envelopes whose event_id was already recorded (a retry, or another replica has it): "
                  "acknowledged, not acted on again",
                  {"transport"})
            .with({name}),
        r.counter("dlpd_events_ignored_total",
                  "Envelopes acknowledged without an event to act on (no event_id, app_rate_limited)", {"transport"})
            .with({name}),
        failed().with({"record"}),
        r.histogram("dlpd_ack_latency_seconds",
                    "Seconds from an envelope read off the transport to its acknowledgement handed back to it",
                    metrics::latency_buckets(), {"transport"})
            .with({name})};
}

SlackMetrics make() {
    auto &r = registry();
    auto &state =
        r.gauge("dlpd_socket_mode_state",
                "1 for the Socket Mode client's current state (connecting, connected, stopped), else 0", {"state"});
    for (const char *s : {"connecting", "connected", "stopped"}) state.with({s});
    auto &processed = r.counter("dlpd_events_processed_total",
                                "Recorded events the workers finished: clean (nothing found), flagged (findings), "
                                "skipped (not a message dlpd scans, an ignored channel, an exempt author)",
                                {"outcome"});
    auto &queues = r.gauge("dlpd_queue_depth",
                           "Items waiting, by queue (intake: envelopes to record; workers: events to scan)", {"queue"});
    auto &connections = r.gauge("dlpd_socket_mode_connections",
                                "Socket Mode connections, by state (live: said hello; opening: not yet)", {"state"});
    return SlackMetrics{
        transport("socket"),
        transport("http"),
        processed.with({"clean"}),
        processed.with({"flagged"}),
        processed.with({"skipped"}),
        failed().with({"process"}),
        r.counter("dlpd_events_resumed_total",
                  "Events taken over from their action journal after a restart or from a replica that stopped")
            .only(),
        r.counter("dlpd_findings_total", "Findings in Slack messages and files, by rule and severity",
                  {"rule", "severity"}),
        r.counter("dlpd_incidents_total", "Incidents recorded").only(),
        r.counter("dlpd_actions_total",
                  "Actions taken in Slack, by action (delete, delete_file, notify, alert) and result (ok, "
                  "already_gone, or Slack's error code)",
                  {"action", "result"}),
        r.histogram("dlpd_event_action_latency_seconds",
                    "Seconds from an event's envelope received to one of its actions done in Slack",
                    metrics::latency_buckets(), {"action"}),
        r.histogram("dlpd_journal_unrecorded_seconds",
                    "Seconds an action done in Slack waited for the action journal to record it (Slack's answer to "
                    "the commit), by action: a crash inside this window leaves the step for the next attempt",
                    {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1}, {"action"}),
        r.counter("dlpd_slack_api_calls_total",
                  "Slack Web API requests, by method and result (ok, Slack's error code, ratelimited for HTTP 429, "
                  "http_5xx, transport_error, not_json); each retry is a request",
                  {"method", "result"}),
        r.histogram("dlpd_slack_api_call_duration_seconds", "Seconds one Slack Web API request took",
                    metrics::latency_buckets(), {"method"}),
        queues.with({"intake"}),
        queues.with({"workers"}),
        r.gauge("dlpd_workers_busy", "Workers handling an event now").only(),
        connections.with({"live"}),
        connections.with({"opening"}),
        r.gauge("dlpd_socket_mode_connections_wanted", "Socket Mode connections dlpd keeps open (slack.connections)")
            .only(),
        state,
        r.counter("dlpd_socket_mode_disconnects_total", "disconnect frames Slack sent, by reason", {"reason"}),
    };
}

}  // namespace

const SlackMetrics &slack_metrics() {
    static const SlackMetrics m = make();
    return m;
}

std::string result_label(std::string_view result) {
    std::string out(result);
    for (char &c : out)
        if (c == ' ') c = '_';
    return metrics::bounded_label(out);
}

}  // namespace dlpd::slack
