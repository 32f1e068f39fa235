// `dlpd run`'s metrics.listen: the endpoint (runtime/metrics_server.hpp) with
// what "ready" means for the daemon: the store answers, a stored rule set is
// compiled and in force, and Slack is live when it is configured.
#ifndef DLPD_HOST_CLI_METRICS_ENDPOINT_HPP
#define DLPD_HOST_CLI_METRICS_ENDPOINT_HPP

#include <memory>

#include "runtime/metrics_server.hpp"

namespace dlpd {
struct Config;
class Store;
class RuleSync;
namespace slack {
class SlackService;
}

// Null when metrics.listen is empty. Throws std::runtime_error when the
// address cannot be bound. The parts must outlive the server.
std::unique_ptr<MetricsServer> start_metrics_endpoint(const Config &config, Store &store, const RuleSync &rules,
                                                      const slack::SlackService &slack);

}  // namespace dlpd

#endif
