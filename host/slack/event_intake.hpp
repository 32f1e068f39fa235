// The intake: every envelope from either transport is recorded durably in
// the store (deduplicated by event_id, so a retry or a second replica never
// acts twice) before the transport acknowledges it; recorded events go to
// the EventProcessor. A store failure means no acknowledgement, so Slack
// delivers the event again.
//
// Threads: accept() from transport threads; one intake thread writes to the
// store, in arrival order, and calls each `done`.
#ifndef DLPD_HOST_SLACK_EVENT_INTAKE_HPP
#define DLPD_HOST_SLACK_EVENT_INTAKE_HPP

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "slack/envelope.hpp"
#include "slack/event_processor.hpp"

namespace dlpd {
class Store;
}

namespace dlpd::slack {

struct IntakeCounters {
    uint64_t recorded = 0;
    uint64_t duplicates = 0;
    uint64_t ignored = 0;
    uint64_t failed = 0;  // not recorded, not acknowledged
};

class EventIntake final : public EnvelopeSink {
public:
    EventIntake(Store &store, EventProcessor &processor, size_t max_queued = 10000);
    ~EventIntake() override;

    void start();
    // Records what is queued, then joins.
    void stop();

    void accept(Envelope envelope, std::function<void(IntakeResult)> done) override;
    IntakeCounters counters() const;

private:
    struct Item {
        Envelope envelope;
        std::function<void(IntakeResult)> done;
    };
    void run();
    IntakeResult record(const Envelope &envelope, std::string &event_id);

    Store &store_;
    EventProcessor &processor_;
    size_t max_queued_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Item> queue_;
    bool stopping_ = false;
    std::thread thread_;
    IntakeCounters counters_;
    int64_t last_failure_log_ = 0;
};

}  // namespace dlpd::slack

#endif
