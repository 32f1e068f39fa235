// The Web API's request semantics, in one place: routing, tokens, scopes,
// injected faults, and the methods the double implements (conversations.history
// and conversations.replies in conversations_api.cpp). HTTP status is 200 for
// every Slack error; only a rate limit answers 429.
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cstdio>

#include "api_answers.hpp"
#include "message_json.hpp"
#include "workspace.hpp"

namespace dlpd::test::slack_double {
namespace {

std::string url_decode(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '+') {
            out += ' ';
        } else if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += in[i];
        }
    }
    return out;
}

void parse_form(std::string_view text, Poco::JSON::Object &into) {
    while (!text.empty()) {
        auto amp = text.find('&');
        auto pair = text.substr(0, amp);
        auto eq = pair.find('=');
        if (!pair.empty())
            into.set(url_decode(pair.substr(0, eq)), eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1)));
        if (amp == std::string_view::npos) break;
        text.remove_prefix(amp + 1);
    }
}

const char *kSignInPage =
    "<!DOCTYPE html>\n<html lang=\"en-US\"><head><meta charset=\"utf-8\"><title>Slack</title></head>\n"
    "<body><h1>Sign in to your workspace</h1>\n"
    "<form action=\"/signin\" method=\"post\"><input type=\"email\" name=\"email\">"
    "<button type=\"submit\">Sign In</button></form></body></html>\n";

// Marks a method whose scope depends on the conversation: see history_scope.
const std::string kHistoryOfConversation = "*:history";

// The scope each implemented method needs.
const std::map<std::string, std::string> kRequiredScope = {
    {"auth.test", ""},
    {"apps.connections.open", ""},
    {"chat.postMessage", "chat:write"},
    {"chat.postEphemeral", "chat:write"},
    {"chat.delete", "chat:write"},
    {"files.info", "files:read"},
    {"files.delete", "files:write"},
    {"conversations.history", kHistoryOfConversation},
    {"conversations.replies", kHistoryOfConversation},
};

// Reading a conversation needs the history scope of its kind, for bot and user
// tokens alike: channels:history (public), groups:history (private),
// im:history, mpim:history. https://docs.slack.dev/reference/methods/conversations.history
// ("Relevant *:history scope"), and conversations.replies. The double tells the
// kind by the id's first letter: C public, G private, D a DM. Multi-person DMs
// (mpim:history) have ids that look like the others and are not told apart.
std::string history_scope(const std::string &channel) {
    if (channel.rfind('G', 0) == 0) return "groups:history";
    if (channel.rfind('D', 0) == 0) return "im:history";
    return "channels:history";
}

std::string scope_list(const std::vector<std::string> &scopes) {
    std::string out;
    for (const auto &s : scopes) out += (out.empty() ? "" : ",") + s;
    return out;
}

}  // namespace

std::string arg(const Poco::JSON::Object &args, const std::string &name) {
    if (!args.has(name)) return {};
    auto v = args.get(name);
    if (v.isString()) return v.extract<std::string>();
    if (v.isEmpty()) return {};
    return v.convert<std::string>();
}

bool flag_arg(const Poco::JSON::Object &args, const std::string &name) {
    if (!args.has(name)) return false;
    auto v = args.get(name);
    if (v.isBoolean()) return v.extract<bool>();
    if (v.isNumeric()) return v.convert<double>() != 0;
    if (v.isString()) return v.extract<std::string>() == "true" || v.extract<std::string>() == "1";
    return false;
}

HttpAnswer json_answer(const Poco::JSON::Object::Ptr &body, unsigned status) {
    HttpAnswer a;
    a.status = status;
    a.body = to_json(body);
    return a;
}

HttpAnswer error_answer(ApiCall &call, const std::string &error, unsigned status) {
    call.error = error;
    call.http_status = status;
    auto body = new_object();
    body->set("ok", false);
    body->set("error", error);
    return json_answer(body, status);
}

TokenKind Workspace::classify(const std::string &token) const {
    if (token.empty()) return TokenKind::none;
    if (token == options_.bot_token) return TokenKind::bot;
    if (token == options_.user_token) return TokenKind::user;
    if (token == options_.app_token) return TokenKind::app;
    return TokenKind::invalid;
}

std::string Workspace::user_of(TokenKind kind) const {
    return kind == TokenKind::bot ? options_.bot_user_id : options_.user_token_user_id;
}

