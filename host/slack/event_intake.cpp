#include "slack/event_intake.hpp"

#include <chrono>

#include "log.hpp"
#include "store/store.hpp"

namespace dlpd::slack {

namespace {
constexpr const char *kLog = "intake";
}

EventIntake::EventIntake(Store &store, EventProcessor &processor, size_t max_queued)
    : store_(store), processor_(processor), max_queued_(max_queued) {}

EventIntake::~EventIntake() { stop(); }

void EventIntake::start() { thread_ = std::thread([this] { run(); }); }

void EventIntake::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

IntakeCounters EventIntake::counters() const {
    std::lock_guard lock(mutex_);
    return counters_;
}

void EventIntake::accept(Envelope envelope, std::function<void(IntakeResult)> done) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_ && queue_.size() < max_queued_) {
            queue_.push_back({std::move(envelope), std::move(done)});
            wake_.notify_one();
            return;
        }
        ++counters_.failed;
    }
    // Full or stopping: not acknowledged, so Slack delivers it again.
    done(IntakeResult::failed);
}

IntakeResult EventIntake::record(const Envelope &envelope, std::string &event_id) {
    const auto &payload = envelope.payload;
    const std::string type = payload ? payload->optValue<std::string>("type", "") : "";
    if (type == "app_rate_limited") {
        log(LogLevel::warning, kLog,
            "Slack is rate-limiting event deliveries to this app (app_rate_limited): more than 30,000 events an hour");
        return IntakeResult::ignored;
    }
    event_id = payload ? payload->optValue<std::string>("event_id", "") : "";
    if (event_id.empty()) {
        log(LogLevel::warning, kLog, "skipped a " + envelope.transport + " payload of type '" + type + "' without an event_id");
        return IntakeResult::ignored;
    }
    try {
        return store_.claim_event(event_id, envelope.payload_text) ? IntakeResult::recorded : IntakeResult::duplicate;
    } catch (const std::exception &e) {
        // Logged at most once a minute: a store outage would flood the log.
        const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::steady_clock::now().time_since_epoch())
                                .count();
        if (now - last_failure_log_ >= 60) {
            last_failure_log_ = now;
            log(LogLevel::error, kLog,
                std::string("cannot record events, so they are not acknowledged and Slack will send them again: ") +
                    e.what());
        }
        return IntakeResult::failed;
    }
}

void EventIntake::run() {
    for (;;) {
        Item item;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and everything recorded
            item = std::move(queue_.front());
            queue_.pop_front();
        }
        std::string event_id;
        const IntakeResult result = record(item.envelope, event_id);
        {
            std::lock_guard lock(mutex_);
            switch (result) {
            case IntakeResult::recorded: ++counters_.recorded; break;
            case IntakeResult::duplicate: ++counters_.duplicates; break;
            case IntakeResult::ignored: ++counters_.ignored; break;
            case IntakeResult::failed: ++counters_.failed; break;
            }
        }
        item.done(result);
        if (result == IntakeResult::recorded) processor_.enqueue({event_id, item.envelope.payload});
        if (result == IntakeResult::duplicate)
            log(LogLevel::debug, kLog,
                "event " + event_id + " was already recorded (retry " + std::to_string(item.envelope.retry_attempt) +
                    "): acknowledged, not acted on again");
    }
}

}  // namespace dlpd::slack
