// Resuming an event from each state of its action journal: what an earlier
// attempt left in the store (claimed, planned, some steps done, a post made
// but not recorded) is continued, never repeated. Each case writes that
// state with the store's own calls, as the attempt that died would have,
// then starts the service, which takes the event over.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>

#include "slack/message_actions.hpp"
#include "slack/web_api.hpp"
#include "slack_harness.hpp"

using namespace dlpd;
using namespace dlpd::test;

namespace {

const std::string kCard = "4539 1488 0343 6467";
const std::string kEvent = "Ev0JOURNAL01";
const std::string kTs = "1700000031.000100";

std::string message_event(const std::string &channel, const std::string &text, const std::string &ts,
                          const std::string &thread_ts) {
    return R"({"token":"x","team_id":"T0DOUBLE01","api_app_id":"A0DOUBLE01","type":"event_callback","event_id":")" +
           kEvent + R"(","event_time":1700000000,"event":{"type":"message","channel":")" + channel +
           R"(","user":"U0ALICE001","text":")" + text + R"(","ts":")" + ts + R"(",)" +
           (thread_ts.empty() ? std::string() : R"("thread_ts":")" + thread_ts + R"(",)") +
           R"("channel_type":"channel"}})";
}

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The service, not started, on the card rules only (the test is about
// actions, not detection), with alerts to C0ALERTS01.
struct Resume {
    explicit Resume(const std::string &actions = "delete,notify", const std::string &thread_ts = {})
        : thread(thread_ts), h(options(actions)) {
        h.slack.add_message({"C0GENERAL1", kTs, "U0ALICE001", "card " + kCard, thread, "", ""});
        REQUIRE(h.store->claim_event(kEvent, message_event("C0GENERAL1", "card " + kCard, kTs, thread)));
    }

    static HarnessOptions options(const std::string &actions) {
        HarnessOptions o;
        o.start_service = false;
        o.configure = [actions](Config &c) {
            c.rules.pack = kSourceDir / "config" / "packs" / "pci.yaml";
            c.policy.actions = actions;
            c.policy.actions_high = "";
            c.policy.actions_critical = "";
            c.policy.alert_channel = "C0ALERTS01";
        };
        return o;
    }

    // What the attempt that died recorded when it decided: the incident and
    // its plan, every step decided.
    int64_t plan(const std::vector<std::string> &steps) {
        EventPlan p;
        std::string list;
        for (const auto &s : steps) list += (list.empty() ? "\"" : ",\"") + s + "\"";
        p.plan = R"({"at":)" + std::to_string(now_ms()) + R"(,"actions":"delete,notify","steps":[)" + list +
                 R"(],"findings":[{"rule":"card_visa","severity":"high","masked":"**** **** **** 6467","confidence":"high"}]})";
        p.steps = steps;
        IncidentInput in;
        in.event_id = kEvent;
        in.channel_id = "C0GENERAL1";
        in.user_id = "U0ALICE001";
        in.message_ts = kTs;
        in.rule = "card_visa";
        in.detector = "regex";
        in.severity = "high";
        in.match = kCard;
        p.incidents = {in};
        auto ids = h.store->record_plan(kEvent, p);
        REQUIRE(ids);
        return ids->front();
    }

    // A post the attempt made before it died, with dlpd's mark, through the
    // double's real Web API.
    std::string earlier_post(const std::string &channel, const std::string &step, const std::string &thread_ts) {
        slack::WebApiOptions o;
        o.api_url = h.slack.api_url();
        o.bot_token = h.slack.options().bot_token;
        slack::WebApi api(o);
        Poco::JSON::Object args = slack::json_object();
        args.set("channel", channel);
        args.set("text", "earlier attempt's " + step);
        if (!thread_ts.empty()) args.set("thread_ts", thread_ts);
        Poco::JSON::Object::Ptr metadata = new Poco::JSON::Object;
        Poco::JSON::Object::Ptr payload = new Poco::JSON::Object;
        payload->set("event_id", kEvent);
        payload->set("step", step);
        metadata->set("event_type", std::string(slack::kPostMarkType));
        metadata->set("event_payload", payload);
        args.set("metadata", metadata);
        auto r = api.call("chat.postMessage", args, slack::Token::bot);
        REQUIRE(r.ok);
        return r.string_field("ts");
    }

    // The delete the attempt made before it died, through the double's real Web API.
    void earlier_delete() {
        slack::WebApiOptions o;
        o.api_url = h.slack.api_url();
        o.user_token = h.slack.options().user_token;
        slack::WebApi api(o);
        REQUIRE(api.call("chat.delete", R"({"channel":"C0GENERAL1","ts":")" + kTs + R"("})", slack::Token::user).ok);
    }

    void run() {
        h.start();
        REQUIRE(h.started);
        REQUIRE(h.wait_idle());
        h.service->stop();
    }

    std::map<std::string, JournalStep> steps() {
        std::map<std::string, JournalStep> out;
        for (const auto &s : h.store->journal(kEvent)) out[s.step] = s;
        return out;
    }

    size_t incidents() {
        size_t n = 0;
        for (const auto &i : h.store->recent_incidents(100)) n += i.event_id == kEvent;
        return n;
    }

    size_t calls(const std::string &method) { return h.slack.calls(method).size(); }

    std::string thread;
    SlackHarness h;
};

}  // namespace