std::string Workspace::new_ts() {
    // Seconds from the clock, a serial in the fraction: unique and increasing.
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    char buf[48];
    std::snprintf(buf, sizeof buf, "%lld.%06llu", static_cast<long long>(now.count()),
                  static_cast<unsigned long long>(++serial_ % 1000000));
    return buf;
}

HttpAnswer Workspace::handle_http(const HttpExchange &request) {
    ApiCall call;
    call.at = std::chrono::system_clock::now();
    call.steady_at = std::chrono::steady_clock::now();
    std::string path = request.target.substr(0, request.target.find('?'));
    HttpAnswer answer;
    std::lock_guard lock(mu_);
    if (path.rfind("/api/", 0) == 0) {
        call.method = path.substr(5);
        answer = answer_api(call.method, request, call);
        // Slack names what a valid bot or user token was granted on every answer to it.
        if (call.token == TokenKind::bot || call.token == TokenKind::user)
            answer.headers.emplace_back(
                "x-oauth-scopes",
                scope_list(call.token == TokenKind::bot ? options_.bot_scopes : options_.user_scopes));
    } else if (path.rfind("/files-pri/", 0) == 0) {
        call.method = "file_download";
        answer = answer_download(path, request, call);
    } else {
        call.method = path;
        call.http_status = 404;
        answer.status = 404;
        answer.content_type = "text/plain";
        answer.body = "not found\n";
    }
    calls_.push_back(std::move(call));
    changed_locked();
    return answer;
}

