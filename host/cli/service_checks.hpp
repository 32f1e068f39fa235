// What `dlpd run` counts as ready and as healthy, for systemd
// (systemd/service_notifier.hpp): ready once the store is open, the rules
// are in force and Slack is live (at once when Slack is not configured, or
// when Slack refused the token for good: the admin still serves); healthy
// while the rule loop keeps looking at the store and the Slack service
// answers for its state.
#ifndef DLPD_HOST_CLI_SERVICE_CHECKS_HPP
#define DLPD_HOST_CLI_SERVICE_CHECKS_HPP

#include <chrono>

#include "config/config.hpp"
#include "runtime/rule_sync.hpp"
#include "slack/slack_service.hpp"
#include "systemd/service_notifier.hpp"

namespace dlpd {

// `watchdog` is WatchdogSec=: the rule loop may be quiet for one poll
// interval and one watchdog interval (a long rule compile) before the pings stop.
ServiceChecks service_checks(const Config &config, const RuleSync &sync, const slack::SlackService &slack,
                             std::chrono::microseconds watchdog);

}  // namespace dlpd

#endif
