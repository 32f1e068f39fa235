// Slows sign-in guessing without locking anyone out:
//   - per (user name, address) pair: after the n-th failure in a row, that
//     pair may try again only after first_delay × 2^(n-1), at most
//     max_delay (admin.sign_in_first_delay_ms, admin.sign_in_max_delay_seconds);
//     the right password, once the delay has passed, is accepted, and clears
//     the pair;
//   - per address: after max_per_address failures within the window
//     (admin.sign_in_max_failures_per_address, admin.sign_in_window_seconds),
//     the address may still sign in as a user who signed in from it before
//     (remembered for `remember`, the length of a session), and waits for
//     the oldest failure to leave the window for any other name. One user's
//     failures never refuse another user, wherever they come from.
// An attempt that is refused does not check the password and is not counted.
//
// In memory, per process: a restart forgets. Thread-safe. A pair is
// forgotten once its delay and the window have passed since its last
// failure, so memory is bounded by the failure rate times
// max(max_delay, window).
#ifndef DLPD_ADMIN_SIGN_IN_THROTTLE_HPP
#define DLPD_ADMIN_SIGN_IN_THROTTLE_HPP

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace dlpd {

class SignInThrottle {
public:
    using Clock = std::chrono::steady_clock;
    struct Settings {
        std::chrono::milliseconds first_delay{1000};
        std::chrono::seconds max_delay{900};
        size_t max_per_address = 20;
        std::chrono::seconds window{900};
        std::chrono::seconds remember{12 * 3600};  // how long a good sign-in keeps its pair known
    };
    explicit SignInThrottle(Settings settings);

    // When this name may not try from this address now: how long until it
    // may (at least 1 ms).
    std::optional<std::chrono::milliseconds> refusal(const std::string &name, const std::string &address);
    void record_failure(const std::string &name, const std::string &address);
    // Clears the pair and remembers it as known-good for the address.
    void record_success(const std::string &name, const std::string &address);

private:
    using Pair = std::pair<std::string, std::string>;  // name, address
    struct PairFailures {
        unsigned count = 0;
        Clock::time_point last;
        Clock::duration delay{};
    };
    void forget_old(Clock::time_point now);

    Settings settings_;
    std::mutex mutex_;
    std::map<Pair, PairFailures> pairs_;
    std::map<std::string, std::deque<Clock::time_point>> by_address_;
    std::map<Pair, Clock::time_point> known_;  // last good sign-in of a pair
};

}  // namespace dlpd

#endif
