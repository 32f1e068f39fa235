#include "slack/event_intake.hpp"

#include <chrono>

#include "log.hpp"
#include "slack/slack_metrics.hpp"
#include "store/store.hpp"

namespace dlpd::slack {

namespace {
constexpr const char *kLog = "intake";
}

EventIntake::EventIntake(Store &store, EventProcessor &processor, size_t max_queued)
    : store_(store), processor_(processor), max_queued_(max_queued) {}

EventIntake::~EventIntake() { stop(); }

void EventIntake::start() { thread_ = std::thread([this] { run(); }); }

void EventIntake::stop_accepting() {
    std::lock_guard lock(mutex_);
    accepting_ = false;
}

void EventIntake::stop() {
    {
        std::lock_guard lock(mutex_);
        accepting_ = false;
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
    const TransportMetrics &counted = slack_metrics().of(envelope.transport);
    counted.received.inc();
    {
        std::lock_guard lock(mutex_);
        if (accepting_ && queue_.size() < max_queued_) {
            queue_.push_back({std::move(envelope), std::move(done)});
            slack_metrics().intake_queue.set(static_cast<double>(queue_.size()));
            wake_.notify_one();
            return;
        }
        ++counters_.failed;
    }
    counted.not_recorded.inc();
    // Full or stopping: not acknowledged, so Slack delivers it again.
    done(IntakeResult::failed);
}

void EventIntake::finish(const std::string &event_id, const std::string &status) {
    std::lock_guard lock(mutex_);
    const bool first = finishes_.empty();
    if (first) oldest_finish_ = std::chrono::steady_clock::now();
    finishes_.emplace_back(event_id, status);
    // The first mark starts the writer's clock; a full batch goes at once.
    if (first || finishes_.size() >= kMaxFinishes) wake_.notify_one();
}

bool EventIntake::ignorable(const Envelope &envelope, std::string &event_id) {
    const auto &payload = envelope.payload;
    const std::string type = payload ? payload->optValue<std::string>("type", "") : "";
    if (type == "app_rate_limited") {
        log(LogLevel::warning, kLog,
            "Slack is rate-limiting event deliveries to this app (app_rate_limited): more than 30,000 events an hour");
        return true;
    }
    event_id = payload ? payload->optValue<std::string>("event_id", "") : "";
    if (event_id.empty()) {
        log(LogLevel::warning, kLog, "skipped a " + envelope.transport + " payload of type '" + type + "' without an event_id");
        return true;
    }
    return false;
}

void EventIntake::report_failure(const std::string &what) {
    // At most once a minute: a store outage would flood the log.
    const int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    if (now - last_failure_log_ < 60) return;
    last_failure_log_ = now;
    log(LogLevel::error, kLog, what);
}

void EventIntake::run() {
    constexpr size_t kMaxBatch = 512;  // envelopes per transaction
    for (;;) {
        std::vector<Item> items;
        std::vector<std::pair<std::string, std::string>> finishes;
        {
            // Finished marks are not urgent: they ride along with the next
            // claims, or go alone once the oldest has waited kFinishDelay, so
            // that a commit of marks alone seldom stands between an event
            // and its ack.
            std::unique_lock lock(mutex_);
            for (;;) {
                if (stopping_ || !queue_.empty()) break;
                if (!finishes_.empty() && std::chrono::steady_clock::now() - oldest_finish_ >= kFinishDelay) break;
                if (finishes_.empty())
                    wake_.wait(lock);
                else
                    wake_.wait_until(lock, oldest_finish_ + kFinishDelay);
            }
            if (stopping_ && queue_.empty() && finishes_.empty()) return;
            while (!queue_.empty() && items.size() < kMaxBatch) {
                items.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            slack_metrics().intake_queue.set(static_cast<double>(queue_.size()));
            finishes.swap(finishes_);
        }
        std::vector<std::pair<std::string, std::string>> claims;
        std::vector<size_t> claim_of(items.size(), SIZE_MAX);
        std::vector<IntakeResult> results(items.size(), IntakeResult::ignored);
        for (size_t i = 0; i < items.size(); ++i) {
            std::string event_id;
            if (ignorable(items[i].envelope, event_id)) continue;
            claim_of[i] = claims.size();
            claims.emplace_back(std::move(event_id), items[i].envelope.payload_text);
        }
        std::vector<bool> claimed;
        bool written = true;
        try {
            claimed = store_.record_events(claims, finishes);
        } catch (const std::exception &e) {
            written = false;
            report_failure(std::string("cannot record events, so they are not acknowledged and Slack will send them "
                                       "again: ") +
                           e.what());
        }
        if (!written) {
            std::lock_guard lock(mutex_);
            // The finishes are kept for the next batch (at shutdown they are
            // dropped: those events stay pending and are done again at the
            // next start); the events were not recorded and will come again.
            if (!stopping_) {
                if (finishes_.empty()) oldest_finish_ = std::chrono::steady_clock::now();
                finishes_.insert(finishes_.end(), finishes.begin(), finishes.end());
            }
        }
        for (size_t i = 0; i < items.size(); ++i) {
            if (claim_of[i] == SIZE_MAX) continue;
            results[i] = !written ? IntakeResult::failed
                                  : claimed[claim_of[i]] ? IntakeResult::recorded : IntakeResult::duplicate;
        }
        {
            std::lock_guard lock(mutex_);
            for (auto r : results) {
                switch (r) {
                case IntakeResult::recorded: ++counters_.recorded; break;
                case IntakeResult::duplicate: ++counters_.duplicates; break;
                case IntakeResult::ignored: ++counters_.ignored; break;
                case IntakeResult::failed: ++counters_.failed; break;
                }
            }
        }
        for (size_t i = 0; i < items.size(); ++i) {
            const Envelope &envelope = items[i].envelope;
            items[i].done(results[i]);
            const TransportMetrics &counted = slack_metrics().of(envelope.transport);
            switch (results[i]) {
            case IntakeResult::recorded: counted.acknowledged.inc(); break;
            case IntakeResult::duplicate:
                counted.acknowledged.inc();
                counted.deduplicated.inc();
                break;
            case IntakeResult::ignored:
                counted.acknowledged.inc();
                counted.ignored.inc();
                break;
            case IntakeResult::failed: counted.not_recorded.inc(); break;
            }
            if (should_acknowledge(results[i])) counted.ack_latency.observe(seconds_since(envelope.received));
            const std::string &event_id = claim_of[i] == SIZE_MAX ? std::string() : claims[claim_of[i]].first;
            if (results[i] == IntakeResult::recorded)
                processor_.enqueue({event_id, envelope.payload, false, envelope.received});
            if (results[i] == IntakeResult::duplicate)
                log(LogLevel::debug, kLog,
                    "event " + event_id + " was already recorded (retry " +
                        std::to_string(items[i].envelope.retry_attempt) + "): acknowledged, not acted on again");
        }
        if (!written) std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the store is down: no busy loop
    }
}

}  // namespace dlpd::slack
