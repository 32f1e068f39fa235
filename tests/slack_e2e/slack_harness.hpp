// dlpd's Slack service, in this process, against the Slack double on
// loopback: a real store (SQLite in a temporary folder), the real plugins
// and the starter rule pack. Everything between them is the real protocol.
#ifndef DLPD_TESTS_SLACK_HARNESS_HPP
#define DLPD_TESTS_SLACK_HARNESS_HPP

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config.hpp"
#include "runtime/engine_setup.hpp"
#include "log.hpp"
#include "slack/slack_service.hpp"
#include "slack_double.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

namespace dlpd::test {

// The double grants exactly the scopes the shipped app manifest asks for,
// so every test also proves the manifest is enough.
inline SlackDoubleOptions with_manifest_scopes(SlackDoubleOptions o) {
    const YAML::Node scopes = YAML::LoadFile((kSourceDir / "config" / "slack-app-manifest.yaml").string())["oauth_config"]["scopes"];
    o.bot_scopes.clear();
    o.user_scopes.clear();
    for (const auto &s : scopes["bot"]) o.bot_scopes.push_back(s.as<std::string>());
    for (const auto &s : scopes["user"]) o.user_scopes.push_back(s.as<std::string>());
    return o;
}

// A file Erin shared in C0SECRETS1, as the double serves it.
inline File shared_file(const std::string &id, const std::string &name, const std::string &content,
                        const std::string &mimetype = "text/plain", const std::string &filetype = "text") {
    File f;
    f.id = id;
    f.name = name;
    f.mimetype = mimetype;
    f.filetype = filetype;
    f.user = "U0ERIN0001";
    f.channel = "C0SECRETS1";
    f.content = content;
    return f;
}

struct HarnessOptions {
    SlackDoubleOptions slack;
    std::function<void(Config &)> configure;  // after the defaults below
    bool start_service = true;
};

class SlackHarness {
public:
    explicit SlackHarness(HarnessOptions options = {}) : slack(with_manifest_scopes(options.slack)) {
        slack.start();
        for (const char *c : {"C0GENERAL1", "C0SECRETS1", "C0ALERTS01", "C0DRYRUN01"}) slack.add_channel(c);
        config.slack.api_url = slack.api_url();
        config.slack.app_token = slack.options().app_token;
        config.slack.bot_token = slack.options().bot_token;
        config.slack.user_token = slack.options().user_token;
        config.slack.reconnect_max_seconds = 2;
        config.plugins.dirs = {kPluginDir};
        config.rules.pack = kSourceDir / "config" / "patterns.yaml";
        config.database.url = "sqlite:" + (dir.path() / "dlpd.db").string();
        config.database.store_message_text = true;
        if (options.configure) options.configure(config);

        SetupOptions setup_options;
        setup_options.config = &config;
        setup_options.command_defaults["regex"]["prefilter"] = {"none"};
        // The starter pack's examples are checked by its own tests (and by
        // every `dlpd run` the process tests start); here they would cost
        // each test about a minute under the sanitizers, in RE2's DFA
        // allocations, for nothing these tests assert.
        setup_options.check_examples = false;
        setup = set_up_engine(setup_options);
        if (!setup->errors.empty()) throw std::runtime_error("engine setup failed: " + setup->errors.front());
        std::string error;
        auto url = parse_database_url(config.database.url, error);
        StoreOptions store_options;
        store_options.store_message_text = config.database.store_message_text;
        store = Store::open(*url, store_options);
        store->migrate();
        if (options.start_service) start();
    }

    ~SlackHarness() {
        if (service) service->stop();
        slack.stop();
    }

    void start() {
        service = std::make_unique<slack::SlackService>(config, *store, *setup->engine);
        started = service->start(stop_flag);
    }

    bool wait_connected() {
        return slack.wait_for([&] { return slack.open_connections() > 0; }) &&
               wait_until([&] { return service->state().state == "connected"; });
    }

    // Polls something that is not the double's state (the store, the service).
    static bool wait_until(const std::function<bool()> &ready, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < end) {
            if (ready()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return ready();
    }

    // Waits for every acknowledged event to be finished by the workers.
    bool wait_idle() {
        return wait_until([&] { return store->pending_events().empty(); });
    }

    bool deleted(const std::string &ts) const {
        for (const auto &m : slack.deleted_messages())
            if (m.ts == ts) return true;
        return false;
    }

    std::vector<Message> notices(const std::string &channel) const {
        std::vector<Message> out;
        for (const auto &m : slack.posted_messages())
            if (m.channel == channel) out.push_back(m);
        return out;
    }

    LogCapture log{LogLevel::debug};  // every line, for the secrecy checks
    TempDir dir;
    SlackDouble slack;
    Config config;
    std::unique_ptr<EngineSetup> setup;
    std::unique_ptr<Store> store;
    std::unique_ptr<slack::SlackService> service;
    std::atomic<bool> stop_flag{false};
    bool started = false;
};

}  // namespace dlpd::test

#endif
