#include "slack/slack_event.hpp"

#include <Poco/JSON/Array.h>

#include <set>

namespace dlpd::slack {

namespace {

std::string str(const Poco::JSON::Object::Ptr &o, const std::string &key) {
    if (!o || !o->has(key)) return {};
    const auto v = o->get(key);
    return v.isString() ? v.extract<std::string>() : std::string();
}

Poco::JSON::Object::Ptr obj(const Poco::JSON::Object::Ptr &o, const std::string &key) {
    if (!o || !o->has(key)) return nullptr;
    try {
        return o->getObject(key);
    } catch (const std::exception &) {
        return nullptr;
    }
}

void add_part(std::string &out, const std::string &part) {
    if (part.empty()) return;
    if (!out.empty()) out += '\n';
    out += part;
}

// Keys whose string values are shown to people.
bool visible_key(const std::string &key) {
    static const std::set<std::string> keys = {"text",        "title",     "pretext", "fallback", "value",
                                               "url",         "footer",    "author_name", "name",  "alt_text",
                                               "title_link",  "from_url",  "original_url", "label", "placeholder",
                                               "description", "user_name"};
    return keys.count(key) > 0;
}

// Subtypes whose content a person wrote; every other subtype is a system
// message (joins, topics, deletions, …) with nothing to remove.
bool scanned_subtype(const std::string &subtype) {
    return subtype.empty() || subtype == "thread_broadcast" || subtype == "me_message" || subtype == "file_share" ||
           subtype == "bot_message";
}

SlackMessage read_message(const Poco::JSON::Object::Ptr &m, const std::string &channel,
                          const std::string &channel_type) {
    SlackMessage msg;
    msg.channel = channel;
    msg.channel_type = channel_type;
    msg.user = str(m, "user");
    msg.ts = str(m, "ts");
    msg.thread_ts = str(m, "thread_ts");
    if (msg.thread_ts == msg.ts) msg.thread_ts.clear();  // a thread's parent is not a reply
    msg.subtype = str(m, "subtype");
    add_part(msg.text, str(m, "text"));
    if (m->has("blocks")) append_visible_text(m->get("blocks"), msg.text);
    if (m->has("attachments")) append_visible_text(m->get("attachments"), msg.text);
    if (m->has("files")) {
        try {
            auto files = m->getArray("files");
            for (size_t i = 0; files && i < files->size(); ++i)
                if (auto f = files->getObject(static_cast<unsigned>(i))) msg.files.push_back(read_file_object(f));
        } catch (const std::exception &) {
        }
    }
    return msg;
}

}  // namespace

void append_visible_text(const Poco::Dynamic::Var &value, std::string &out, int depth) {
    // Slack's blocks nest a few levels; a payload nested deeper than this is
    // not a message anyone reads, and must not exhaust the stack.
    if (depth > kMaxVisibleTextDepth) return;
    try {
        if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
            auto o = value.extract<Poco::JSON::Object::Ptr>();
            if (!o) return;
            for (const auto &[key, v] : *o) {
                if (v.isString()) {
                    if (visible_key(key)) add_part(out, v.extract<std::string>());
                } else {
                    append_visible_text(v, out, depth + 1);
                }
            }
        } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
            auto a = value.extract<Poco::JSON::Array::Ptr>();
            for (size_t i = 0; a && i < a->size(); ++i)
                append_visible_text(a->get(static_cast<unsigned>(i)), out, depth + 1);
        }
    } catch (const std::exception &) {
        // A value of an unexpected shape adds nothing.
    }
}

FileRef read_file_object(const Poco::JSON::Object::Ptr &f) {
    FileRef file;
    file.id = str(f, "id");
    file.name = str(f, "name");
    file.title = str(f, "title");
    if (file.name.empty()) file.name = file.title;
    file.mimetype = str(f, "mimetype");
    file.filetype = str(f, "filetype");
    file.url_private_download = str(f, "url_private_download");
    file.url_private = str(f, "url_private");
    file.mode = str(f, "mode");
    if (f && f->has("size")) {
        try {
            file.size = f->get("size").convert<int64_t>();
        } catch (const std::exception &) {
        }
    }
    return file;
}

SlackEvent read_slack_event(const Poco::JSON::Object::Ptr &payload, const SelfIdentity &self) {
    SlackEvent ev;
    ev.event_id = str(payload, "event_id");
    ev.team_id = str(payload, "team_id");
    const std::string outer = str(payload, "type");
    auto event = obj(payload, "event");
    if (outer != "event_callback" || !event) {
        ev.ignored_because = "payload type '" + outer + "' carries no event";
        return ev;
    }
    const std::string type = str(event, "type");
    if (type == "file_shared") {
        ev.kind = SlackEvent::Kind::file_shared;
        ev.message.channel = str(event, "channel_id");
        ev.message.user = str(event, "user_id");
        FileRef file;
        file.id = str(event, "file_id");
        if (file.id.empty()) file.id = str(obj(event, "file"), "id");
        if (file.id.empty()) {
            ev.kind = SlackEvent::Kind::ignored;
            ev.ignored_because = "file_shared without a file id";
            return ev;
        }
        ev.message.files.push_back(file);
        if (!self.bot_user_id.empty() && ev.message.user == self.bot_user_id) {
            ev.kind = SlackEvent::Kind::ignored;
            ev.ignored_because = "dlpd's own file";
        }
        return ev;
    }
    if (type != "message") {
        ev.ignored_because = "event type '" + type + "' is not scanned";
        return ev;
    }
    const std::string channel = str(event, "channel");
    const std::string channel_type = str(event, "channel_type");
    const std::string subtype = str(event, "subtype");
    Poco::JSON::Object::Ptr content = event;
    bool edited = false;
    if (subtype == "message_changed") {
        content = obj(event, "message");
        if (!content) {
            ev.ignored_because = "message_changed without a message";
            return ev;
        }
        if (str(content, "subtype") == "tombstone") {
            ev.ignored_because = "a deleted thread parent's tombstone";
            return ev;
        }
        edited = true;
    } else if (!scanned_subtype(subtype)) {
        ev.ignored_because = "message subtype '" + subtype + "' has no content a person wrote";
        return ev;
    }
    const std::string bot_id = str(content, "bot_id");
    const std::string user = str(content, "user");
    if ((!self.bot_id.empty() && bot_id == self.bot_id) || (!self.bot_user_id.empty() && user == self.bot_user_id)) {
        ev.ignored_because = "dlpd's own post";
        return ev;
    }
    ev.kind = SlackEvent::Kind::message;
    ev.message = read_message(content, channel, channel_type);
    ev.message.edited = edited;
    ev.message.bot_id = bot_id;
    if (ev.message.ts.empty()) {
        ev.kind = SlackEvent::Kind::ignored;
        ev.ignored_because = "message without a ts";
    }
    return ev;
}

std::string message_permalink(const std::string &team_url, const std::string &channel, const std::string &ts,
                              const std::string &thread_ts) {
    if (team_url.empty() || channel.empty() || ts.empty()) return {};
    std::string base = team_url;
    if (base.back() != '/') base += '/';
    std::string digits;
    for (char c : ts)
        if (c != '.') digits += c;
    std::string link = base + "archives/" + channel + "/p" + digits;
    if (!thread_ts.empty()) link += "?thread_ts=" + thread_ts + "&cid=" + channel;
    return link;
}

}  // namespace dlpd::slack
