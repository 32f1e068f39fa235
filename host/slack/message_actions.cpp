#include "slack/message_actions.hpp"

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

ActionOutcome MessageActions::record(const std::string &action, const ApiResult &result, ActionReport &report) {
    ActionOutcome outcome{action, result.ok, result.ok ? "ok" : result.error};
    if (!result.ok) {
        if (result.error == "stopping") report.interrupted = true;
        // Already removed (by a person, or by this event's first attempt).
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
    report.outcomes.push_back(outcome);
    return outcome;
}

ActionReport MessageActions::apply(const ActionSet &actions, const SlackMessage &message,
                                   const std::vector<std::string> &files, const std::vector<PolicyFinding> &findings) {
    ActionReport report;
    if (actions.delete_message) {
        if (!message.ts.empty()) {
            Poco::JSON::Object args = json_object();
            args.set("channel", message.channel);
            args.set("ts", message.ts);
            const auto r = api_.call("chat.delete", args, Token::user);
            report.deleted = record("delete", r, report).ok;
        }
        for (const auto &file : files) {
            Poco::JSON::Object args = json_object();
            args.set("file", file);
            const auto r = api_.call("files.delete", args, Token::user);
            const bool ok = record("delete_file", r, report).ok;
            if (message.ts.empty()) report.deleted = report.deleted || ok;
        }
    }
    if (actions.notify && !message.channel.empty()) {
        const std::string text =
            render_notice(report.deleted ? policy_.notice_removed : policy_.notice_kept, message.user, findings);
        Poco::JSON::Object args = json_object();
        args.set("channel", message.channel);
        args.set("text", text);
        if (!message.thread_ts.empty()) args.set("thread_ts", message.thread_ts);
        const bool ephemeral = policy_.notice_place == NoticePlace::ephemeral && !message.user.empty();
        if (ephemeral) args.set("user", message.user);
        args.set("unfurl_links", false);
        args.set("unfurl_media", false);
        record("notify", api_.call(ephemeral ? "chat.postEphemeral" : "chat.postMessage", args, Token::bot), report);
    }
    return report;
}

ActionOutcome MessageActions::alert(const SlackMessage &message, const std::vector<PolicyFinding> &findings,
                                    const ActionReport &report, const std::string &incident_ids) {
    std::string what = report.deleted ? "deleted" : "kept";
    for (const auto &o : report.outcomes)
        if (!o.ok) what += ", " + o.action + " failed (" + o.result + ")";
    std::string text = render_notice("dlpd: {rules} ({severity}) from {user}", message.user, findings);
    if (!message.channel.empty()) text += " in <#" + escape_mrkdwn(message.channel) + ">";
    text += ": " + escape_mrkdwn(findings.empty() ? std::string() : findings.front().masked) + ". Message " + what +
            ". Incident " + incident_ids + ".";
    if (policy_.alert_channel.empty()) {
        log(LogLevel::warning, kLog, "alert (policy.alert_channel is not set): " + text);
        return {"alert", true, "logged"};
    }
    ActionReport ignored;
    Poco::JSON::Object args = json_object();
    args.set("channel", policy_.alert_channel);
    args.set("text", text);
    args.set("unfurl_links", false);
    return record("alert", api_.call("chat.postMessage", args, Token::bot), ignored);
}

}  // namespace dlpd::slack
