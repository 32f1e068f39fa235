// Repeated refusals, logged without letting a client flood the log. Per
// source (a client's address), the first refusal of an interval is logged
// at once; the rest are only counted, and when the interval ends one line
// says how many more there were and the last reason:
//   refused a request from 192.0.2.7: invalid signature
//   refused a request from 192.0.2.7 4211 more time(s) in the last 60 s; the last: invalid signature
// So a source costs at most two lines per interval, whatever its rate. At
// most max_sources sources are told apart within an interval; the rest are
// counted together as "other addresses". The interval is log.summary_seconds.
//
// Thread-safe. Summaries are written by note() and tick() once their
// interval has ended, and by flush() (call it at the end, e.g. on stop).
#ifndef DLPD_HOST_REFUSAL_LOG_HPP
#define DLPD_HOST_REFUSAL_LOG_HPP

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "log.hpp"

namespace dlpd {

class RefusalLog {
public:
    using Clock = std::chrono::steady_clock;
    // what: the start of every line, e.g. "refused a request".
    RefusalLog(LogLevel level, std::string component, std::string what, std::chrono::milliseconds interval,
               size_t max_sources = 1024);
    ~RefusalLog();
    RefusalLog(const RefusalLog &) = delete;
    RefusalLog &operator=(const RefusalLog &) = delete;

    // One refusal from source; reason may be empty.
    void note(const std::string &source, const std::string &reason);
    // Writes the summaries whose interval has ended.
    void tick();
    // Writes every pending summary now.
    void flush();
    // Refusals noted since the start, all sources together.
    uint64_t total() const;

private:
    struct Source {
        Clock::time_point started;  // when this interval's first line was written
        uint64_t more = 0;          // counted since, not logged
        std::string last_reason;
    };
    void summarise(const std::string &source, const Source &s, Clock::time_point now);
    void write_due(Clock::time_point now, bool all);

    LogLevel level_;
    std::string component_;
    std::string what_;
    Clock::duration interval_;
    size_t max_sources_;
    mutable std::mutex mutex_;
    std::map<std::string, Source> sources_;
    uint64_t total_ = 0;
};

// A value from outside, made fit for one log line: control characters
// replaced by '?', cut at max_bytes (with "…" when cut).
std::string loggable(std::string_view text, size_t max_bytes = 64);

}  // namespace dlpd

#endif
