// What `dlpd run` tells systemd, through the real sd_notify() of libsystemd
// to a datagram socket this test reads: READY=1 only once ready, watchdog
// pings only while healthy, STOPPING=1 last; and nothing outside systemd.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <thread>

#include "notify_socket.hpp"
#include "systemd/service_notifier.hpp"
#include "test_support.hpp"

using namespace dlpd;
using namespace dlpd::test;
using namespace std::chrono_literals;

namespace {

// Sets NOTIFY_SOCKET and WATCHDOG_USEC as systemd does for a service, and
// unsets them at the end.
class ServiceEnvironment {
public:
    ServiceEnvironment(const std::filesystem::path &socket, const std::string &watchdog_usec) {
        ::setenv("NOTIFY_SOCKET", socket.c_str(), 1);
        if (!watchdog_usec.empty()) ::setenv("WATCHDOG_USEC", watchdog_usec.c_str(), 1);
    }
    ~ServiceEnvironment() {
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
    }
};

bool wait_until(const std::function<bool()> &done, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

}  // namespace

TEST_CASE("the service notifier says READY=1 once ready, pings the watchdog only while healthy, and STOPPING=1 last",
          "[systemd]") {
    LogCapture log;
    TempDir dir;
    NotifySocket socket(dir.path() / "notify");
    ServiceEnvironment env(socket.path(), "200000");  // WatchdogSec=200ms: a ping every 100 ms
    ServiceNotifier notifier;
    REQUIRE(notifier.active());
    REQUIRE(notifier.watchdog_interval() == 200ms);

    std::atomic<bool> ready{false}, healthy{true};
    std::atomic<int> unhealthy_checks{0};
    ServiceChecks checks;
    checks.not_ready = [&]() -> std::string { return ready ? "" : "waiting for Slack: connecting"; };
    checks.ready_status = [] { return std::string("rule revision 1; Slack connected"); };
    checks.unhealthy = [&]() -> std::string {
        if (healthy) return {};
        ++unhealthy_checks;
        return "the rule loop is stuck";
    };
    notifier.start(checks, 10ms);

    REQUIRE(socket.wait_for("STATUS=waiting for Slack: connecting", 5s));
    REQUIRE(socket.wait_for("WATCHDOG=1", 5s));
    INFO(socket.transcript());
    for (const auto &d : socket.seen()) CHECK_FALSE(NotifySocket::has_line(d, "READY=1"));

    ready = true;
    const auto said_ready = socket.wait_for("READY=1", 5s);
    REQUIRE(said_ready);
    CHECK(NotifySocket::has_line(*said_ready, "STATUS=rule revision 1; Slack connected"));

    healthy = false;
    REQUIRE(socket.wait_for("STATUS=unhealthy: the rule loop is stuck", 5s));
    const size_t unhealthy_from = socket.seen().size();
    // Three more ping times pass with the loop stuck: no ping in any of them.
    // (Each datagram is queued before the next check runs, so all are here.)
    REQUIRE(wait_until([&] { return unhealthy_checks >= 4; }, 5s));
    socket.drain();
    for (size_t i = unhealthy_from; i < socket.seen().size(); ++i)
        CHECK_FALSE(NotifySocket::has_line(socket.seen()[i], "WATCHDOG=1"));
    CHECK(log.count("not pinging the systemd watchdog: the rule loop is stuck") == 1);

    healthy = true;
    REQUIRE(socket.wait_for("WATCHDOG=1", 5s));
    CHECK(log.count("healthy again") == 1);

    notifier.stopping("stopping on SIGTERM");
    notifier.stopping("stopped");  // what dlpd run's way out says again: nothing
    socket.drain();
    REQUIRE_FALSE(socket.seen().empty());
    CHECK(socket.seen().back() == "STOPPING=1\nSTATUS=stopping on SIGTERM");
    size_t stopping = 0;
    for (const auto &d : socket.seen()) stopping += NotifySocket::has_line(d, "STOPPING=1") ? 1 : 0;
    CHECK(stopping == 1);
}

TEST_CASE("outside systemd (no NOTIFY_SOCKET) the service notifier does nothing", "[systemd]") {
    ::unsetenv("NOTIFY_SOCKET");
    ::setenv("WATCHDOG_USEC", "200000", 1);  // ignored without a socket
    ServiceNotifier notifier;
    CHECK_FALSE(notifier.active());
    CHECK(notifier.watchdog_interval().count() == 0);
    std::atomic<int> calls{0};
    ServiceChecks checks;
    checks.not_ready = [&] { ++calls; return std::string(); };
    checks.ready_status = [&] { ++calls; return std::string(); };
    checks.unhealthy = [&] { ++calls; return std::string(); };
    notifier.start(checks, 1ms);
    notifier.status("ignored");
    notifier.stopping("ignored");
    CHECK(calls == 0);  // no thread was started
    ::unsetenv("WATCHDOG_USEC");
}
