// The real `dlpd run` under systemd's notification protocol: NOTIFY_SOCKET
// names a datagram socket this test reads, as systemd would for a unit of
// Type=notify with WatchdogSec=. READY=1 comes once Slack is live (or right
// after start-up without Slack), watchdog pings follow, STOPPING=1 on SIGTERM.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include "notify_socket.hpp"
#include "slack_harness.hpp"

extern char **environ;

using namespace dlpd;
using namespace dlpd::test;
using namespace std::chrono_literals;

namespace {

// `dlpd run --config FILE` with `extra` added to an environment without any
// SLACK_ or systemd variable of this process; standard error in `err`.
pid_t spawn_dlpd_run(const std::filesystem::path &config, const std::filesystem::path &err,
                     const std::vector<std::string> &extra) {
    std::vector<std::string> env;
    for (char **e = environ; *e; ++e) {
        const std::string_view v(*e);
        if (v.rfind("SLACK_", 0) != 0 && v.rfind("NOTIFY_SOCKET=", 0) != 0 && v.rfind("WATCHDOG_", 0) != 0)
            env.emplace_back(v);
    }
    env.insert(env.end(), extra.begin(), extra.end());
    std::vector<char *> envp;
    for (auto &e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const std::string bin = (kBinDir / "dlpd").string(), file = config.string();
    const char *argv[] = {bin.c_str(), "run", "--config", file.c_str(), nullptr};
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, bin.c_str(), &files, nullptr, const_cast<char **>(argv), envp.data());
    posix_spawn_file_actions_destroy(&files);
    if (rc != 0) throw std::runtime_error("cannot start " + bin);
    return pid;
}

// One rule: "rules compiled" is part of ready, and the starter pack's
// examples, checked at every start, would cost each run many seconds here.
std::string base_config(const TempDir &dir) {
    const auto pack = dir.write("pack.yaml", "rules:\n  - name: card_visa\n    regex: '\\b(4[0-9]{3} [0-9]{4} [0-9]{4} "
                                             "[0-9]{4})\\b'\n    validators: [luhn]\n    severity: high\n");
    return "plugins:\n  dirs: [" + kPluginDir.string() + "]\nrules:\n  pack: " + pack.string() +
           "\ndatabase:\n  url: sqlite:" +
           (dir.path() / "dlpd.db").string() + "\n  key_file: " + (dir.path() / "dlpd.key").string() +
           "\nadmin:\n  listen: 127.0.0.1:0\n";
}

int stop_and_wait(pid_t pid) {
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

// A bound, not a timing assertion (the sanitizer build is slow to start).
constexpr auto kStartUp = 120s;

}  // namespace

TEST_CASE("dlpd run under systemd says READY=1 once Slack is live, pings the watchdog, and STOPPING=1 on SIGTERM",
          "[slack][e2e][process][systemd]") {
    LogCapture quiet;
    TempDir dir;
    SlackDouble slack;
    slack.start();
    NotifySocket socket(dir.path() / "notify");
    const auto config = dir.write("dlpd.yaml", base_config(dir) + "slack:\n  api_url: " + slack.api_url() + "\n");
    const auto err = dir.path() / "stderr";
    const pid_t pid = spawn_dlpd_run(config, err,
                                     {"SLACK_APP_TOKEN=" + slack.options().app_token,
                                      "SLACK_BOT_TOKEN=" + slack.options().bot_token,
                                      "SLACK_USER_TOKEN=" + slack.options().user_token,
                                      "NOTIFY_SOCKET=" + socket.path().string(), "WATCHDOG_USEC=1000000"});

    const auto ready = socket.wait_for("READY=1", kStartUp);
    // Slack is live when READY=1 is sent: the double has the connection it
    // said hello on, and the status says so.
    const int connections_at_ready = slack.open_connections();
    const auto ping = ready ? socket.wait_for("WATCHDOG=1", 10s) : std::nullopt;
    const int status = stop_and_wait(pid);
    socket.drain();
    INFO("notifications:\n" << socket.transcript() << "stderr:\n" << slurp(err));
    REQUIRE(ready);
    CHECK(connections_at_ready >= 1);
    CHECK(ready->find("STATUS=rule revision ") != std::string::npos);
    CHECK(ready->find("Slack connected") != std::string::npos);
    // Before READY=1, the status said what dlpd was waiting for.
    CHECK(NotifySocket::has_line(socket.seen().front(), "STATUS=connecting to the store at sqlite:" +
                                                            (dir.path() / "dlpd.db").string()));
    CHECK(ping);
    REQUIRE_FALSE(socket.seen().empty());
    CHECK(socket.seen().back() == "STOPPING=1\nSTATUS=stopping on SIGTERM");
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    // Tokens never travel in a status line.
    for (const auto &d : socket.seen())
        for (const auto &token : {slack.options().app_token, slack.options().bot_token, slack.options().user_token})
            CHECK(d.find(token) == std::string::npos);
}

TEST_CASE("dlpd run under systemd without Slack tokens says READY=1 right after start-up", "[slack][e2e][process][systemd]") {
    TempDir dir;
    NotifySocket socket(dir.path() / "notify");
    const auto config = dir.write("dlpd.yaml", base_config(dir));
    const auto err = dir.path() / "stderr";
    const pid_t pid = spawn_dlpd_run(config, err, {"NOTIFY_SOCKET=" + socket.path().string()});
    const auto ready = socket.wait_for("READY=1", kStartUp);
    const int status = stop_and_wait(pid);
    socket.drain();
    INFO("notifications:\n" << socket.transcript() << "stderr:\n" << slurp(err));
    REQUIRE(ready);
    CHECK(ready->find("Slack not configured") != std::string::npos);
    // No WATCHDOG_USEC: no watchdog, so no pings.
    for (const auto &d : socket.seen()) CHECK_FALSE(NotifySocket::has_line(d, "WATCHDOG=1"));
    CHECK(socket.seen().back() == "STOPPING=1\nSTATUS=stopping on SIGTERM");
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
