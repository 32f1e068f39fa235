// What dlpd does about a message with findings, from the configuration:
// actions by rule severity, channels in dry run or left alone, where the
// notice goes and what it says. Pure: no I/O.
#ifndef DLPD_HOST_POLICY_POLICY_HPP
#define DLPD_HOST_POLICY_POLICY_HPP

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace dlpd::slack {

struct ActionSet {
    bool delete_message = false;  // chat.delete with the user token
    bool notify = false;          // tell the conversation (or the author)
    bool alert = false;           // post to the security channel
    bool dry_run = false;         // record and alert, touch nothing
    bool operator==(const ActionSet &) const = default;
};

// "delete,notify" → ActionSet; unknown words go to `error`.
ActionSet parse_action_list(std::string_view text, std::string &error);
std::string to_string(const ActionSet &actions);

enum class NoticePlace { in_place, ephemeral };  // the channel or thread it was in / the author only

struct PolicyOptions {
    ActionSet actions{true, true, false, false};  // default: delete and tell the channel
    std::map<std::string, ActionSet> by_severity;  // overrides `actions` for rules of that severity
    // For a file that could not be read (encrypted, corrupt, ...): its own
    // list, whatever the severity, with no confidence minimum.
    ActionSet unscannable{false, false, true, false};
    std::set<std::string> dry_run_channels;
    std::set<std::string> ignored_channels;        // not scanned at all
    std::set<std::string> exempt_users;            // their messages are not scanned
    std::set<std::string> exempt_bots;             // bot ids whose posts are not scanned
    bool exempt_all_bots = false;                  // exempt_bots: all
    // The lowest confidence (0 low, 1 medium, 2 high) each action takes; a
    // finding below it is recorded without that action.
    int min_confidence_delete = 1;
    int min_confidence_notify = 1;
    int min_confidence_alert = 0;
    NoticePlace notice_place = NoticePlace::in_place;
    // Placeholders: {user} (a mention of the author), {rule}, {rules},
    // {severity}, {masked}, {count}. Never the secret: {masked} is masked.
    std::string notice_removed;  // after the message was deleted
    std::string notice_kept;     // when it stays (notify without delete, or the delete failed)
    std::string alert_channel;   // channel id for `alert`; empty: alerts are only logged
};

// One confirmed finding, as the policy sees it.
struct PolicyFinding {
    std::string rule;
    std::string severity;
    std::string masked;  // already masked
    std::string confidence = "medium";  // low|medium|high
    bool unscannable = false;  // a file that could not be read, not a match: policy.unscannable
};

// The rule name of the finding a file that could not be read becomes.
inline constexpr const char *kUnscannableRule = "unscannable file";

// 0 low, 1 medium, 2 high; -1 for anything else.
int confidence_rank(std::string_view confidence);

// Whether a message by this user or bot is exempt from scanning.
bool is_exempt(const PolicyOptions &policy, const std::string &user, const std::string &bot_id);

// The union of the actions for every finding's severity, each action only
// for findings of at least its minimum confidence, then the channel's dry
// run. An empty result means nothing is done but the record.
ActionSet decide_actions(const PolicyOptions &policy, const std::string &channel,
                         const std::vector<PolicyFinding> &findings);

// The notice text with its placeholders filled; Slack's control characters
// (&, <, >) in rule names and masks are escaped so nothing is read as markup.
std::string render_notice(const std::string &template_text, const std::string &user,
                          const std::vector<PolicyFinding> &findings);

std::string escape_mrkdwn(std::string_view text);

}  // namespace dlpd::slack

#endif
