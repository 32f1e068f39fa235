// database.message_text_days: kept message texts older than that are purged
// from the store, at start and then once an interval, on a thread of its own.
// The incidents stay (masked match, fingerprint, what was done).
#ifndef DLPD_HOST_RUNTIME_RETENTION_HPP
#define DLPD_HOST_RUNTIME_RETENTION_HPP

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/store.hpp"

namespace dlpd {

class MessageTextRetention {
public:
    // store must outlive this object.
    MessageTextRetention(Store &store, int64_t days, std::chrono::seconds interval = std::chrono::hours(1));
    ~MessageTextRetention();
    MessageTextRetention(const MessageTextRetention &) = delete;
    MessageTextRetention &operator=(const MessageTextRetention &) = delete;

    // One purge now; returns how many texts were purged. [any-thread]
    size_t purge_now();

private:
    void run();
    Store &store_;
    std::chrono::milliseconds keep_;
    std::chrono::seconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace dlpd

#endif
