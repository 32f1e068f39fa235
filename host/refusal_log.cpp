#include "refusal_log.hpp"

namespace dlpd {

namespace {
constexpr const char *kOtherSources = "other addresses";
}

RefusalLog::RefusalLog(LogLevel level, std::string component, std::string what, std::chrono::milliseconds interval,
                       size_t max_sources)
    : level_(level),
      component_(std::move(component)),
      what_(std::move(what)),
      interval_(interval),
      max_sources_(max_sources) {}

RefusalLog::~RefusalLog() { flush(); }

void RefusalLog::note(const std::string &source, const std::string &reason) {
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    ++total_;
    write_due(now, false);
    auto it = sources_.find(source);
    if (it == sources_.end() && sources_.size() >= max_sources_) it = sources_.find(kOtherSources);
    if (it == sources_.end()) {
        const std::string &key = sources_.size() >= max_sources_ ? std::string(kOtherSources) : source;
        sources_.emplace(key, Source{now, 0, reason});
        log(level_, component_, what_ + " from " + key + (reason.empty() ? "" : ": " + reason));
        return;
    }
    ++it->second.more;
    it->second.last_reason = reason;
}

void RefusalLog::tick() {
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    write_due(now, false);
}

void RefusalLog::flush() {
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    write_due(now, true);
}

uint64_t RefusalLog::total() const {
    std::lock_guard lock(mutex_);
    return total_;
}

void RefusalLog::summarise(const std::string &source, const Source &s, Clock::time_point now) {
    if (s.more == 0) return;
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(now - s.started).count();
    log(level_, component_,
        what_ + " from " + source + " " + std::to_string(s.more) + " more time(s) in the last " +
            std::to_string(seconds) + " s" + (s.last_reason.empty() ? "" : "; the last: " + s.last_reason));
}

void RefusalLog::write_due(Clock::time_point now, bool all) {
    for (auto it = sources_.begin(); it != sources_.end();) {
        if (!all && now - it->second.started < interval_) {
            ++it;
            continue;
        }
        summarise(it->first, it->second, now);
        it = sources_.erase(it);
    }
}

std::string loggable(std::string_view text, size_t max_bytes) {
    std::string out;
    for (char c : text.substr(0, max_bytes)) {
        const auto u = static_cast<unsigned char>(c);
        out += u < 0x20 || u == 0x7F ? '?' : c;
    }
    // Never end inside a UTF-8 sequence.
    if (text.size() > max_bytes) {
        while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
        if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
        out += "…";
    }
    return out;
}

}  // namespace dlpd
