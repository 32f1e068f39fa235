// Throttles sign-in: after admin.sign_in_max_failures failures for one user
// name, or admin.sign_in_max_failures_per_address from one address, within
// admin.sign_in_window_seconds, further attempts are refused without
// checking the password until the oldest failure leaves the window.
//
// In memory, per process: a restart forgets. Thread-safe. Entries older than
// the window are dropped as new failures come, so memory is bounded by the
// failure rate times the window.
#ifndef DLPD_ADMIN_SIGN_IN_THROTTLE_HPP
#define DLPD_ADMIN_SIGN_IN_THROTTLE_HPP

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace dlpd {

class SignInThrottle {
public:
    using Clock = std::chrono::steady_clock;
    SignInThrottle(size_t max_per_name, size_t max_per_address, std::chrono::seconds window);

    // When the name or the address may not try now: how long until it may.
    std::optional<std::chrono::seconds> refusal(const std::string &name, const std::string &address);
    void record_failure(const std::string &name, const std::string &address);
    // A good password clears the name's failures (not the address's).
    void record_success(const std::string &name);

private:
    using Failures = std::map<std::string, std::deque<Clock::time_point>>;
    void forget_old(Failures &failures, Clock::time_point now);
    std::optional<Clock::duration> wait_for(const Failures &failures, const std::string &key, size_t max,
                                            Clock::time_point now) const;

    size_t max_per_name_;
    size_t max_per_address_;
    Clock::duration window_;
    std::mutex mutex_;
    Failures by_name_;
    Failures by_address_;
};

}  // namespace dlpd

#endif
