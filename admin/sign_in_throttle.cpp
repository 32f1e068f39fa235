#include "admin/sign_in_throttle.hpp"

#include <algorithm>

namespace dlpd {

SignInThrottle::SignInThrottle(Settings settings) : settings_(settings) {}

void SignInThrottle::forget_old(Clock::time_point now) {
    for (auto it = pairs_.begin(); it != pairs_.end();) {
        const auto keep = std::max<Clock::duration>(it->second.delay, settings_.window);
        it = now - it->second.last >= keep ? pairs_.erase(it) : std::next(it);
    }
    for (auto it = by_address_.begin(); it != by_address_.end();) {
        auto &times = it->second;
        while (!times.empty() && now - times.front() >= settings_.window) times.pop_front();
        it = times.empty() ? by_address_.erase(it) : std::next(it);
    }
    for (auto it = known_.begin(); it != known_.end();)
        it = now - it->second >= settings_.remember ? known_.erase(it) : std::next(it);
}

std::optional<std::chrono::milliseconds> SignInThrottle::refusal(const std::string &name, const std::string &address) {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    forget_old(now);
    Clock::duration wait{};
    const Pair pair{name, address};
    if (auto it = pairs_.find(pair); it != pairs_.end()) wait = std::max(wait, it->second.last + it->second.delay - now);
    if (auto it = by_address_.find(address);
        it != by_address_.end() && it->second.size() >= settings_.max_per_address && !known_.contains(pair)) {
        // When the oldest of the last max_per_address failures leaves the window.
        const auto oldest = it->second[it->second.size() - settings_.max_per_address];
        wait = std::max(wait, oldest + settings_.window - now);
    }
    if (wait <= Clock::duration::zero()) return std::nullopt;
    return std::max(std::chrono::milliseconds(1), std::chrono::ceil<std::chrono::milliseconds>(wait));
}

void SignInThrottle::record_failure(const std::string &name, const std::string &address) {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    PairFailures &failures = pairs_[{name, address}];
    ++failures.count;
    failures.last = now;
    // first_delay doubled for each failure after the first, up to max_delay.
    Clock::duration delay = settings_.first_delay;
    for (unsigned i = 1; i < failures.count && delay < settings_.max_delay; ++i) delay *= 2;
    failures.delay = std::min<Clock::duration>(delay, settings_.max_delay);
    by_address_[address].push_back(now);
}

void SignInThrottle::record_success(const std::string &name, const std::string &address) {
    std::lock_guard lock(mutex_);
    const Pair pair{name, address};
    pairs_.erase(pair);
    known_[pair] = Clock::now();
}

}  // namespace dlpd
