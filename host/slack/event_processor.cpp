#include "slack/event_processor.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <map>
#include <set>

#include "engine/utf8_text.hpp"
#include "log.hpp"
#include "engine/fingerprint.hpp"
#include "engine/masking.hpp"
#include "engine/scan_engine.hpp"
#include "slack/file_fetch.hpp"
#include "slack/slack_metrics.hpp"
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
      policy_(std::make_shared<const PolicyOptions>(options_.policy)), actions_(api_) {}

EventProcessor::~EventProcessor() { stop(std::chrono::milliseconds(0)); }

void EventProcessor::start() {
    for (int i = 0; i < std::max(1, options_.workers); ++i) threads_.emplace_back([this] { work(); });
}

void EventProcessor::enqueue(EventJob job) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(job));
        slack_metrics().worker_queue.set(static_cast<double>(queue_.size()));
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
            slack_metrics().worker_queue.set(static_cast<double>(queue_.size()));
            slack_metrics().workers_busy.set(static_cast<double>(busy_));
        }
        process(job);
        {
            std::lock_guard lock(mutex_);
            --busy_;
            slack_metrics().workers_busy.set(static_cast<double>(busy_));
        }
        wake_.notify_all();
    }
}

void EventProcessor::process(const EventJob &job) {
    bool finished = true;
    bool failed = false;
    metrics::Counter *outcome = &slack_metrics().processed_skipped;
    const std::shared_ptr<const PolicyOptions> policy = policy_.load();
    try {
        const SlackEvent event = read_slack_event(job.payload, self_);
        if (event.kind == SlackEvent::Kind::ignored) {
            log(LogLevel::debug, kLog, "event " + job.event_id + " ignored: " + event.ignored_because);
        } else if (policy->ignored_channels.count(event.message.channel)) {
            log(LogLevel::debug, kLog, "event " + job.event_id + " ignored: channel is in policy.ignored_channels");
        } else if (is_exempt(*policy, event.message.user, event.message.bot_id)) {
            log(LogLevel::debug, kLog,
                "event " + job.event_id + " ignored: its author is in policy.exempt_users or policy.exempt_bots");
        } else {
            bool flagged = false;
            finished = handle_message(job, event, *policy, flagged);
            outcome = flagged ? &slack_metrics().processed_flagged : &slack_metrics().processed_clean;
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
    if (failed)
        slack_metrics().process_failed.inc();
    else if (finished)
        outcome->inc();
    std::lock_guard lock(mutex_);
    if (finished) ++counters_.processed;
    if (failed) ++counters_.failed;
}

namespace {

// An event's plan as the journal keeps it (no secret: findings are masked).
struct Plan {
    int64_t at_ms = 0;
    std::string actions;              // to_string(ActionSet), for the log
    std::vector<std::string> steps;   // delete, delete_file:F…, notify, alert
    std::vector<PolicyFinding> findings;
    std::vector<int64_t> incidents;
};

std::string plan_json(const Plan &plan) {
    Poco::JSON::Object out = json_object();
    out.set("at", plan.at_ms);
    out.set("actions", plan.actions);
    Poco::JSON::Array steps;
    for (const auto &st : plan.steps) steps.add(st);
    out.set("steps", steps);
    Poco::JSON::Array findings;
    for (const auto &f : plan.findings) {
        Poco::JSON::Object o = json_object();
        o.set("rule", f.rule);
        o.set("severity", f.severity);
        o.set("masked", f.masked);
        o.set("confidence", f.confidence);
        if (f.unscannable) o.set("unscannable", true);
        findings.add(o);
    }
    out.set("findings", findings);
    return json_text(out);
}

// The plan an earlier attempt recorded; throws when it is unreadable.
Plan read_plan(const JournalStep &step) {
    Plan plan;
    Poco::JSON::Parser parser;
    const auto json = parser.parse(step.detail).extract<Poco::JSON::Object::Ptr>();
    plan.at_ms = json->optValue<Poco::Int64>("at", step.updated_at_ms);
    plan.actions = json->optValue<std::string>("actions", "");
    if (const auto steps = json->getArray("steps"))
        for (size_t i = 0; i < steps->size(); ++i) plan.steps.push_back(steps->getElement<std::string>(i));
    if (const auto findings = json->getArray("findings"))
        for (size_t i = 0; i < findings->size(); ++i) {
            const auto f = findings->getObject(static_cast<unsigned>(i));
            plan.findings.push_back({f->optValue<std::string>("rule", ""), f->optValue<std::string>("severity", ""),
                                     f->optValue<std::string>("masked", ""),
                                     f->optValue<std::string>("confidence", "medium"),
                                     f->optValue<bool>("unscannable", false)});
        }
    for (size_t at = 0; at < step.result.size();) {
        size_t comma = step.result.find(',', at);
        if (comma == std::string::npos) comma = step.result.size();
        if (comma > at) plan.incidents.push_back(std::stoll(step.result.substr(at, comma - at)));
        at = comma + 1;
    }
    return plan;
}

bool is_unscannable(const Finding &f) { return f.detector == "dlpd" && f.rule == kUnscannableRule; }

// What an unscannable file's incident and notice show: the reason, never
// the file's name (which is scanned, and may be the secret).
std::string unscannable_mask(const Finding &f) { return f.match.substr(f.match.rfind(' ') + 1); }

std::string incident_list(const std::vector<int64_t> &ids) {
    std::string out;
    for (auto id : ids) out += (out.empty() ? "#" : ", #") + std::to_string(id);
    return out;
}

}  // namespace

bool EventProcessor::handle_message(const EventJob &job, const SlackEvent &event, const PolicyOptions &policy,
                                    bool &flagged) {
    const SlackMessage &message = event.message;
    // A resumed event continues from its journal: what its earlier attempt
    // decided is not decided again (the rules may have changed since), and
    // what it did is not done again.
    std::vector<JournalStep> journal;
    if (job.resumed) journal = store_.journal(job.event_id);
    auto step_of = [&](const std::string &name) -> const JournalStep * {
        for (const auto &st : journal)
            if (st.step == name) return &st;
        return nullptr;
    };

    // A delete, taken here or in the loop below; and what it says about the
    // message, for the report (a file-only share is gone with its files).
    auto take_delete = [&](const std::string &name) {
        if (name == "delete") return actions_.delete_message(message);
        return actions_.delete_file(name.substr(std::string("delete_file:").size()));
    };
    ActionReport report;
    auto count_delete = [&](const std::string &name, const ActionOutcome &outcome) {
        if (name != "delete" && !message.ts.empty()) return;
        report.deleted = name == "delete" ? outcome.ok : report.deleted || outcome.ok;
        report.deleted_now = (name == "delete" ? false : report.deleted_now) || (outcome.ok && outcome.result == "ok");
    };
    std::map<std::string, ActionOutcome> taken;  // deletes taken before the plan was written
    // Each action is counted once, when Slack has answered it.
    auto count_action = [&](const std::string &name, const ActionOutcome &outcome) {
        const std::string action = name.rfind("delete_file:", 0) == 0 ? "delete_file" : name;
        slack_metrics().actions.with({action, result_label(outcome.result)}).inc();
        if (outcome.ok && job.received != std::chrono::steady_clock::time_point{})
            slack_metrics().action_latency.with({action}).observe(seconds_since(job.received));
    };

    Plan plan;
    bool from_journal = false;
    if (const JournalStep *recorded = step_of("plan")) {
        plan = read_plan(*recorded);
        from_journal = true;
        flagged = true;
    } else {
        std::vector<Finding> findings;
        if (!message.text.empty()) findings = engine_.scan_text(message.text, "message").findings;

        std::vector<std::string> flagged_files;
        std::string message_text = message.text;
        // A file that could not be read is a finding of its own, for
        // policy.unscannable: what dlpd cannot see is not let through silently.
        // Returns whether the file is to be deleted for it.
        auto unscannable = [&](const FileRef &file, const std::string &reason, const std::string &why) {
            Finding f;
            f.path = "file " + file.id;
            f.rule = kUnscannableRule;
            f.detector = "dlpd";
            f.severity = "medium";
            f.confidence = "high";
            f.match = "file " + file.id + " " + reason;  // its fingerprint keeps it once per file and reason
            log(LogLevel::warning, kLog,
                "file " + file.id + " (" + where(message) + ") could not be scanned (" + reason + "): " + why);
            findings.push_back(std::move(f));
            return policy.unscannable.delete_message;
        };
        for (const auto &ref : message.files) {
            // A file shared in a message also comes as file_shared: scan it
            // once per channel (again by the same event when it resumes).
            const std::string key = "file:" + ref.id + ":" + message.channel;
            if (!store_.claim_file(key, job.event_id)) continue;
            FetchedFile fetched = fetch_file(api_, ref, options_.max_file_bytes);
            if (fetched.interrupted) return false;  // the event's next attempt fetches it again
            // What the sharer typed as the title, and the name, are text too
            // (a snippet titled with a card number). Never by the file's own
            // name as a path: that would show the secret in the incident.
            const std::string label = "file " + ref.id;
            const size_t before = findings.size();
            auto scan_label = [&](const std::string &text, const char *what) {
                for (auto &f : engine_.scan_text(text, label + what).findings) findings.push_back(std::move(f));
            };
            if (!fetched.file.title.empty()) scan_label(fetched.file.title, " title");
            if (!fetched.file.name.empty() && fetched.file.name != fetched.file.title)
                scan_label(fetched.file.name, " name");
            bool flagged = findings.size() > before;
            if (!fetched.ok) {
                if (fetched.too_large)
                    flagged = unscannable(fetched.file, "limit", fetched.problem) || flagged;
                else
                    log(LogLevel::warning, kLog,
                        "file " + ref.id + " (" + where(message) + ") not scanned: " + fetched.problem);
                if (flagged) flagged_files.push_back(ref.id);
                continue;
            }
            // The name gives the extractors a hint; the log shows the id
            // instead, as the name may be the very secret.
            const std::string item = fetched.file.name.empty() ? ref.id : fetched.file.name;
            auto shown = [&](const std::string &path) {
                return path.rfind(item, 0) == 0 ? label + path.substr(item.size()) : path;
            };
            ScanResult result = engine_.scan(fetched.content, item);
            for (const auto &d : result.diagnostics) log(d.level, kLog, shown(d.path) + ": " + d.message);
            flagged = flagged || !result.findings.empty();
            for (auto &f : result.findings) findings.push_back(std::move(f));
            if (const auto parts = unscanned_parts(result); !parts.empty()) {
                // One finding per file, named by the first reason; the log
                // line names every part.
                std::string why;
                for (const auto &part : parts)
                    why += (why.empty() ? "" : "; ") + shown(part.path) +
                           (part.subject.empty() ? "" : " " + part.subject) + ": " + part.message;
                flagged = unscannable(fetched.file, parts.front().reason, why) || flagged;
            }
            if (flagged) flagged_files.push_back(ref.id);
            message_text += (message_text.empty() ? "" : "\n") + std::string("[file ") +
                            (fetched.file.name.empty() ? ref.id : fetched.file.name) + "]";
        }
        if (findings.empty()) return true;
        flagged = true;

        // The same secret in text and in blocks is one finding; so is one
        // written twice (with and without dashes): one incident per
        // (event, rule, match fingerprint), as the store enforces.
        std::vector<Finding> unique;
        std::set<std::pair<std::string, std::string>> seen;
        for (auto &f : findings)
            if (seen.insert({f.rule, canonical_match(f.match)}).second) unique.push_back(std::move(f));

        for (const auto &f : unique) {
            slack_metrics().findings.with({f.rule, f.severity}).inc();
            const bool unreadable = is_unscannable(f);
            plan.findings.push_back({f.rule, f.severity, unreadable ? unscannable_mask(f) : mask_secret(f.match),
                                     f.confidence, unreadable});
        }
        const ActionSet actions = decide_actions(policy, message.channel, plan.findings);
        plan.actions = to_string(actions);
        plan.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
        if (actions.delete_message) {
            if (!message.ts.empty()) plan.steps.push_back("delete");
            for (const auto &file : flagged_files) plan.steps.push_back("delete_file:" + file);
        }
        if (actions.notify && !message.channel.empty()) plan.steps.push_back("notify");
        if (actions.alert) plan.steps.push_back("alert");

        EventPlan record;
        record.steps = plan.steps;
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
            if (is_unscannable(f)) in.masked = unscannable_mask(f);
            in.message_text = message_text;
            Poco::JSON::Object planned = json_object();
            planned.set("planned", plan.actions);
            planned.set("edited", message.edited);
            planned.set("path", valid_utf8(f.path));  // a zip member's name can be any bytes
            in.actions = json_text(planned);
            in.action_results = R"({"pending":true})";
            record.incidents.push_back(std::move(in));
        }
        record.plan = plan_json(plan);
        // The deletes first, before the plan is written: Slack's delete is
        // safe to repeat (a second one answers message_not_found, read as
        // "already gone" and never counted as a deletion), so the message
        // need not stay up while the plan commits. The plan records them
        // done. A crash between a delete and the plan's commit leaves no
        // plan: the next attempt scans again, deletes again and records then
        // (no post is made before the plan, so none can be doubled).
        std::chrono::steady_clock::time_point first_answer;
        for (const auto &name : plan.steps) {
            if (name != "delete" && name.rfind("delete_file:", 0) != 0) continue;
            ActionOutcome outcome = take_delete(name);
            if (outcome.interrupted) return false;  // no plan yet: the next attempt starts over
            if (taken.empty()) first_answer = std::chrono::steady_clock::now();
            count_action(name, outcome);
            record.taken[name] = outcome.result;
            taken.emplace(name, std::move(outcome));
        }
        // The incidents and the plan in one transaction, before any post:
        // from here on the event is finished from its journal.
        if (auto ids = store_.record_plan(job.event_id, record)) {
            plan.incidents = *ids;
            slack_metrics().incidents.inc(ids->size());
            if (!taken.empty()) slack_metrics().unrecorded.with({"delete"}).observe(seconds_since(first_answer));
        } else {
            // An earlier attempt or another replica recorded it first; its
            // plan is followed (a delete it did not mark done is repeated).
            taken.clear();
            journal = store_.journal(job.event_id);
            const JournalStep *recorded = step_of("plan");
            if (!recorded) throw StoreError("the plan of event " + job.event_id + " was recorded but cannot be read");
            plan = read_plan(*recorded);
            from_journal = true;
        }
    }

    const std::string ids = incident_list(plan.incidents);
    for (const auto &name : plan.steps) {
        const JournalStep *recorded = step_of(name);
        const std::string action = name.rfind("delete_file:", 0) == 0 ? "delete_file" : name;
        if (auto early = taken.find(name); early != taken.end()) {
            count_delete(name, early->second);
            report.outcomes.push_back(std::move(early->second));
            continue;
        }
        if (recorded && recorded->state == "done") {
            ActionOutcome done;
            done.action = action;
            done.ok = recorded->result == "ok" || recorded->result == "already gone" || recorded->result == "logged";
            done.result = recorded->result;
            if (action == "delete" || (action == "delete_file" && message.ts.empty()))
                report.deleted = report.deleted || done.ok;
            report.outcomes.push_back(done);
            continue;
        }
        // Decided by an attempt that may have taken it before it died: a
        // delete is taken again (its "already gone" is not a new deletion),
        // a post is looked for first.
        const bool unconfirmed = from_journal;
        const PostMark mark{job.event_id, name};
        ActionOutcome outcome;
        if (action == "delete" || action == "delete_file") {
            outcome = take_delete(name);
            count_delete(name, outcome);
        } else if (action == "notify") {
            outcome = actions_.notify(policy, message, plan.findings, report.deleted, mark, unconfirmed);
        } else if (action == "alert") {
            outcome = actions_.alert(policy, message, plan.findings, report, ids, mark, unconfirmed, plan.at_ms);
        } else {
            log(LogLevel::warning, kLog, "event " + job.event_id + ": unknown step '" + name + "' in its plan; skipped");
            continue;
        }
        if (outcome.interrupted) return false;  // stays decided: the next attempt takes it
        const auto answered = std::chrono::steady_clock::now();
        count_action(name, outcome);
        Poco::JSON::Object detail = json_object();
        if (!outcome.posted_ts.empty()) detail.set("ts", outcome.posted_ts);
        store_.step_done(job.event_id, name, outcome.result, json_text(detail));
        slack_metrics().unrecorded.with({action}).observe(seconds_since(answered));
        report.outcomes.push_back(std::move(outcome));
    }
    if (const JournalStep *done = step_of("outcome"); !done || done->state != "done")
        store_.record_outcome(job.event_id, plan.incidents, report.json());

    std::string outcome;
    for (const auto &o : report.outcomes) outcome += " " + o.action + "=" + o.result;
    const std::string rule = plan.findings.empty() ? std::string("?") : plan.findings.front().rule;
    log(LogLevel::info, kLog,
        "incident " + ids + ": " + std::to_string(plan.findings.size()) + " finding(s) in " + where(message) +
            " (rule " + rule + "), actions " + plan.actions + (outcome.empty() ? "" : ":" + outcome) +
            (from_journal ? " (resumed)" : ""),
        {{"event_id", job.event_id},
         {"channel", message.channel},
         {"ts", message.ts},
         {"incidents", ids},
         {"rule", rule},
         {"actions", plan.actions}});
    std::lock_guard lock(mutex_);
    if (!from_journal) {
        ++counters_.flagged;
        counters_.incidents += plan.incidents.size();
    }
    if (report.deleted_now) ++counters_.deleted;
    return true;
}

}  // namespace dlpd::slack
