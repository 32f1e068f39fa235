// What `dlpd run` tells systemd (sd_notify(3)), for a unit of Type=notify:
// READY=1 once the daemon does its job, STATUS= lines saying what it waits
// for, WATCHDOG=1 at half of WatchdogSec= while the daemon's loops are
// healthy, and STOPPING=1 on shutdown. Outside systemd (NOTIFY_SOCKET unset)
// every call does nothing and no thread is started.
//
// Threads: construct, start() and stopping() from the controlling thread;
// the checks run on this object's own thread.
#ifndef DLPD_HOST_SYSTEMD_SERVICE_NOTIFIER_HPP
#define DLPD_HOST_SYSTEMD_SERVICE_NOTIFIER_HPP

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace dlpd {

struct ServiceChecks {
    // Empty once the daemon is ready (said once, with READY=1 and `ready_status`);
    // until then, what it is waiting for (a STATUS= line when it changes).
    std::function<std::string()> not_ready;
    // The STATUS= line that goes with READY=1.
    std::function<std::string()> ready_status;
    // Empty while the daemon's loops are healthy; else why not, and the
    // watchdog is not pinged, so systemd restarts a daemon that hangs. A
    // check that blocks (a deadlock) stops the pings too.
    std::function<std::string()> unhealthy;
};

class ServiceNotifier {
public:
    // Reads NOTIFY_SOCKET and WATCHDOG_USEC (sd_watchdog_enabled).
    ServiceNotifier();
    ~ServiceNotifier();
    ServiceNotifier(const ServiceNotifier &) = delete;
    ServiceNotifier &operator=(const ServiceNotifier &) = delete;

    // NOTIFY_SOCKET is set: systemd (or something speaking its protocol) listens.
    bool active() const { return active_; }
    // WATCHDOG_USEC for this process; zero when the watchdog is off.
    std::chrono::microseconds watchdog_interval() const { return watchdog_; }

    void status(const std::string &line);
    // Starts the thread that says READY=1 when checks.not_ready() turns empty
    // and pings the watchdog (when on) at half its interval while
    // checks.unhealthy() is empty. Polls readiness every `poll`.
    void start(ServiceChecks checks, std::chrono::milliseconds poll = std::chrono::milliseconds(100));
    // STOPPING=1 with a STATUS= line, and no more pings (the thread is
    // joined). Only the first call says anything.
    void stopping(const std::string &status);

private:
    void run();
    void send(const std::string &state);

    bool active_ = false;
    std::chrono::microseconds watchdog_{0};
    ServiceChecks checks_;
    std::chrono::milliseconds poll_{100};
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stop_ = false;
    bool stopping_said_ = false;
    std::thread thread_;
};

}  // namespace dlpd

#endif
