// conversations.history and conversations.replies: reading a channel back.
//
// What the double relies on:
// - conversations.history: args channel, cursor, limit (default 100, "Maximum
//   of 999"), oldest, latest, inclusive ("Include messages with oldest or latest
//   timestamps in results. Ignored unless either timestamp is specified"),
//   include_all_metadata; messages newest first; answer ok, messages, has_more,
//   pin_count, response_metadata.next_cursor. Only top-level messages and
//   thread parents: replies need conversations.replies. Deleted messages are
//   gone. https://docs.slack.dev/reference/methods/conversations.history;
//   slack_kit's generated method specs (priv/docs/methods/conversations.history.json);
//   /work/shared/reference/slack-protocol.md §4.3.
// - conversations.replies: args channel, ts ("must be the timestamp of an
//   existing message. If no replies, just the single message referenced by ts
//   will return"), and the same paging and metadata args; limit default 1000;
//   the parent then its replies, oldest first; thread_not_found for a ts that
//   names no message. https://docs.slack.dev/reference/methods/conversations.replies;
//   slack_kit's conversations.replies.json; hexdocs slack_web (errors
//   channel_not_found, invalid_cursor, invalid_ts_latest, invalid_ts_oldest,
//   thread_not_found). The ts of a reply names its thread (slack-web-api's
//   ConversationsRepliesRequest: "either a thread's parent message or a message
//   in the thread").
// - Cursor pagination: next_cursor is opaque, "" when there is nothing more;
//   Slack's own decode to "next_ts:…", which is what the double issues.
//   https://docs.slack.dev/apis/web-api/pagination.
// - A deleted thread parent with replies stays as a tombstone ("This message
//   was deleted.", subtype tombstone), so its thread is still read with
//   conversations.replies on its ts (Slack's "tombstone" message subtype,
//   https://api.slack.com/events/message; the thread stays in the client).
// Not simulated: reply_broadcast, hidden subtypes, `latest`/`oldest`
// echoes, membership (not_in_channel), the 15-message limit of non-Marketplace
// commercial apps.
#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

#include "api_answers.hpp"
#include "message_json.hpp"
#include "workspace.hpp"

namespace dlpd::test::slack_double {
namespace {

// Slack's page sizes (see the sources above); a larger limit is cut to the maximum.
constexpr int kHistoryDefaultLimit = 100;
constexpr int kHistoryMaxLimit = 999;
constexpr int kRepliesDefaultLimit = 1000;
constexpr int kRepliesMaxLimit = 1000;
const std::string kCursorPrefix = "next_ts:";

// A ts as a sortable key: seconds and microseconds ("1700000001.000100").
using TsKey = std::pair<long long, long long>;

std::optional<TsKey> ts_key(const std::string &ts) {
    const auto dot = ts.find('.');
    const std::string seconds = ts.substr(0, dot);
    std::string fraction = dot == std::string::npos ? "" : ts.substr(dot + 1);
    const auto digits = [](const std::string &s) {
        return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
    };
    if (seconds.empty() || seconds.size() > 12 || fraction.size() > 6 || !digits(seconds) || !digits(fraction))
        return std::nullopt;
    fraction.resize(6, '0');
    return TsKey{std::stoll(seconds), std::stoll(fraction)};
}

// Stored messages whose ts is not Slack-shaped sort before every real one.
TsKey key_of(const Message &m) {
    return ts_key(m.ts).value_or(TsKey{-1, -1});
}

bool in_thread(const Message &m) {
    return !m.thread_ts.empty() && m.thread_ts != m.ts;
}

// The arguments both methods share.
struct Window {
    std::optional<TsKey> oldest;
    std::optional<TsKey> latest;
    bool inclusive = false;
    std::optional<TsKey> cursor;
    int limit = 0;
    MetadataShown metadata = MetadataShown::event_type;

