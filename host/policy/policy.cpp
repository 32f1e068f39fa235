#include "policy/policy.hpp"

#include <algorithm>

namespace dlpd::slack {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

int severity_rank(const std::string &severity) {
    if (severity == "critical") return 4;
    if (severity == "high") return 3;
    if (severity == "medium") return 2;
    if (severity == "low") return 1;
    return 0;
}

}  // namespace

ActionSet parse_action_list(std::string_view text, std::string &error) {
    ActionSet set;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const std::string_view word = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        if (word.empty()) continue;
        if (word == "delete")
            set.delete_message = true;
        else if (word == "notify")
            set.notify = true;
        else if (word == "alert")
            set.alert = true;
        else if (word == "dry_run")
            set.dry_run = true;
        else if (word == "none")
            continue;
        else
            error = "unknown action '" + std::string(word) + "' (expected delete, notify, alert, dry_run or none)";
    }
    return set;
}

std::string to_string(const ActionSet &a) {
    std::string out;
    auto add = [&](bool on, const char *name) {
        if (!on) return;
        if (!out.empty()) out += ',';
        out += name;
    };
    add(a.delete_message, "delete");
    add(a.notify, "notify");
    add(a.alert, "alert");
    add(a.dry_run, "dry_run");
    return out.empty() ? "none" : out;
}

int confidence_rank(std::string_view confidence) {
    if (confidence == "low") return 0;
    if (confidence == "medium") return 1;
    if (confidence == "high") return 2;
    return -1;
}

bool is_exempt(const PolicyOptions &policy, const std::string &user, const std::string &bot_id) {
    if (!user.empty() && policy.exempt_users.count(user) != 0) return true;
    if (!bot_id.empty() && (policy.exempt_all_bots || policy.exempt_bots.count(bot_id) != 0)) return true;
    return false;
}

ActionSet decide_actions(const PolicyOptions &policy, const std::string &channel,
                         const std::vector<PolicyFinding> &findings) {
    ActionSet result;
    for (const auto &f : findings) {
        if (f.unscannable) {
            result.delete_message |= policy.unscannable.delete_message;
            result.notify |= policy.unscannable.notify;
            result.alert |= policy.unscannable.alert;
            result.dry_run |= policy.unscannable.dry_run;
            continue;
        }
        auto it = policy.by_severity.find(f.severity);
        const ActionSet &a = it == policy.by_severity.end() ? policy.actions : it->second;
        // An unknown confidence counts as medium, the engine's default.
        const int confidence = confidence_rank(f.confidence) < 0 ? 1 : confidence_rank(f.confidence);
        result.delete_message |= a.delete_message && confidence >= policy.min_confidence_delete;
        result.notify |= a.notify && confidence >= policy.min_confidence_notify;
        result.alert |= a.alert && confidence >= policy.min_confidence_alert;
        result.dry_run |= a.dry_run;
    }
    if (policy.dry_run_channels.count(channel)) result.dry_run = true;
    if (result.dry_run) {
        // A dry run records and alerts; it never touches the conversation.
        result.delete_message = false;
        result.notify = false;
        result.alert = true;
    }
    return result;
}

std::string escape_mrkdwn(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

std::string render_notice(const std::string &template_text, const std::string &user,
                          const std::vector<PolicyFinding> &findings) {
    std::vector<std::string> rules;
    std::string severity;
    std::string masked;
    for (const auto &f : findings) {
        if (std::find(rules.begin(), rules.end(), f.rule) == rules.end()) rules.push_back(f.rule);
        if (severity_rank(f.severity) >= severity_rank(severity)) severity = f.severity;
        if (masked.empty()) masked = f.masked;
    }
    std::string rule_list;
    for (const auto &r : rules) rule_list += (rule_list.empty() ? "" : ", ") + r;
    const std::map<std::string, std::string> values = {
        {"user", user.empty() ? std::string("someone") : "<@" + escape_mrkdwn(user) + ">"},
        {"rule", escape_mrkdwn(rules.empty() ? std::string() : rules.front())},
        {"rules", escape_mrkdwn(rule_list)},
        {"severity", escape_mrkdwn(severity)},
        {"masked", escape_mrkdwn(masked)},
        {"count", std::to_string(findings.size())}};
    std::string out;
    for (size_t i = 0; i < template_text.size();) {
        if (template_text[i] == '{') {
            const auto close = template_text.find('}', i);
            if (close != std::string::npos) {
                auto it = values.find(template_text.substr(i + 1, close - i - 1));
                if (it != values.end()) {
                    out += it->second;
                    i = close + 1;
                    continue;
                }
            }
        }
        out += template_text[i++];
    }
    return out;
}

}  // namespace dlpd::slack
