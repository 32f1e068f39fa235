#include "cli/service_checks.hpp"

namespace dlpd {

ServiceChecks service_checks(const Config &config, const RuleSync &sync, const slack::SlackService &slack,
                             std::chrono::microseconds watchdog) {
    const bool slack_configured = slack::SlackService::missing_configuration(config).empty();
    ServiceChecks checks;
    checks.not_ready = [&slack, slack_configured]() -> std::string {
        if (!slack_configured) return {};
        const auto s = slack.state();
        // "stopped" before stop(): Slack refused the token (final; the log
        // and the admin say why), and the admin still serves.
        if (s.state == "connected" || s.state == "listening" || s.state == "stopped") return {};
        return "waiting for Slack: " + s.state + (s.detail.empty() ? "" : " (" + s.detail + ")");
    };
    checks.ready_status = [&slack, &sync, slack_configured] {
        const std::string rules = "rule revision " + std::to_string(sync.applied_revision());
        if (!slack_configured) return rules + "; Slack not configured (no tokens)";
        const auto s = slack.state();
        return rules + "; Slack " + s.state + (s.detail.empty() ? "" : ": " + s.detail);
    };
    const auto quiet_limit = std::chrono::seconds(config.rules.poll_seconds) + watchdog;
    checks.unhealthy = [&slack, &sync, quiet_limit]() -> std::string {
        const auto quiet = std::chrono::steady_clock::now() - sync.last_cycle();
        if (quiet > quiet_limit)
            return "the rule loop has not looked at the store for " +
                   std::to_string(std::chrono::duration_cast<std::chrono::seconds>(quiet).count()) + " s";
        (void)slack.state();  // takes the Slack service's locks: blocks, and stops the pings, if they are stuck
        return {};
    };
    return checks;
}

}  // namespace dlpd
