// Carrying out a decided ActionSet in Slack: delete (chat.delete with the
// user token, since a bot token may delete only the bot's own posts; files
// with files.delete), notify (in the channel or thread, or ephemeral to the
// author), and alert (a post to the security channel). Each outcome is kept
// for the incident record, and each is one step of the event's action
// journal (see EventProcessor); a problem an administrator must fix (no user
// token, cant_delete_message, not_in_channel, …) is logged clearly once.
#ifndef DLPD_HOST_SLACK_MESSAGE_ACTIONS_HPP
#define DLPD_HOST_SLACK_MESSAGE_ACTIONS_HPP

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "slack/slack_event.hpp"
#include "slack/web_api.hpp"

namespace dlpd::slack {

struct ActionOutcome {
    std::string action;  // delete, delete_file, notify, alert
    bool ok = false;
    std::string result;  // "ok", "already gone", or Slack's error code / dlpd's reason
    bool interrupted = false;  // shutdown stopped the call: it is taken again later
    std::string posted_ts;     // notify, alert: the post's ts (found or made)
};

struct ActionReport {
    std::vector<ActionOutcome> outcomes;
    bool deleted = false;      // the message is gone from the conversation
    bool deleted_now = false;  // and this attempt's chat.delete removed it
    std::string json() const;  // {"delete":"ok","notify":"ok",…}
};

// What marks a post of dlpd's as one step of one event: Slack message
// metadata (event_type "dlpd_action", event_payload {event_id, step}), so
// that a resumed event can find a post its earlier attempt made before it
// died, instead of posting twice (chat.postMessage has no idempotency key).
struct PostMark {
    std::string event_id;
    std::string step;  // notify | alert
};
constexpr const char *kPostMarkType = "dlpd_action";

class MessageActions {
public:
    explicit MessageActions(WebApi &api) : api_(api) {}

    // chat.delete with the user token; message_not_found counts as gone.
    ActionOutcome delete_message(const SlackMessage &message);
    ActionOutcome delete_file(const std::string &file);

    // The notice in the conversation (or to the author), as `policy` (the
    // event's, see EventProcessor::policy()) places and words it. look_first:
    // the step may have been taken by an attempt that died before recording
    // it, so the conversation is searched for the post first.
    ActionOutcome notify(const PolicyOptions &policy, const SlackMessage &message, const std::vector<PolicyFinding> &findings, bool deleted,
                         const PostMark &mark, bool look_first);

    // The security channel's alert (policy.alert_channel); look_first as for
    // notify, among the posts since since_ms.
    ActionOutcome alert(const PolicyOptions &policy, const SlackMessage &message, const std::vector<PolicyFinding> &findings,
                        const ActionReport &report, const std::string &incident_ids, const PostMark &mark,
                        bool look_first, int64_t since_ms);

    enum class Lookup { found, not_found, failed };
    // Looks for dlpd's post carrying mark in channel (in the thread of
    // thread_ts when set) after oldest_ts (Slack ts), paging through
    // conversations.history or conversations.replies with metadata.
    Lookup find_post(const std::string &channel, const std::string &thread_ts, const std::string &oldest_ts,
                     const PostMark &mark, std::string &found_ts);

private:
    ActionOutcome record(const std::string &action, const ApiResult &result);
    ActionOutcome post(const std::string &action, Poco::JSON::Object &args, bool ephemeral, const PostMark &mark,
                       bool look_first, const std::string &thread_ts, const std::string &oldest_ts);
    void explain_once(const std::string &key, const std::string &text);

    WebApi &api_;
    std::mutex mutex_;
    std::set<std::string> explained_;
};

}  // namespace dlpd::slack

#endif