    bool contains(const TsKey &k) const {
        if (oldest && (inclusive ? k < *oldest : k <= *oldest)) return false;
        if (latest && (inclusive ? k > *latest : k >= *latest)) return false;
        return true;
    }
};

std::optional<TsKey> decode_cursor(const std::string &cursor) {
    std::string text;
    try {
        std::istringstream in(cursor);
        Poco::Base64Decoder decoder(in);
        text.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
    } catch (const Poco::Exception &) {
        return std::nullopt;
    }
    if (text.rfind(kCursorPrefix, 0) != 0) return std::nullopt;
    return ts_key(text.substr(kCursorPrefix.size()));
}

std::string encode_cursor(const std::string &ts) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << kCursorPrefix << ts;
    encoder.close();
    return out.str();
}

// Reads the shared arguments; returns Slack's error code, or "" when they are fine.
std::string read_window(const Poco::JSON::Object &args, int default_limit, int max_limit, Window &w) {
    if (const auto oldest = arg(args, "oldest"); !oldest.empty() && !(w.oldest = ts_key(oldest)))
        return "invalid_ts_oldest";
    if (const auto latest = arg(args, "latest"); !latest.empty() && !(w.latest = ts_key(latest)))
        return "invalid_ts_latest";
    w.inclusive = flag_arg(args, "inclusive");
    if (const auto cursor = arg(args, "cursor"); !cursor.empty() && !(w.cursor = decode_cursor(cursor)))
        return "invalid_cursor";
    // A limit that is not a positive number gets the default, as an absent one.
    w.limit = default_limit;
    const auto limit = arg(args, "limit");
    int n = 0;
    if (auto [end, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
        ec == std::errc() && end == limit.data() + limit.size() && n > 0)
        w.limit = std::min(n, max_limit);
    w.metadata = flag_arg(args, "include_all_metadata") ? MetadataShown::all : MetadataShown::event_type;
    return {};
}

// One page of `ordered` (already filtered and sorted in answer order), from the
// cursor on: the cursor names the first message of the page.
struct Page {
    std::vector<const Message *> messages;
    bool has_more = false;
    std::string next_cursor;
};

Page page_of(const std::vector<const Message *> &ordered, const Window &w, bool newest_first) {
    auto from = ordered.begin();
    if (w.cursor)
        from = std::find_if(ordered.begin(), ordered.end(), [&](const Message *m) {
            return newest_first ? key_of(*m) <= *w.cursor : key_of(*m) >= *w.cursor;
        });
    Page page;
    const auto left = static_cast<std::size_t>(std::distance(from, ordered.end()));
    const auto take = std::min(left, static_cast<std::size_t>(w.limit));
    page.messages.assign(from, from + static_cast<long>(take));
    page.has_more = left > take;
    if (page.has_more) page.next_cursor = encode_cursor((*(from + static_cast<long>(take)))->ts);
    return page;
}

// What a thread parent carries in answers: its own ts as thread_ts, the number
// of replies and the newest reply's ts.
struct ThreadSummary {
    int reply_count = 0;
    const Message *latest_reply = nullptr;
};

std::map<std::string, ThreadSummary> threads_of(const std::vector<Message> &messages) {
    std::map<std::string, ThreadSummary> threads;
    for (const auto &m : messages) {
        if (!in_thread(m)) continue;
        auto &t = threads[m.thread_ts];
        ++t.reply_count;
        if (!t.latest_reply || key_of(*t.latest_reply) < key_of(m)) t.latest_reply = &m;
    }
    return threads;
}

Poco::JSON::Object::Ptr listed_object(const Message &m, const Window &w,
                                      const std::map<std::string, ThreadSummary> &threads,
                                      const std::string &parent_user) {
    auto object = message_object(m, w.metadata);
    if (in_thread(m)) {
        if (!parent_user.empty()) object->set("parent_user_id", parent_user);
    } else if (auto t = threads.find(m.ts); t != threads.end()) {
        object->set("thread_ts", m.ts);
        object->set("reply_count", t->second.reply_count);
        object->set("latest_reply", t->second.latest_reply->ts);
    }
    return object;
}

Poco::JSON::Object::Ptr page_answer(const Page &page, const Window &w,
                                    const std::map<std::string, ThreadSummary> &threads,
                                    const std::string &parent_user) {
    auto out = new_object();
    out->set("ok", true);
    Poco::JSON::Array::Ptr messages = new Poco::JSON::Array;
    for (const Message *m : page.messages) messages->add(listed_object(*m, w, threads, parent_user));
    out->set("messages", messages);
    out->set("has_more", page.has_more);
    auto metadata = new_object();
    metadata->set("next_cursor", page.next_cursor);
    out->set("response_metadata", metadata);
    return out;
}

}  // namespace

HttpAnswer Workspace::answer_history(const Poco::JSON::Object &args, ApiCall &call) {
    auto ch = channels_.find(arg(args, "channel"));
    if (ch == channels_.end()) return error_answer(call, "channel_not_found");
    Window w;
    if (auto error = read_window(args, kHistoryDefaultLimit, kHistoryMaxLimit, w); !error.empty())
        return error_answer(call, error);
    const auto &stored = ch->second.messages;
    std::vector<const Message *> listed;
    for (const auto &m : stored)
        if (!in_thread(m) && w.contains(key_of(m))) listed.push_back(&m);
    std::stable_sort(listed.begin(), listed.end(),
                     [](const Message *a, const Message *b) { return key_of(*a) > key_of(*b); });
    auto out = page_answer(page_of(listed, w, true), w, threads_of(stored), {});
    out->set("pin_count", 0);
    return json_answer(out);
}

HttpAnswer Workspace::answer_replies(const Poco::JSON::Object &args, ApiCall &call) {
    auto ch = channels_.find(arg(args, "channel"));
    if (ch == channels_.end()) return error_answer(call, "channel_not_found");
    const auto &stored = ch->second.messages;
    const auto ts = arg(args, "ts");
    const auto by_ts = [&](const std::string &wanted) {
        return std::find_if(stored.begin(), stored.end(), [&](const Message &m) { return m.ts == wanted; });
    };
    auto named = by_ts(ts);
    if (ts.empty() || named == stored.end()) return error_answer(call, "thread_not_found");
    const auto parent = in_thread(*named) ? by_ts(named->thread_ts) : named;
    if (parent == stored.end()) return error_answer(call, "thread_not_found");
    Window w;
    if (auto error = read_window(args, kRepliesDefaultLimit, kRepliesMaxLimit, w); !error.empty())
        return error_answer(call, error);
    std::vector<const Message *> listed;
    for (const auto &m : stored)
        if ((&m == &*parent || (in_thread(m) && m.thread_ts == parent->ts)) && w.contains(key_of(m)))
            listed.push_back(&m);
    std::stable_sort(listed.begin(), listed.end(),
                     [](const Message *a, const Message *b) { return key_of(*a) < key_of(*b); });
    return json_answer(page_answer(page_of(listed, w, false), w, threads_of(stored), parent->user));
}

}  // namespace dlpd::test::slack_double
