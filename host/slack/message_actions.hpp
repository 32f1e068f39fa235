// Carrying out a decided ActionSet in Slack: delete (chat.delete with the
// user token, since a bot token may delete only the bot's own posts; files
// with files.delete), notify (in the channel or thread, or ephemeral to the
// author), and alert (a post to the security channel). Each outcome is kept
// for the incident record; a problem an administrator must fix (no user
// token, cant_delete_message, not_in_channel, …) is logged clearly once.
#ifndef DLPD_HOST_SLACK_MESSAGE_ACTIONS_HPP
#define DLPD_HOST_SLACK_MESSAGE_ACTIONS_HPP

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
};

struct ActionReport {
    std::vector<ActionOutcome> outcomes;
    bool deleted = false;      // the message is gone from the conversation
    bool interrupted = false;  // shutdown stopped a call: do it again later
    std::string json() const;  // {"delete":"ok","notify":"ok",…}
};

class MessageActions {
public:
    MessageActions(WebApi &api, const PolicyOptions &policy) : api_(api), policy_(policy) {}

    // message: where it is (channel, ts, thread_ts, user); files: ids of the
    // files that had findings (deleted with the message when delete is on).
    ActionReport apply(const ActionSet &actions, const SlackMessage &message, const std::vector<std::string> &files,
                       const std::vector<PolicyFinding> &findings);

    // The security channel's alert, after the incidents are recorded.
    ActionOutcome alert(const SlackMessage &message, const std::vector<PolicyFinding> &findings,
                        const ActionReport &report, const std::string &incident_ids);

private:
    ActionOutcome record(const std::string &action, const ApiResult &result, ActionReport &report);
    void explain_once(const std::string &key, const std::string &text);

    WebApi &api_;
    const PolicyOptions &policy_;
    std::mutex mutex_;
    std::set<std::string> explained_;
};

}  // namespace dlpd::slack

#endif
