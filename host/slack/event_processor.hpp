// The worker side of the Slack pipeline: recorded events are read, scanned
// (message text, then files through the extractors), judged by the policy,
// recorded as incidents with the plan of what to do (one transaction), acted
// on step by step (each step marked done in the store's action journal), and
// marked done. An event whose work is interrupted (shutdown, a crash) stays
// pending and is resumed from its journal: nothing decided is decided again,
// nothing done is done again, and a post whose outcome is unknown is looked
// for in Slack before it is made.
//
// Threads: enqueue() from any thread; `workers` threads do the work.
#ifndef DLPD_HOST_SLACK_EVENT_PROCESSOR_HPP
#define DLPD_HOST_SLACK_EVENT_PROCESSOR_HPP

#include <Poco/JSON/Object.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "slack/message_actions.hpp"
#include "policy/policy.hpp"
#include "slack/slack_event.hpp"
#include "slack/web_api.hpp"

namespace dlpd {
class Store;
class ScanEngine;
}  // namespace dlpd

namespace dlpd::slack {

struct ProcessorOptions {
    int workers = 2;
    uint64_t max_file_bytes = uint64_t{100} << 20;
    PolicyOptions policy;  // the first; set_policy() replaces it
    bool store_message_text = false;
};

struct EventJob {
    std::string event_id;
    Poco::JSON::Object::Ptr payload;
    // Taken over after a restart or from another replica: its action
    // journal says what an earlier attempt decided and did.
    bool resumed = false;
    // When its envelope came in (unset for a resumed event): for the
    // event-to-action latency.
    std::chrono::steady_clock::time_point received{};
};

struct ProcessorCounters {
    uint64_t processed = 0;  // events finished
    uint64_t flagged = 0;    // events with findings
    uint64_t incidents = 0;
    uint64_t deleted = 0;
    uint64_t failed = 0;     // events that could not be processed
};

class EventProcessor {
public:
    EventProcessor(Store &store, const ScanEngine &engine, WebApi &api, SelfIdentity self, ProcessorOptions options);
    ~EventProcessor();
    EventProcessor(const EventProcessor &) = delete;
    EventProcessor &operator=(const EventProcessor &) = delete;

    void start();
    void enqueue(EventJob job);
    // Where "finished" marks go (the intake's group commit); unset, they are
    // written to the store at once.
    void set_finisher(std::function<void(const std::string &event_id, const std::string &status)> finisher) {
        finisher_ = std::move(finisher);
    }
    // Stops taking work, lets the queue drain for up to `grace`, then
    // interrupts what is left (it stays pending in the store) and joins.
    // Returns how many events were left pending.
    size_t stop(std::chrono::milliseconds grace);

    ProcessorCounters counters() const;
    size_t queued() const;

    // The policy events are handled under. Each event takes it once, at its
    // start, so one event is decided and acted on under one policy;
    // set_policy() (any thread) applies to the events that start afterwards.
    std::shared_ptr<const PolicyOptions> policy() const { return policy_.load(); }
    void set_policy(PolicyOptions policy) {
        policy_.store(std::make_shared<const PolicyOptions>(std::move(policy)));
    }

    // Does one event now, on the calling thread (the workers use it).
    void process(const EventJob &job);

private:
    void work();
    // Returns false when the event must stay pending (interrupted); flagged
    // says whether it had findings.
    bool handle_message(const EventJob &job, const SlackEvent &event, const PolicyOptions &policy, bool &flagged);

    Store &store_;
    const ScanEngine &engine_;
    WebApi &api_;
    SelfIdentity self_;
    ProcessorOptions options_;
    std::atomic<std::shared_ptr<const PolicyOptions>> policy_;
    MessageActions actions_;
    std::function<void(const std::string &, const std::string &)> finisher_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<EventJob> queue_;
    size_t busy_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
    ProcessorCounters counters_;
};

}  // namespace dlpd::slack

#endif
