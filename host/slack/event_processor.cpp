#include "slack/event_processor.hpp"

#include <map>
#include <set>

#include "engine/utf8_text.hpp"
#include "log.hpp"
#include "engine/masking.hpp"
#include "engine/scan_engine.hpp"
#include "slack/file_fetch.hpp"
#include "store/store.hpp"

namespace dlpd::slack {

namespace {

constexpr const char *kLog = "pipeline";

std::string where(const SlackMessage &m) {
    std::string w = "channel " + m.channel;
    if (!m.ts.empty()) w += " ts " + m.ts;
    return w;
}

}  // namespace

EventProcessor::EventProcessor(Store &store, const ScanEngine &engine, WebApi &api, SelfIdentity self,
                               ProcessorOptions options)
    : store_(store), engine_(engine), api_(api), self_(std::move(self)), options_(std::move(options)),
      actions_(api_, options_.policy) {}

EventProcessor::~EventProcessor() { stop(std::chrono::milliseconds(0)); }

void EventProcessor::start() {
    for (int i = 0; i < std::max(1, options_.workers); ++i) threads_.emplace_back([this] { work(); });
}

void EventProcessor::enqueue(EventJob job) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
}

size_t EventProcessor::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size() + busy_;
}

ProcessorCounters EventProcessor::counters() const {
    std::lock_guard lock(mutex_);
    return counters_;
}

size_t EventProcessor::stop(std::chrono::milliseconds grace) {
    if (threads_.empty()) return 0;
    size_t left = 0;
    {
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, grace, [&] { return queue_.empty() && busy_ == 0; });
        stopping_ = true;
        left = queue_.size() + busy_;
        queue_.clear();  // recorded in the store as pending: resumed at the next start
    }
    wake_.notify_all();
    if (left) api_.stop();  // interrupts waits on Retry-After and backoff
    for (auto &t : threads_) t.join();
    threads_.clear();
    return left;
}

void EventProcessor::work() {
    for (;;) {
        EventJob job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
            ++busy_;
        }
        process(job);
        {
            std::lock_guard lock(mutex_);
            --busy_;
        }
        wake_.notify_all();
    }
}

void EventProcessor::process(const EventJob &job) {
    bool finished = true;
    bool failed = false;
    try {
        const SlackEvent event = read_slack_event(job.payload, self_);
        if (event.kind == SlackEvent::Kind::ignored) {
            log(LogLevel::debug, kLog, "event " + job.event_id + " ignored: " + event.ignored_because);
        } else if (options_.policy.ignored_channels.count(event.message.channel)) {
            log(LogLevel::debug, kLog, "event " + job.event_id + " ignored: channel is in policy.ignored_channels");
        } else if (is_exempt(options_.policy, event.message.user, event.message.bot_id)) {
            log(LogLevel::debug, kLog,
                "event " + job.event_id + " ignored: its author is in policy.exempt_users or policy.exempt_bots");
        } else {
            finished = handle_message(job, event);
        }
    } catch (const StoreError &e) {
        // The event stays pending; it is done again at the next start.
        log(LogLevel::error, kLog, "event " + job.event_id + ": " + e.what());
        finished = false;
        failed = true;
    } catch (const std::exception &e) {
        log(LogLevel::error, kLog, "event " + job.event_id + " failed: " + e.what());
        failed = true;
    }
    if (finished && finisher_) {
        finisher_(job.event_id, failed ? "failed" : "done");
    } else if (finished) {
        try {
            store_.finish_event(job.event_id, failed ? "failed" : "done");
        } catch (const StoreError &e) {
            log(LogLevel::error, kLog, "event " + job.event_id + ": " + e.what());
        }
    }
    std::lock_guard lock(mutex_);
    if (finished) ++counters_.processed;
    if (failed) ++counters_.failed;
}

bool EventProcessor::handle_message(const EventJob &job, const SlackEvent &event) {
    const SlackMessage &message = event.message;
    std::vector<Finding> findings;
    if (!message.text.empty()) findings = engine_.scan_text(message.text, "message").findings;

    std::vector<std::string> flagged_files;
    std::string message_text = message.text;
    for (const auto &ref : message.files) {
        // A file shared in a message also comes as file_shared: scan it once
        // per channel.
        const std::string key = "file:" + ref.id + ":" + message.channel;
        if (!store_.claim_event(key, "")) continue;
        FetchedFile fetched = fetch_file(api_, ref, options_.max_file_bytes);
        if (fetched.interrupted) {
            store_.release_event(key);  // the event's next attempt fetches it again
            return false;
        }
        store_.finish_event(key, "done");
        if (!fetched.ok) {
            log(LogLevel::warning, kLog,
                "file " + ref.id + " (" + where(message) + ") not scanned: " + fetched.problem);
            continue;
        }
        ScanResult result = engine_.scan(fetched.content, fetched.file.name.empty() ? ref.id : fetched.file.name);
        for (const auto &d : result.diagnostics)
            log(d.level, kLog, "file " + ref.id + ": " + d.path + ": " + d.message);
        if (!result.findings.empty()) flagged_files.push_back(ref.id);
        for (auto &f : result.findings) findings.push_back(std::move(f));
        message_text += (message_text.empty() ? "" : "\n") + std::string("[file ") +
                        (fetched.file.name.empty() ? ref.id : fetched.file.name) + "]";
    }
    if (findings.empty()) return true;

    // The same secret in text and in blocks is one finding.
    std::vector<Finding> unique;
    std::set<std::pair<std::string, std::string>> seen;
    for (auto &f : findings)
        if (seen.insert({f.rule, f.match}).second) unique.push_back(std::move(f));

    std::vector<PolicyFinding> judged;
    for (const auto &f : unique) judged.push_back({f.rule, f.severity, mask_secret(f.match), f.confidence});
    const ActionSet actions = decide_actions(options_.policy, message.channel, judged);
    ActionReport report = actions_.apply(actions, message, flagged_files, judged);
    if (report.interrupted) return false;

    std::string ids;
    for (const auto &f : unique) {
        IncidentInput in;
        in.source = "slack";
        in.team_id = event.team_id;
        in.channel_id = message.channel;
        in.user_id = message.user;
        in.message_ts = message.ts;
        in.thread_ts = message.thread_ts;
        in.permalink = message_permalink(self_.team_url, message.channel, message.ts, message.thread_ts);
        in.event_id = job.event_id;
        in.rule = f.rule;
        in.detector = f.detector;
        in.severity = f.severity;
        in.confidence = f.confidence;
        in.match = f.match;
        in.message_text = message_text;
        Poco::JSON::Object planned = json_object();
        planned.set("planned", to_string(actions));
        planned.set("edited", message.edited);
        planned.set("path", valid_utf8(f.path));  // a zip member's name can be any bytes
        in.actions = json_text(planned);
        in.action_results = report.json();
        const int64_t id = store_.record_incident(in);
        ids += (ids.empty() ? "#" : ", #") + std::to_string(id);
    }
    if (actions.alert) actions_.alert(message, judged, report, ids);

    std::string outcome;
    for (const auto &o : report.outcomes) outcome += " " + o.action + "=" + o.result;
    log(LogLevel::info, kLog,
        "incident " + ids + ": " + std::to_string(unique.size()) + " finding(s) in " + where(message) +
            " (rule " + unique.front().rule + "), actions " + to_string(actions) + (outcome.empty() ? "" : ":" + outcome));
    std::lock_guard lock(mutex_);
    ++counters_.flagged;
    counters_.incidents += unique.size();
    if (report.deleted) ++counters_.deleted;
    return true;
}

}  // namespace dlpd::slack