TEST_CASE("resumed with no plan: scanned, then deleted, noticed and recorded once", "[slack][journal]") {
    Resume r;
    r.run();
    CHECK(r.calls("chat.delete") == 1);
    CHECK(r.h.deleted(kTs));
    CHECK(r.calls("chat.postMessage") == 1);
    CHECK(r.incidents() == 1);
    auto steps = r.steps();
    CHECK(steps["plan"].state == "done");
    CHECK(steps["delete"].result == "ok");
    CHECK(steps["notify"].result == "ok");
    CHECK(steps["outcome"].state == "done");
    // The notice carries the mark a later attempt would look for.
    const auto posted = r.h.slack.posted_messages();
    REQUIRE(posted.size() == 1);
    CHECK(posted[0].metadata.find(kEvent) != std::string::npos);
    CHECK(posted[0].metadata.find("\"notify\"") != std::string::npos);
}

TEST_CASE("a delete is taken before the plan is written, and the plan records it done in its own transaction",
          "[slack][journal]") {
    Resume r;
    r.run();
    auto steps = r.steps();
    REQUIRE(steps.count("delete") == 1);
    CHECK(steps["delete"].state == "done");
    CHECK(steps["delete"].result == "ok");
    // Written with the plan (one timestamp for the whole transaction), not
    // by a later step_done: it had been taken when the plan was written.
    CHECK(steps["delete"].updated_at_ms == steps["plan"].updated_at_ms);
    CHECK(steps["notify"].updated_at_ms >= steps["plan"].updated_at_ms);
    CHECK(r.calls("chat.delete") == 1);
}

TEST_CASE("resumed with no plan after its delete went through: scanned again, already gone, recorded once",
          "[slack][journal]") {
    // The attempt that died had deleted the message and died before its
    // plan committed: nothing of the event is in the journal.
    Resume r;
    r.earlier_delete();
    r.run();
    const auto deletes = r.h.slack.calls("chat.delete");
    REQUIRE(deletes.size() == 2);
    CHECK(deletes[1].error == "message_not_found");
    auto steps = r.steps();
    CHECK(steps["plan"].state == "done");
    CHECK(steps["delete"].result == "already gone");
    CHECK(r.incidents() == 1);
    const auto posted = r.h.slack.posted_messages();
    REQUIRE(posted.size() == 1);
    CHECK(posted[0].text.find("was removed") != std::string::npos);
}

TEST_CASE("resumed with a plan: its steps are taken and no second incident is recorded", "[slack][journal]") {
    Resume r;
    const int64_t incident = r.plan({"delete", "notify"});
    r.run();
    CHECK(r.calls("chat.delete") == 1);
    CHECK(r.h.deleted(kTs));
    CHECK(r.calls("chat.postMessage") == 1);
    CHECK(r.incidents() == 1);
    const auto got = r.h.store->incident(incident);
    REQUIRE(got);
    CHECK(got->action_results == R"({"delete":"ok","notify":"ok"})");
    CHECK(r.h.log.count("(resumed)") == 1);
}

