// Messages in answers, and chat.postMessage's metadata argument.
//
// What the double relies on (Slack's docs and observed behaviour):
// - Metadata is an object with `event_type` (a string) and `event_payload` (an
//   object); in a JSON body it is an object, in a form body a JSON text (the
//   SDKs JSON-stringify nested arguments). https://docs.slack.dev/messaging/message-metadata
//   "Defining metadata"; @slack/types MessageMetadata; slackapi/python-slack-sdk
//   integration_tests/web/test_message_metadata.py (posts it, reads it back in
//   chat.postMessage's `message.metadata` and conversations.history's
//   `messages[].metadata` with include_all_metadata).
// - "Event types can contain letters, numbers, underscores, and hyphens, but not
//   periods or other punctuation. Metadata with an invalid event_type returns an
//   invalid_metadata_schema warning and is ignored." (same page; the message is
//   still posted, without metadata: slackapi/bolt-python#863).
// - chat.postMessage's error list names invalid_metadata_format ("Invalid
//   metadata format provided") and invalid_metadata_schema ("Invalid metadata
//   schema provided"). Which malformed inputs get which is not documented; the
//   double's choice: text that is not a JSON object ⇒ invalid_metadata_format,
//   an object without a string event_type or an object event_payload ⇒
//   invalid_metadata_schema. [infer]
#include "message_json.hpp"

#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>

#include "workspace.hpp"

namespace dlpd::test::slack_double {
namespace {

bool is_object(const Poco::Dynamic::Var &value) {
    return value.type() == typeid(Poco::JSON::Object::Ptr);
}

bool valid_event_type(const std::string &type) {
    return std::all_of(type.begin(), type.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
}

}  // namespace

MetadataArgument read_metadata(const Poco::Dynamic::Var &value) {
    MetadataArgument out;
    if (value.isEmpty() || (value.isString() && value.extract<std::string>().empty())) return out;
    Poco::JSON::Object::Ptr object;
    if (is_object(value)) {
        object = value.extract<Poco::JSON::Object::Ptr>();
    } else if (value.isString()) {
        try {
            auto parsed = Poco::JSON::Parser().parse(value.extract<std::string>());
            if (is_object(parsed)) object = parsed.extract<Poco::JSON::Object::Ptr>();
        } catch (const Poco::Exception &) {
            // Not JSON: answered below.
        }
    }
    if (!object) {
        out.error = "invalid_metadata_format";
        return out;
    }
    const auto type = object->get("event_type");
    const auto payload = object->get("event_payload");
    if (!type.isString() || type.extract<std::string>().empty() || !is_object(payload)) {
        out.error = "invalid_metadata_schema";
        return out;
    }
    if (!valid_event_type(type.extract<std::string>())) {
        out.warning = "invalid_metadata_schema";
        return out;
    }
    auto stored = new_object();
    stored->set("event_type", type);
    stored->set("event_payload", payload);
    out.json = to_json(stored);
    return out;
}

Poco::JSON::Object::Ptr message_object(const Message &message, MetadataShown metadata) {
    auto object = new_object();
    object->set("type", "message");
    if (!message.user.empty()) object->set("user", message.user);
    object->set("text", message.text);
    if (!message.bot_id.empty()) object->set("bot_id", message.bot_id);
    object->set("ts", message.ts);
    if (!message.thread_ts.empty()) object->set("thread_ts", message.thread_ts);
    if (message.tombstone) {
        object->set("subtype", "tombstone");
        object->set("hidden", true);
    }
    if (metadata == MetadataShown::none || message.metadata.empty()) return object;
    Poco::JSON::Object::Ptr stored;
    try {
        // Keeps the stored order: event_type first, as Slack's examples write it.
        auto parsed = Poco::JSON::Parser(new Poco::JSON::ParseHandler(true)).parse(message.metadata);
        if (is_object(parsed)) stored = parsed.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception &) {
        // A test stored text that is not JSON: shown as no metadata.
    }
    if (!stored) return object;
    if (metadata == MetadataShown::event_type) {
        // Without include_all_metadata Slack keeps the event type and drops the
        // payload of event types the app's manifest does not declare (the
        // double's app declares none). [obs] slackapi/python-slack-sdk#1501; the
        // slack-web-api crate's MessageMetadata notes the same (no event_payload
        // from conversations.history without include_all_metadata).
        auto type_only = new_object();
        type_only->set("event_type", stored->get("event_type"));
        stored = type_only;
    }
    object->set("metadata", stored);
    return object;
}

}  // namespace dlpd::test::slack_double
