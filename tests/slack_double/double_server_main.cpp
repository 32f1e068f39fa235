// slack_double_server: the Slack double as a process, for tests written in
// other languages (the admin's browser test). It speaks JSON lines:
//   on start          {"port":N,"api_url":"http://127.0.0.1:N/api/"}
//   stdin, one per line, each answered with one line on stdout:
//   {"cmd":"add_channel","channel":"C…"}                         -> {"ok":true}
//   {"cmd":"push_message","channel","user","text","ts"}          -> {"ok":true,"envelope_id":"…"}
//   {"cmd":"deleted"}  -> {"ok":true,"messages":[{"channel","ts","user","text"},…]}
//   {"cmd":"posted"}   -> {"ok":true,"messages":[…]}
//   {"cmd":"stop"}     -> {"ok":true}, then exits 0 (so does end of input)
// A line that is not such a command gets {"ok":false,"error":"…"}.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <iostream>
#include <sstream>
#include <string>

#include "slack_double.hpp"

namespace {

std::string to_line(const Poco::JSON::Object &object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

Poco::JSON::Array messages_json(const std::vector<dlpd::test::Message> &messages) {
    Poco::JSON::Array array;
    for (const auto &m : messages) {
        Poco::JSON::Object item;
        item.set("channel", m.channel);
        item.set("ts", m.ts);
        item.set("user", m.user);
        item.set("text", m.text);
        item.set("thread_ts", m.thread_ts);
        array.add(item);
    }
    return array;
}

Poco::JSON::Object answer(dlpd::test::SlackDouble &slack, const Poco::JSON::Object &command, bool &stop) {
    const std::string cmd = command.optValue<std::string>("cmd", "");
    Poco::JSON::Object reply;
    reply.set("ok", true);
    if (cmd == "add_channel") {
        slack.add_channel(command.getValue<std::string>("channel"));
    } else if (cmd == "push_message") {
        reply.set("envelope_id", slack.push_message_event(
                                     command.getValue<std::string>("channel"), command.getValue<std::string>("user"),
                                     command.getValue<std::string>("text"), command.getValue<std::string>("ts")));
    } else if (cmd == "deleted") {
        reply.set("messages", messages_json(slack.deleted_messages()));
    } else if (cmd == "posted") {
        reply.set("messages", messages_json(slack.posted_messages()));
    } else if (cmd == "stop") {
        stop = true;
    } else {
        reply.set("ok", false);
        reply.set("error", "unknown cmd '" + cmd + "'");
    }
    return reply;
}

}  // namespace

int main() {
    dlpd::test::SlackDouble slack;
    slack.start();
    Poco::JSON::Object hello;
    hello.set("port", static_cast<int>(slack.port()));
    hello.set("api_url", slack.api_url());
    std::cout << to_line(hello) << std::endl;
    bool stop = false;
    for (std::string line; !stop && std::getline(std::cin, line);) {
        if (line.empty()) continue;
        Poco::JSON::Object reply;
        try {
            Poco::JSON::Parser parser;
            reply = answer(slack, *parser.parse(line).extract<Poco::JSON::Object::Ptr>(), stop);
        } catch (const std::exception &e) {
            reply.set("ok", false);
            reply.set("error", e.what());
        }
        std::cout << to_line(reply) << std::endl;
    }
    slack.stop();
    return 0;
}
