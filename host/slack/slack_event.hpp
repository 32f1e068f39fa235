// What an Events API payload asks of dlpd, taken out of Slack's JSON: a
// message to scan (with its text from `text`, `blocks` and `attachments`,
// and its files), a shared file to fetch, or nothing (with the reason).
// Pure functions over parsed JSON; no I/O.
#ifndef DLPD_HOST_SLACK_SLACK_EVENT_HPP
#define DLPD_HOST_SLACK_SLACK_EVENT_HPP

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dlpd::slack {

// Who dlpd is in the workspace (from auth.test at start-up): its own posts
// are never scanned.
struct SelfIdentity {
    std::string bot_user_id;
    std::string bot_id;
    std::string team_id;
    std::string team_url;  // https://TEAM.slack.com/
};

struct FileRef {
    std::string id;
    std::string name;
    std::string title;  // what the sharer typed, often not the name: scanned too
    std::string mimetype;
    std::string filetype;
    std::string url_private_download;  // may be empty: then ask files.info
    std::string url_private;
    std::string mode;  // hosted, external, snippet, file_access (a Slack Connect stub), …
    int64_t size = -1;
    // Slack Connect stubs and file_shared events carry the id only.
    bool needs_info() const { return url_private_download.empty() && url_private.empty(); }
};

struct SlackMessage {
    std::string channel;
    std::string channel_type;  // channel, group, im, mpim
    std::string user;
    std::string bot_id;     // set when an app or integration posted it
    std::string ts;         // opaque id of the message in its channel; never a number
    std::string thread_ts;  // the thread's parent, for a reply
    std::string subtype;
    bool edited = false;    // it came as message_changed
    // Everything a person reads in it, in order: text, then blocks, then
    // attachments, one part per line.
    std::string text;
    std::vector<FileRef> files;
};

struct SlackEvent {
    enum class Kind { message, file_shared, ignored };
    Kind kind = Kind::ignored;
    std::string ignored_because;  // for the debug log
    std::string event_id;
    std::string team_id;
    SlackMessage message;  // kind message; for file_shared: channel, user and files[0]
};

SlackEvent read_slack_event(const Poco::JSON::Object::Ptr &payload, const SelfIdentity &self);

// The text a person reads in blocks or attachments: every text-like value
// found walking the JSON (text, title, pretext, fallback, value, url, …),
// down to kMaxVisibleTextDepth levels.
inline constexpr int kMaxVisibleTextDepth = 32;
void append_visible_text(const Poco::Dynamic::Var &value, std::string &out, int depth = 0);

FileRef read_file_object(const Poco::JSON::Object::Ptr &file);

// https://TEAM.slack.com/archives/CHANNEL/pTS (with the thread for a reply).
std::string message_permalink(const std::string &team_url, const std::string &channel, const std::string &ts,
                              const std::string &thread_ts);

}  // namespace dlpd::slack

#endif