TEST_CASE("resumed after its delete went through unrecorded: already gone, not a new deletion", "[slack][journal]") {
    Resume r;
    const int64_t incident = r.plan({"delete", "notify"});
    // The attempt that died had deleted the message before it could say so.
    r.earlier_delete();
    r.run();
    const auto deletes = r.h.slack.calls("chat.delete");
    REQUIRE(deletes.size() == 2);  // the earlier attempt's, and the resumed step's
    CHECK(deletes[1].error == "message_not_found");
    CHECK(r.steps()["delete"].result == "already gone");
    CHECK(r.h.store->incident(incident)->action_results == R"({"delete":"already gone","notify":"ok"})");
    // The conversation is told the message was removed, once.
    const auto posted = r.h.slack.posted_messages();
    REQUIRE(posted.size() == 1);
    CHECK(posted[0].text.find("was removed") != std::string::npos);
}

TEST_CASE("resumed after its notice was posted unrecorded: found in the channel, not posted again",
          "[slack][journal]") {
    Resume r;
    r.plan({"delete", "notify"});
    r.h.store->step_done(kEvent, "delete", "ok");
    REQUIRE(r.h.slack.calls("chat.delete").empty());
    const std::string earlier = r.earlier_post("C0GENERAL1", "notify", "");
    r.run();
    CHECK(r.calls("chat.delete") == 0);        // done: not taken again
    CHECK(r.calls("chat.postMessage") == 1);   // the earlier attempt's only
    CHECK(r.calls("conversations.history") >= 1);
    auto steps = r.steps();
    CHECK(steps["notify"].result == "ok");
    CHECK(steps["notify"].detail.find(earlier) != std::string::npos);
    CHECK(r.h.log.count("was posted by an earlier attempt") == 1);
}

TEST_CASE("resumed in a thread after its notice was posted unrecorded: found among the replies", "[slack][journal]") {
    const std::string parent = "1700000030.000100";
    Resume r("delete,notify", parent);
    r.h.slack.add_message({"C0GENERAL1", parent, "U0BOB00001", "the thread", "", "", ""});
    r.plan({"delete", "notify"});
    r.h.store->step_done(kEvent, "delete", "ok");
    r.earlier_post("C0GENERAL1", "notify", parent);
    r.run();
    CHECK(r.calls("chat.postMessage") == 1);
    CHECK(r.calls("conversations.replies") >= 1);
    CHECK(r.steps()["notify"].state == "done");
}

TEST_CASE("resumed with a notice decided but never posted: looked for, then posted once", "[slack][journal]") {
    Resume r;
    r.plan({"delete", "notify"});
    r.h.store->step_done(kEvent, "delete", "ok");
    // Another event's notice in the channel is not this one's.
    {
        slack::WebApiOptions o;
        o.api_url = r.h.slack.api_url();
        o.bot_token = r.h.slack.options().bot_token;
        slack::WebApi api(o);
        REQUIRE(api.call("chat.postMessage",
                         R"({"channel":"C0GENERAL1","text":"x","metadata":{"event_type":"dlpd_action","event_payload":{"event_id":"Ev0OTHER001","step":"notify"}}})",
                         slack::Token::bot)
                    .ok);
    }
    r.run();
    CHECK(r.calls("conversations.history") >= 1);
    const auto posted = r.h.slack.posted_messages();
    REQUIRE(posted.size() == 2);
    CHECK(posted[1].metadata.find(kEvent) != std::string::npos);
    CHECK(posted[1].text.find("was removed") != std::string::npos);
}

TEST_CASE("resumed after its alert was posted unrecorded: not posted again", "[slack][journal]") {
    Resume r("delete,notify,alert");
    r.plan({"delete", "notify", "alert"});
    r.h.store->step_done(kEvent, "delete", "ok");
    r.h.store->step_done(kEvent, "notify", "ok");
    r.earlier_post("C0ALERTS01", "alert", "");
    r.run();
    CHECK(r.calls("chat.delete") == 0);
    CHECK(r.calls("chat.postMessage") == 1);
    CHECK(r.steps()["alert"].result == "ok");
}

TEST_CASE("resumed with every step done: nothing is done again in Slack, and the event is finished",
          "[slack][journal]") {
    Resume r("delete,notify,alert");
    const int64_t incident = r.plan({"delete", "notify", "alert"});
    for (const char *step : {"delete", "notify", "alert"}) r.h.store->step_done(kEvent, step, "ok");
    r.h.store->record_outcome(kEvent, {incident}, R"({"delete":"ok","notify":"ok","alert":"ok"})");
    r.run();
    for (const char *method : {"chat.delete", "chat.postMessage", "conversations.history", "conversations.replies"})
        CHECK(r.calls(method) == 0);
    CHECK(r.incidents() == 1);
    CHECK(r.h.store->pending_events().empty());
}
