// The browser admin: a Poco::Net HTTP(S) server with server-rendered pages
// for signing in, editing patterns, reviewing incidents and users. It runs
// inside `dlpd run` (and alone in `dlpd admin`) on the services handed in.
#ifndef DLPD_ADMIN_ADMIN_SERVER_HPP
#define DLPD_ADMIN_ADMIN_SERVER_HPP

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "engine/plugin_registry.hpp"
#include "runtime/rule_sync.hpp"
#include "engine/scan_engine.hpp"
#include "store/store.hpp"

namespace dlpd {

// What the dashboard says about the Slack connection.
struct SlackStatus {
    std::string state;   // "connected", "connecting", "not connected", ...
    std::string detail;  // one sentence for people; never a token
};

// The admin section of the configuration: listen address, TLS files and
// every limit, with the schema's defaults (Config{}.admin).
using AdminOptions = Config::Admin;

// What the admin works on, owned by the caller and alive while the server
// runs. Store and ScanEngine are thread-safe; the registry is immutable.
struct AdminServices {
    Store &store;
    ScanEngine &engine;
    const PluginRegistry &registry;
    // Told after every rule change so the engine applies it at once; may be
    // null (the change is then noticed by polling, or not at all).
    RuleSync *rule_sync = nullptr;
    std::function<SlackStatus()> slack_status;
    // Plugin settings for the engine that tries a rule on sample text (by
    // plugin name; settings of plugins that are not loaded are ignored).
    std::map<std::string, PluginSettings> trial_plugin_settings = {};
    // log.summary_seconds: failed and refused sign-ins are logged once per
    // address, then summarised once per this interval.
    std::chrono::seconds log_summary{60};
};

class AdminServer {
public:
    virtual ~AdminServer() = default;
    // The port it listens on (the one the system chose for port 0).
    virtual uint16_t port() const = 0;
    // "http://HOST:PORT/" or "https://HOST:PORT/".
    virtual std::string url() const = 0;
    // Stops accepting, waits for requests in progress. Idempotent.
    virtual void stop() = 0;
};

// Binds options.listen and starts serving on a thread pool; returns at once.
// Throws std::runtime_error when the address cannot be bound or the TLS
// files cannot be read.
std::unique_ptr<AdminServer> start_admin_server(const AdminOptions &options, AdminServices &services);

}  // namespace dlpd

#endif
