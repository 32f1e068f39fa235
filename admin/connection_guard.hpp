// Keeps slow and idle clients from starving the admin. Poco's socket timeout
// is per read, so a client that sends a header line every few seconds keeps
// a thread for as long as it likes; this puts a deadline on the whole of
// each step and caps the connections one address may hold:
//   - a connection's request header must be in within header_timeout
//     (admin.header_timeout_seconds), counted from when it was accepted, or
//     on a kept-alive connection from the end of the previous answer plus
//     keep_alive (admin.keep_alive_seconds);
//   - its body within body_timeout (admin.body_timeout_seconds) after that;
//   - at most max_per_address connections (admin.max_connections_per_address)
//     from one address are served at once; more are closed at once, by the
//     accepting thread when it can tell (filter()) and by the connection
//     itself when it starts (begin()). Trusted proxies (admin.trusted_proxies)
//     carry many clients and are not capped: the proxy must cap them.
// A connection past a deadline is shut down: its read fails and its thread
// is free again. Closed connections are logged once per address per
// log.summary_seconds.
//
// Threads: begin(), end() and the step marks from the connection's own
// thread (the step marks find the connection through a thread-local
// pointer, so handlers need not carry it); filter() from the acceptor; a
// watchdog thread of its own.
#ifndef DLPD_ADMIN_CONNECTION_GUARD_HPP
#define DLPD_ADMIN_CONNECTION_GUARD_HPP

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "refusal_log.hpp"

namespace dlpd {

class ConnectionGuard {
public:
    using Clock = std::chrono::steady_clock;
    struct Settings {
        std::chrono::milliseconds header_timeout{10000};
        std::chrono::milliseconds body_timeout{30000};
        std::chrono::milliseconds keep_alive{5000};
        size_t max_per_address = 8;
        std::set<std::string> uncapped;  // addresses the cap does not apply to
        std::chrono::milliseconds log_summary{60000};
    };
    explicit ConnectionGuard(Settings settings);
    ~ConnectionGuard();
    ConnectionGuard(const ConnectionGuard &) = delete;
    ConnectionGuard &operator=(const ConnectionGuard &) = delete;

    // Whether a connection from address may be accepted now (the acceptor).
    bool filter(const std::string &address);
    // A connection starts being served. False when it must close at once
    // (over the cap, or stopping); otherwise end() must follow.
    bool begin(Poco::Net::StreamSocket &socket, const std::string &address);
    void end();

    // Marks of the current connection's request, from its thread (no-ops
    // outside a guarded connection).
    static void header_read();  // the body has body_timeout from now
    static void body_read();    // no deadline while the handler works
    static void answered();     // the next header: keep_alive + header_timeout

    // Shuts every connection down and refuses new ones.
    void stop();

private:
    struct Entry {
        Poco::Net::StreamSocket *socket;
        std::string address;
        Clock::time_point deadline;  // max(): none
        const char *step;            // for the log
        ConnectionGuard *guard;
    };
    void set_deadline(Entry &entry, Clock::time_point deadline, const char *step);
    void watch();

    Settings settings_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::set<Entry *> entries_;
    std::map<std::string, size_t> per_address_;
    RefusalLog closed_;
    RefusalLog refused_;
    std::thread watchdog_;
};

}  // namespace dlpd

#endif
