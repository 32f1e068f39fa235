#include "runtime/retention.hpp"

#include "log.hpp"

namespace dlpd {

MessageTextRetention::MessageTextRetention(Store &store, int64_t days, std::chrono::seconds interval)
    : store_(store), keep_(std::chrono::hours(24) * days), interval_(interval), thread_([this] { run(); }) {}

MessageTextRetention::~MessageTextRetention() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

size_t MessageTextRetention::purge_now() {
    const auto cutoff = std::chrono::system_clock::now() - keep_;
    const int64_t cutoff_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(cutoff.time_since_epoch()).count();
    const size_t purged = store_.purge_message_texts(cutoff_ms);
    if (purged > 0)
        log(LogLevel::info, "store",
            "purged the message text of " + std::to_string(purged) + " incidents older than " +
                std::to_string(std::chrono::duration_cast<std::chrono::hours>(keep_).count() / 24) +
                " days (database.message_text_days)");
    return purged;
}

void MessageTextRetention::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            purge_now();
        } catch (const StoreError &e) {
            log(LogLevel::warning, "store", std::string(e.what()) + "; trying again in an hour");
        }
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

}  // namespace dlpd