HttpAnswer Workspace::answer_api(const std::string &method, const HttpExchange &request, ApiCall &call) {
    // Arguments: query string, then a form or JSON body.
    auto args = new_object();
    if (auto q = request.target.find('?'); q != std::string::npos) parse_form(request.target.substr(q + 1), *args);
    const bool json_body = request.content_type.rfind("application/json", 0) == 0;
    if (json_body && !request.body.empty()) {
        try {
            auto parsed = Poco::JSON::Parser().parse(request.body);
            auto object = parsed.extract<Poco::JSON::Object::Ptr>();
            for (const auto &[k, v] : *object) args->set(k, v);
        } catch (const Poco::BadCastException &) {
            call.body = request.body;
            return error_answer(call, "json_not_object");
        } catch (const Poco::Exception &) {
            call.body = request.body;
            return error_answer(call, "invalid_json");
        }
    } else if (!request.body.empty()) {
        parse_form(request.body, *args);
    }
    call.body = to_json(args);

    std::string token;
    if (request.authorization.rfind("Bearer ", 0) == 0) token = request.authorization.substr(7);
    // A token as a form field counts, except for apps.connections.open (header only) and JSON bodies.
    if (token.empty() && !json_body && method != "apps.connections.open") token = arg(*args, "token");
    call.token = classify(token);

    if (!kRequiredScope.count(method)) return error_answer(call, "unknown_method");
    if (auto it = rate_limits_.find(method); it != rate_limits_.end() && it->second.remaining > 0) {
        --it->second.remaining;
        auto a = error_answer(call, "ratelimited", 429);
        a.headers.emplace_back("Retry-After", std::to_string(it->second.retry_after_seconds));
        return a;
    }
    if (auto it = failures_.find(method); it != failures_.end() && !it->second.empty()) {
        auto error = it->second.front();
        it->second.pop_front();
        return error_answer(call, error);
    }
    if (call.token == TokenKind::none) return error_answer(call, "not_authed");
    if (call.token == TokenKind::invalid) return error_answer(call, "invalid_auth");
    if ((method == "apps.connections.open") != (call.token == TokenKind::app))
        return error_answer(call, "not_allowed_token_type");
    auto needed = kRequiredScope.at(method);
    if (needed == kHistoryOfConversation) needed = history_scope(arg(*args, "channel"));
    if (!needed.empty()) {
        const auto &scopes = call.token == TokenKind::bot ? options_.bot_scopes : options_.user_scopes;
        if (std::find(scopes.begin(), scopes.end(), needed) == scopes.end()) {
            auto body = new_object();
            body->set("ok", false);
            body->set("error", "missing_scope");
            body->set("needed", needed);
            body->set("provided", scope_list(scopes));
            call.error = "missing_scope";
            return json_answer(body);
        }
    }

    auto out = new_object();
    out->set("ok", true);
    if (method == "auth.test") {
        out->set("url", "https://" + options_.team_domain + ".slack.com/");
        out->set("team", options_.team_name);
        out->set("user", call.token == TokenKind::bot ? "dlpd" : "admin");
        out->set("team_id", options_.team_id);
        out->set("user_id", user_of(call.token));
        if (call.token == TokenKind::bot) {
            out->set("bot_id", options_.bot_id);
            out->set("app_id", options_.app_id);
        }
        out->set("is_enterprise_install", false);
        return json_answer(out);
    }
    if (method == "apps.connections.open") {
        char ticket[64];
        std::snprintf(ticket, sizeof ticket, "%08llx-d0b1-4e00-a000-%012llx", static_cast<unsigned long long>(port_),
                      static_cast<unsigned long long>(++serial_));
        tickets_.insert(ticket);
        out->set("url", "ws://127.0.0.1:" + std::to_string(port_) + "/link/?ticket=" + ticket + "&app_id=" +
                            options_.app_id);
        return json_answer(out);
    }
    if (method == "chat.postMessage" || method == "chat.postEphemeral") {
        const auto channel = arg(*args, "channel");
        auto ch = channels_.find(channel);
        if (ch == channels_.end()) return error_answer(call, "channel_not_found");
        const auto text = arg(*args, "text");
        if (text.empty() && !args->has("blocks") && !args->has("attachments")) return error_answer(call, "no_text");
        Message m{channel, new_ts(), user_of(call.token), text, arg(*args, "thread_ts"),
                  call.token == TokenKind::bot ? options_.bot_id : "", {}};
        if (method == "chat.postEphemeral") {
            m.ephemeral_to = arg(*args, "user");
            if (m.ephemeral_to.empty()) return error_answer(call, "user_not_in_channel");
            posted_.push_back(m);
            out->set("message_ts", m.ts);
            return json_answer(out);
        }
        // Only chat.postMessage takes metadata; a post it refuses is not stored.
        const auto metadata = read_metadata(args->has("metadata") ? args->get("metadata") : Poco::Dynamic::Var());
        if (!metadata.error.empty()) return error_answer(call, metadata.error);
        m.metadata = metadata.json;
        keep_message_locked(m);
        posted_.push_back(m);
        out->set("channel", channel);
        out->set("ts", m.ts);
        // The stored message as Slack answers it, metadata included (slackapi/python-slack-sdk
        // integration_tests/web/test_message_metadata.py expects message.metadata here).
        out->set("message", message_object(m, MetadataShown::all));
        if (!metadata.warning.empty()) {
            // A success with a warning: `warning` and response_metadata.warnings
            // (/work/shared/reference/slack-protocol.md §4.1).
            out->set("warning", metadata.warning);
            auto response_metadata = new_object();
            Poco::JSON::Array::Ptr warnings = new Poco::JSON::Array;
            warnings->add(metadata.warning);
            response_metadata->set("warnings", warnings);
            out->set("response_metadata", response_metadata);
        }
        return json_answer(out);
    }
    if (method == "chat.delete") {
        const auto channel = arg(*args, "channel");
        const auto ts = arg(*args, "ts");
        auto ch = channels_.find(channel);
        if (ch == channels_.end()) return error_answer(call, "channel_not_found");
        auto &list = ch->second.messages;
        auto it = std::find_if(list.begin(), list.end(), [&](const Message &m) { return m.ts == ts && !m.tombstone; });
        if (it == list.end()) return error_answer(call, "message_not_found");
        // Slack's ownership rule: a bot deletes only its own posts; a user
        // token deletes its own, or anyone's when the user is an admin.
        const bool own = call.token == TokenKind::bot ? it->bot_id == options_.bot_id
                                                      : it->user == options_.user_token_user_id && it->bot_id.empty();
        if (!own && !(call.token == TokenKind::user && options_.user_token_is_admin))
            return error_answer(call, "cant_delete_message");
        Message removed = *it;
        // A thread parent with replies leaves a tombstone in its place, and
        // the thread stays readable (conversations.replies on its ts).
        const bool has_replies = std::any_of(list.begin(), list.end(), [&](const Message &m) {
            return m.thread_ts == ts && m.ts != ts;
        });
        if (has_replies) {
            it->tombstone = true;
            it->text = "This message was deleted.";
            it->user = "USLACKBOT";
            it->bot_id.clear();
            it->metadata.clear();
        } else {
            list.erase(it);
        }
        deleted_.push_back(removed);
        if (options_.echo_deletions) {
            auto event = new_object();
            event->set("type", "message");
            event->set("subtype", "message_deleted");
            event->set("hidden", true);
            event->set("channel", channel);
            event->set("deleted_ts", ts);
            event->set("ts", new_ts());
            event->set("event_ts", event->getValue<std::string>("ts"));
            auto previous = new_object();
            previous->set("type", "message");
            previous->set("user", removed.user);
            previous->set("text", removed.text);
            previous->set("ts", removed.ts);
            event->set("previous_message", previous);
            event->set("channel_type", "channel");
            push_event_locked(event);
        }
        out->set("channel", channel);
        out->set("ts", ts);
        return json_answer(out);
    }
    if (method == "conversations.history") return answer_history(*args, call);
    if (method == "conversations.replies") return answer_replies(*args, call);
    if (method == "files.delete") {
        // The same ownership rule as messages: the uploader, or an admin's user token.
        auto f = files_.find(arg(*args, "file"));
        if (f == files_.end()) return error_answer(call, "file_not_found");
        const bool own = call.token == TokenKind::bot ? f->second.user == options_.bot_user_id
                                                      : f->second.user == options_.user_token_user_id;
        if (!own && !(call.token == TokenKind::user && options_.user_token_is_admin))
            return error_answer(call, "cant_delete_file");
        deleted_files_.push_back(f->second);
        files_.erase(f);
        return json_answer(out);
    }
    // files.info
    const auto id = arg(*args, "file");
    auto f = files_.find(id);
    if (f == files_.end()) return error_answer(call, "file_not_found");
    const File &file = f->second;
    const std::string base = "http://127.0.0.1:" + std::to_string(port_) + "/files-pri/" + options_.team_id + "-" + file.id;
    auto object = new_object();
    object->set("id", file.id);
    object->set("created", 1700000000);
    object->set("timestamp", 1700000000);
    object->set("name", file.name);
    object->set("title", file.title.empty() ? file.name : file.title);
    object->set("mimetype", file.mimetype);
    object->set("filetype", file.filetype);
    object->set("user", file.user);
    object->set("size", static_cast<Poco::Int64>(file.content.size()));
    object->set("mode", "hosted");
    object->set("is_external", false);
    // Slack percent-encodes the name in its URLs (a name may hold spaces).
    std::string name;
    Poco::URI::encode(file.name, "?#[]@!$&'()*+,;=%", name);
    object->set("url_private", base + "/" + name);
    object->set("url_private_download", base + "/download/" + name);
    Poco::JSON::Array::Ptr channels = new Poco::JSON::Array;
    if (!file.channel.empty()) channels->add(file.channel);
    object->set("channels", channels);
    out->set("file", object);
    out->set("comments", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
    return json_answer(out);
}

HttpAnswer Workspace::answer_download(const std::string &path, const HttpExchange &request, ApiCall &call) {
    // /files-pri/TEAM-FILE/NAME or /files-pri/TEAM-FILE/download/NAME
    std::string rest = path.substr(std::string("/files-pri/").size());
    std::string key = rest.substr(0, rest.find('/'));
    std::string id = key.substr(key.find('-') + 1);
    std::string token;
    if (request.authorization.rfind("Bearer ", 0) == 0) token = request.authorization.substr(7);
    call.token = classify(token);
    call.body = "{\"file\":\"" + id + "\"}";
    HttpAnswer a;
    if ((call.token != TokenKind::bot && call.token != TokenKind::user) || sign_in_page_for_downloads_) {
        // Slack answers an unauthenticated download with its sign-in page, status 200.
        a.content_type = "text/html; charset=utf-8";
        a.body = kSignInPage;
        return a;
    }
    auto f = files_.find(id);
    if (f == files_.end() || key.rfind(options_.team_id + "-", 0) != 0) {
        call.http_status = 404;
        a.status = 404;
        a.content_type = "text/html; charset=utf-8";
        a.body = "<!DOCTYPE html><html><body>File not found</body></html>\n";
        return a;
    }
    a.content_type = f->second.mimetype;
    a.body = f->second.content;
    a.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + f->second.name + "\"");
    return a;
}

}  // namespace dlpd::test::slack_double
