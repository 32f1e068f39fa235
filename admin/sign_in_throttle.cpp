#include "admin/sign_in_throttle.hpp"

namespace dlpd {

SignInThrottle::SignInThrottle(size_t max_per_name, size_t max_per_address, std::chrono::seconds window)
    : max_per_name_(max_per_name), max_per_address_(max_per_address), window_(window) {}

void SignInThrottle::forget_old(Failures &failures, Clock::time_point now) {
    for (auto it = failures.begin(); it != failures.end();) {
        auto &times = it->second;
        while (!times.empty() && now - times.front() >= window_) times.pop_front();
        it = times.empty() ? failures.erase(it) : std::next(it);
    }
}

std::optional<SignInThrottle::Clock::duration> SignInThrottle::wait_for(const Failures &failures,
                                                                          const std::string &key, size_t max,
                                                                          Clock::time_point now) const {
    auto it = failures.find(key);
    if (it == failures.end() || it->second.size() < max) return std::nullopt;
    // The attempt that would bring the count under max: when the oldest of
    // the last max failures leaves the window.
    const auto oldest = it->second[it->second.size() - max];
    return oldest + window_ - now;
}

std::optional<std::chrono::seconds> SignInThrottle::refusal(const std::string &name, const std::string &address) {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    forget_old(by_name_, now);
    forget_old(by_address_, now);
    auto by_name = wait_for(by_name_, name, max_per_name_, now);
    auto by_address = wait_for(by_address_, address, max_per_address_, now);
    if (!by_name && !by_address) return std::nullopt;
    const auto wait = std::max(by_name.value_or(Clock::duration::zero()), by_address.value_or(Clock::duration::zero()));
    return std::chrono::ceil<std::chrono::seconds>(wait);
}

void SignInThrottle::record_failure(const std::string &name, const std::string &address) {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    by_name_[name].push_back(now);
    by_address_[address].push_back(now);
}

void SignInThrottle::record_success(const std::string &name) {
    std::lock_guard lock(mutex_);
    by_name_.erase(name);
}

}  // namespace dlpd
