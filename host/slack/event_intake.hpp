// The intake: every envelope from either transport is recorded durably in
// the store (deduplicated by event_id, so a retry or a second replica never
// acts twice) before the transport acknowledges it; recorded events go to
// the EventProcessor. A store failure means no acknowledgement, so Slack
// delivers the event again.
//
// It is also where the workers' "finished" marks are written: one thread
// writes everything that queued up while its previous commit ran in one
// transaction (group commit), so a burst costs one fsync per batch, not two
// per event, and a lone event still gets its ack after a single commit.
//
// Threads: accept() from transport threads, finish() from workers; one
// intake thread writes to the store and calls each `done`.
#ifndef DLPD_HOST_SLACK_EVENT_INTAKE_HPP
#define DLPD_HOST_SLACK_EVENT_INTAKE_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

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
    // New envelopes are refused (not acknowledged) from now on; finishes
    // are still written.
    void stop_accepting();
    // Writes what is queued, then joins.
    void stop();

    void accept(Envelope envelope, std::function<void(IntakeResult)> done) override;
    // Marks a recorded event done (or failed); written with the next batch.
    void finish(const std::string &event_id, const std::string &status);
    IntakeCounters counters() const;

private:
    struct Item {
        Envelope envelope;
        std::function<void(IntakeResult)> done;
    };
    void run();
    // What is not a recordable event (no event id, app_rate_limited).
    bool ignorable(const Envelope &envelope, std::string &event_id);
    void report_failure(const std::string &what);

    Store &store_;
    EventProcessor &processor_;
    size_t max_queued_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Item> queue_;
    std::vector<std::pair<std::string, std::string>> finishes_;
    std::chrono::steady_clock::time_point oldest_finish_;
    static constexpr std::chrono::milliseconds kFinishDelay{100};
    static constexpr size_t kMaxFinishes = 256;
    bool accepting_ = true;
    bool stopping_ = false;
    std::thread thread_;
    IntakeCounters counters_;
    int64_t last_failure_log_ = 0;
};

}  // namespace dlpd::slack

#endif
