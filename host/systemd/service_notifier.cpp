#include "systemd/service_notifier.hpp"

#include <systemd/sd-daemon.h>

#include <cstdlib>

#include "log.hpp"

namespace dlpd {

namespace {
constexpr const char *kLog = "systemd";
}

ServiceNotifier::ServiceNotifier() {
    const char *socket = std::getenv("NOTIFY_SOCKET");
    active_ = socket != nullptr && *socket != '\0';
    uint64_t usec = 0;
    // > 0 only when WATCHDOG_USEC is set (and WATCHDOG_PID, if set, is this process).
    if (active_ && sd_watchdog_enabled(0, &usec) > 0) watchdog_ = std::chrono::microseconds(usec);
}

ServiceNotifier::~ServiceNotifier() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void ServiceNotifier::send(const std::string &state) {
    if (!active_) return;
    if (const int rc = sd_notify(0, state.c_str()); rc < 0)
        log(LogLevel::debug, kLog, "sd_notify failed (" + std::to_string(-rc) + ")");
}

void ServiceNotifier::status(const std::string &line) { send("STATUS=" + line); }

void ServiceNotifier::start(ServiceChecks checks, std::chrono::milliseconds poll) {
    if (!active_ || thread_.joinable()) return;
    checks_ = std::move(checks);
    poll_ = poll;
    thread_ = std::thread([this] { run(); });
}

void ServiceNotifier::stopping(const std::string &status) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_said_) return;
        stopping_said_ = true;
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    send("STOPPING=1\nSTATUS=" + status);
}

void ServiceNotifier::run() {
    using clock = std::chrono::steady_clock;
    const auto ping_every = std::chrono::duration_cast<clock::duration>(watchdog_ / 2);
    const auto status_every = std::chrono::duration_cast<clock::duration>(std::chrono::seconds(1));
    bool ready = false;
    std::string shown, problem;  // the last STATUS= line, the last health problem
    auto next_ping = clock::now();
    std::unique_lock lock(mutex_);
    while (!stop_) {
        lock.unlock();
        if (!ready) {
            if (const std::string waiting = checks_.not_ready(); waiting.empty()) {
                ready = true;
                shown = checks_.ready_status();
                send("READY=1\nSTATUS=" + shown);
                log(LogLevel::debug, kLog, "told systemd: ready (" + shown + ")");
            } else if (waiting != shown) {
                shown = waiting;
                status(shown);
            }
        } else if (problem.empty()) {
            // The status of a ready daemon changes too (Slack reconnecting).
            if (const std::string now = checks_.ready_status(); now != shown) status(shown = now);
        }
        if (watchdog_.count() > 0 && clock::now() >= next_ping) {
            const std::string found = checks_.unhealthy();
            if (found.empty()) {
                if (!problem.empty()) {
                    log(LogLevel::info, kLog, "healthy again; pinging the watchdog");
                    status(shown);
                }
                send("WATCHDOG=1");
            } else if (found != problem) {
                log(LogLevel::warning, kLog,
                    "not pinging the systemd watchdog: " + found +
                        "; systemd restarts dlpd when no ping comes within WatchdogSec=");
                status("unhealthy: " + found);
            }
            problem = found;
            next_ping = clock::now() + ping_every;
        }
        lock.lock();
        auto wake = clock::now() + (ready ? status_every : clock::duration(poll_));
        if (watchdog_.count() > 0 && next_ping < wake) wake = next_ping;
        cv_.wait_until(lock, wake, [this] { return stop_; });
    }
}

}  // namespace dlpd
