#include "cli/metrics_endpoint.hpp"

#include <chrono>
#include <vector>

#include "config/config.hpp"
#include "engine/engine_metrics.hpp"
#include "metrics/metrics.hpp"
#include "runtime/rule_sync.hpp"
#include "slack/slack_metrics.hpp"
#include "slack/slack_service.hpp"
#include "store/store.hpp"

namespace dlpd {

std::unique_ptr<MetricsServer> start_metrics_endpoint(const Config &config, Store &store, const RuleSync &rules,
                                                      const slack::SlackService &slack) {
    // Every family from the start, at zero: a dashboard need not wait for the first event.
    register_engine_metrics();
    slack::slack_metrics();
    auto &r = metrics::registry();
    r.gauge("dlpd_build_info", "Always 1; the version of dlpd that runs", {"version"})
        .with({DLPD_VERSION_STRING})
        .set(1);
    r.gauge("dlpd_start_time_seconds", "When this dlpd started, in seconds since the Unix epoch")
        .only()
        .set(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
    if (config.metrics.listen.empty()) return nullptr;

    const bool slack_configured = slack::SlackService::missing_configuration(config).empty();
    auto readiness = [&store, &rules, &slack, slack_configured] {
        std::vector<std::string> problems;
        try {
            store.ping();
        } catch (const std::exception &e) {
            problems.push_back(std::string("store: ") + e.what());
        }
        if (!rules.rules_in_force()) problems.emplace_back("rules: no stored rule set is compiled yet (see the log)");
        if (slack_configured) {
            const auto s = slack.state();
            if (s.state != "connected" && s.state != "listening")
                problems.push_back("slack: " + s.state + (s.detail.empty() ? "" : " (" + s.detail + ")"));
        }
        Readiness out{problems.empty(), {}};
        for (const auto &p : problems) out.reason += (out.reason.empty() ? "" : "; ") + p;
        return out;
    };
    return start_metrics_server(config.metrics.listen, readiness);
}

}  // namespace dlpd
