// Messages as Slack writes them in Web API answers, and message metadata as
// Slack reads it from chat.postMessage. Pure functions: no workspace state.
#ifndef DLPD_TESTS_SLACK_DOUBLE_MESSAGE_JSON_HPP
#define DLPD_TESTS_SLACK_DOUBLE_MESSAGE_JSON_HPP

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>

#include "slack_double.hpp"

namespace dlpd::test::slack_double {

// chat.postMessage's `metadata` argument, read. Exactly one of the three is
// set: `json` (the metadata to store), `error` (the call fails), or `warning`
// (the message is posted without metadata and the answer carries the warning).
struct MetadataArgument {
    std::string json;
    std::string error;
    std::string warning;
};
MetadataArgument read_metadata(const Poco::Dynamic::Var &value);

// How much of a message's metadata an answer shows.
enum class MetadataShown {
    none,        // no "metadata" key
    event_type,  // {"event_type":…} only: conversations.* without include_all_metadata
    all,         // {"event_type":…,"event_payload":{…}}
};

// {"type":"message","user","text","bot_id"?,"ts","thread_ts"?,"metadata"?}.
// User and bot_id are left out when empty; thread_ts when the message is not
// in a thread (a thread's parent gets its own ts from the caller, see
// conversations_api.cpp).
Poco::JSON::Object::Ptr message_object(const Message &message, MetadataShown metadata);

}  // namespace dlpd::test::slack_double

#endif
