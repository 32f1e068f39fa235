#include "slack/message_actions.hpp"

#include <Poco/Exception.h>

#include <algorithm>

#include "log.hpp"

namespace dlpd::slack {

namespace {

constexpr const char *kLog = "actions";

std::string hint_for(const std::string &action, const std::string &error) {
    if (error == "no_token" && action.rfind("delete", 0) == 0)
        return "no user token is configured (SLACK_USER_TOKEN): a bot token can delete only the bot's own posts, so "
               "dlpd cannot remove other people's messages. Give dlpd a workspace admin's or owner's user token "
               "(xoxp-…) with chat:write";
    if (error == "cant_delete_message")
        return "Slack refused to delete a message (cant_delete_message): the user token must belong to a workspace "
               "admin or owner, and the workspace may restrict deleting to owners";
    if (error == "cant_delete_file")
        return "Slack refused to delete a file (cant_delete_file): the user token needs files:write and an admin";
    if (error == "not_in_channel" || error == "channel_not_found")
        return "the bot cannot post in a channel (" + error + "): invite dlpd's bot to the channel";
    if (error == "missing_scope")
        return "a token lacks a scope dlpd needs for " + action + " (missing_scope): reinstall the app from "
               "config/slack-app-manifest.yaml";
    if (error == "invalid_auth" || error == "not_authed" || error == "token_revoked" || error == "account_inactive")
        return "a Slack token was refused (" + error + ") for " + action + ": check the tokens in the environment";
    return {};
}

}  // namespace

std::string ActionReport::json() const {
    Poco::JSON::Object out = json_object();
    for (const auto &o : outcomes) out.set(o.action, o.result);
    return json_text(out);
}

void MessageActions::explain_once(const std::string &key, const std::string &text) {
    {
        std::lock_guard lock(mutex_);
        if (!explained_.insert(key).second) return;
    }
    log(LogLevel::error, kLog, text);
}

ActionOutcome MessageActions::record(const std::string &action, const ApiResult &result) {
    ActionOutcome outcome;
    outcome.action = action;
    outcome.ok = result.ok;
    outcome.result = result.ok ? "ok" : result.error;
    if (!result.ok) {
        if (result.error == "stopping") outcome.interrupted = true;
        // Already removed (by a person, or by this event's earlier attempt):
        // gone, but not removed by this call.
        if (action.rfind("delete", 0) == 0 && (result.error == "message_not_found" || result.error == "file_deleted" ||
                                               result.error == "file_not_found")) {
            outcome.ok = true;
            outcome.result = "already gone";
        } else if (const std::string hint = hint_for(action, result.error); !hint.empty()) {
            explain_once(action + "/" + result.error, hint);
        } else if (result.error != "stopping") {
            log(LogLevel::warning, kLog, action + " failed: " + result.detail);
        }
    }
    return outcome;
}

ActionOutcome MessageActions::delete_message(const SlackMessage &message) {
    Poco::JSON::Object args = json_object();
    args.set("channel", message.channel);
    args.set("ts", message.ts);
    return record("delete", api_.call("chat.delete", args, Token::user));
}

ActionOutcome MessageActions::delete_file(const std::string &file) {
    Poco::JSON::Object args = json_object();
    args.set("file", file);
    return record("delete_file", api_.call("files.delete", args, Token::user));
}

namespace {

// Whether a listed message is dlpd's post for mark; its ts in `ts`. Anyone
// can post metadata: a field of another type is simply not a match.
bool carries(const Poco::JSON::Object::Ptr &message, const PostMark &mark, std::string &ts) {
    if (!message) return false;
    try {
        const auto metadata = message->getObject("metadata");
        if (!metadata || metadata->optValue<std::string>("event_type", "") != kPostMarkType) return false;
        const auto payload = metadata->getObject("event_payload");
        if (!payload || payload->optValue<std::string>("event_id", "") != mark.event_id ||
            payload->optValue<std::string>("step", "") != mark.step)
            return false;
        ts = message->optValue<std::string>("ts", "");
        return true;
    } catch (const Poco::Exception &) {
        return false;
    }
}

}  // namespace

MessageActions::Lookup MessageActions::find_post(const std::string &channel, const std::string &thread_ts,
                                                 const std::string &oldest_ts, const PostMark &mark,
                                                 std::string &found_ts) {
    // Slack's conversations.history lists a channel's messages newest first
    // (thread replies only in conversations.replies); metadata only with
    // include_all_metadata. A notice comes within seconds of the message it
    // answers, so a few pages from `oldest` are enough; more means a busy
    // channel, and the search gives up rather than page for ever.
    std::string cursor;
    for (int page = 0; page < 10; ++page) {
        Poco::JSON::Object args = json_object();
        args.set("channel", channel);
        if (!thread_ts.empty()) args.set("ts", thread_ts);
        if (!oldest_ts.empty()) args.set("oldest", oldest_ts);
        args.set("inclusive", true);
        args.set("limit", 200);
        args.set("include_all_metadata", true);
        if (!cursor.empty()) args.set("cursor", cursor);
        const ApiResult r =
            api_.call(thread_ts.empty() ? "conversations.history" : "conversations.replies", args, Token::bot);
        if (!r.ok || !r.json) {
            if (r.error != "stopping")
                log(LogLevel::warning, kLog,
                    "cannot look for the " + mark.step + " an earlier attempt at event " + mark.event_id +
                        " may have posted (" + r.error + "): posting it" +
                        (r.error == "missing_scope" ? "; the bot token needs the *:history scopes of the manifest"
                                                    : ""));
            return Lookup::failed;
        }
        const auto messages = r.json->getArray("messages");
        if (messages)
            for (size_t i = 0; i < messages->size(); ++i) {
                const auto m = messages->getObject(static_cast<unsigned>(i));
                if (carries(m, mark, found_ts)) return Lookup::found;
            }
        const auto meta = r.json->getObject("response_metadata");
        cursor = meta ? meta->optValue<std::string>("next_cursor", "") : "";
        if (cursor.empty()) return Lookup::not_found;
    }
    return Lookup::not_found;
}

ActionOutcome MessageActions::post(const std::string &action, Poco::JSON::Object &args, bool ephemeral,
                                   const PostMark &mark, bool look_first, const std::string &thread_ts,
                                   const std::string &oldest_ts) {
    // An ephemeral message is in no history: it cannot be looked for, and a
    // resumed one is posted again (the remaining window; see README).
    if (look_first && !ephemeral) {
        std::string ts;
        const Lookup found = find_post(args.getValue<std::string>("channel"), thread_ts, oldest_ts, mark, ts);
        if (found == Lookup::found) {
            log(LogLevel::info, kLog,
                action + " of event " + mark.event_id + " was posted by an earlier attempt: not posted again");
            ActionOutcome outcome{action, true, "ok", false, ts};
            return outcome;
        }
    }
    if (!ephemeral) {
        Poco::JSON::Object::Ptr metadata = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        Poco::JSON::Object::Ptr payload = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        payload->set("event_id", mark.event_id);
        payload->set("step", mark.step);
        metadata->set("event_type", std::string(kPostMarkType));
        metadata->set("event_payload", payload);
        args.set("metadata", metadata);
    }
    const ApiResult r = api_.call(ephemeral ? "chat.postEphemeral" : "chat.postMessage", args, Token::bot);
    ActionOutcome outcome = record(action, r);
    if (r.ok) outcome.posted_ts = r.string_field(ephemeral ? "message_ts" : "ts");
    return outcome;
}

ActionOutcome MessageActions::notify(const PolicyOptions &policy, const SlackMessage &message,
                                     const std::vector<PolicyFinding> &findings, bool deleted, const PostMark &mark,
                                     bool look_first) {
    const std::string text =
        render_notice(deleted ? policy.notice_removed : policy.notice_kept, message.user, findings);
    Poco::JSON::Object args = json_object();
    args.set("channel", message.channel);
    args.set("text", text);
    if (!message.thread_ts.empty()) args.set("thread_ts", message.thread_ts);
    const bool ephemeral = policy.notice_place == NoticePlace::ephemeral && !message.user.empty();
    if (ephemeral) args.set("user", message.user);
    args.set("unfurl_links", false);
    args.set("unfurl_media", false);
    // The notice comes after the message it answers: in its thread when it
    // is in one, else in the channel.
    return post("notify", args, ephemeral, mark, look_first, message.thread_ts, message.ts);
}

ActionOutcome MessageActions::alert(const PolicyOptions &policy, const SlackMessage &message,
                                    const std::vector<PolicyFinding> &findings, const ActionReport &report,
                                    const std::string &incident_ids, const PostMark &mark, bool look_first,
                                    int64_t since_ms) {
    std::string what = report.deleted ? "deleted" : "kept";
    for (const auto &o : report.outcomes)
        if (!o.ok) what += ", " + o.action + " failed (" + o.result + ")";
    std::string text = render_notice("dlpd: {rules} ({severity}) from {user}", message.user, findings);
    if (!message.channel.empty()) text += " in <#" + escape_mrkdwn(message.channel) + ">";
    text += ": " + escape_mrkdwn(findings.empty() ? std::string() : findings.front().masked) + ". Message " + what +
            ". Incident " + incident_ids + ".";
    if (policy.alert_channel.empty()) {
        log(LogLevel::warning, kLog, "alert (policy.alert_channel is not set): " + text);
        ActionOutcome logged;
        logged.action = "alert";
        logged.ok = true;
        logged.result = "logged";
        return logged;
    }
    Poco::JSON::Object args = json_object();
    args.set("channel", policy.alert_channel);
    args.set("text", text);
    args.set("unfurl_links", false);
    // Slack's clock and this machine's differ: a minute's margin before the
    // plan was recorded (the mark makes the match exact).
    const std::string oldest = std::to_string(std::max<int64_t>(0, since_ms / 1000 - 60)) + ".000000";
    return post("alert", args, false, mark, look_first, "", oldest);
}

}  // namespace dlpd::slack
