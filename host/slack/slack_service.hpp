// The Slack side of `dlpd run`, put together from the configuration:
// auth.test (who dlpd is, so its own posts are skipped), the intake and the
// workers, the events left pending by a previous run, and the transport
// (Socket Mode or HTTP Events). stop() is the graceful shutdown: stop taking
// events, let what is in flight finish within slack.shutdown_seconds, close
// the sockets.
#ifndef DLPD_HOST_SLACK_SLACK_SERVICE_HPP
#define DLPD_HOST_SLACK_SLACK_SERVICE_HPP

#include <atomic>
#include <memory>
#include <string>

namespace dlpd {
struct Config;
class Store;
class ScanEngine;
}  // namespace dlpd

namespace dlpd::slack {

struct SlackState {
    std::string state;   // "not configured", "connecting", "connected", "listening", "stopped"
    std::string detail;  // one line for the admin and the log
    uint64_t events_recorded = 0;
    uint64_t incidents = 0;
};

class SlackService {
public:
    // Empty when the configuration has what the mode needs; otherwise the
    // one-line explanation of what is missing and how to connect.
    static std::string missing_configuration(const Config &config);

    SlackService(const Config &config, Store &store, const ScanEngine &engine);
    ~SlackService();
    SlackService(const SlackService &) = delete;
    SlackService &operator=(const SlackService &) = delete;

    // Returns false (and logs why) when Slack refuses the bot token or the
    // transport cannot start; retries auth.test while Slack is unreachable,
    // until `stop` is set.
    bool start(const std::atomic<bool> &stop);
    void stop();

    // Applies a reloaded configuration's policy section (SIGHUP) to the
    // events that start from now on; an event in flight keeps the policy it
    // began with. Any thread.
    void set_policy(const Config &config);

    SlackState state() const;
    // For tests and benchmarks: the HTTP Events port actually bound.
    uint16_t http_port() const;

    struct Parts;

private:
    std::unique_ptr<Parts> parts_;
};

}  // namespace dlpd::slack

#endif
