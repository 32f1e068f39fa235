#include "slack/events_request.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include <boost/beast/http/error.hpp>

#include <charconv>

#include "slack/request_signature.hpp"

namespace dlpd::slack {

namespace beast = boost::beast;
namespace http = beast::http;

void limit_events_parser(EventsParser &parser, const EventsLimits &limits) {
    parser.header_limit(limits.max_header_bytes);
    parser.body_limit(limits.max_body_bytes);
}

size_t events_read_buffer_bytes(const EventsLimits &limits) { return limits.max_header_bytes; }

EventsResponse events_response(http::status status, const char *content_type, std::string body, unsigned version) {
    EventsResponse r{status, version};
    r.set(http::field::server, "dlpd");
    r.set(http::field::content_type, content_type);
    r.body() = std::move(body);
    r.prepare_payload();
    return r;
}

std::optional<ReadRefusal> answer_read_error(const beast::error_code &ec, const EventsLimits &limits) {
    if (ec.category() != http::make_error_code(http::error::bad_version).category() || ec == http::error::end_of_stream ||
        ec == http::error::partial_message)
        return std::nullopt;
    if (ec == http::error::body_limit)
        return ReadRefusal{events_response(http::status::payload_too_large, "text/plain", "request too large\n", 11),
                           "body over " + std::to_string(limits.max_body_bytes) + " bytes"};
    // A full read buffer means the header, a trailer or one line did not
    // end within it.
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow)
        return ReadRefusal{events_response(http::status::request_header_fields_too_large, "text/plain",
                                           "header or trailer too large\n", 11),
                           "header or trailer over " + std::to_string(limits.max_header_bytes) + " bytes"};
    return ReadRefusal{events_response(http::status::bad_request, "text/plain", "bad request\n", 11),
                       "unreadable request (" + ec.message() + ")"};
}

EventsAnswer answer_events_request(EventsRequest &request, const std::string &signing_secret, int64_t now_seconds) {
    const unsigned version = request.version();
    EventsAnswer answer;
    auto respond = [&](http::status status, const char *type, std::string body, std::string refusal = {}) {
        answer.response = events_response(status, type, std::move(body), version);
        answer.refusal = std::move(refusal);
        return answer;
    };
    if (request.method() == http::verb::get && request.target() == "/healthz")
        return respond(http::status::ok, "text/plain", "ok\n");
    if (request.target() != "/slack/events")
        return respond(http::status::not_found, "text/plain", "not found\n", "no such path");
    if (request.method() != http::verb::post)
        return respond(http::status::method_not_allowed, "text/plain", "POST only\n", "not a POST");

    const std::string problem =
        check_slack_signature(signing_secret, std::string(request["X-Slack-Request-Timestamp"]),
                              std::string(request["X-Slack-Signature"]), request.body(), now_seconds);
    if (!problem.empty()) return respond(http::status::unauthorized, "text/plain", "invalid signature\n", problem);

    Poco::JSON::Object::Ptr payload;
    try {
        Poco::JSON::Parser parser;
        payload = parser.parse(request.body()).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception &) {
        payload = nullptr;
    }
    if (!payload)
        return respond(http::status::bad_request, "text/plain", "not a JSON object\n",
                       "a signed request that is not a JSON object");
    std::string type, challenge;
    try {
        type = payload->optValue<std::string>("type", "");
        challenge = payload->optValue<std::string>("challenge", "");
    } catch (const std::exception &) {  // a member Poco cannot convert to text
        return respond(http::status::bad_request, "text/plain", "not an Events API payload\n",
                       "a signed request that is not an Events API payload");
    }
    if (type == "url_verification") {
        Poco::JSON::Object reply;
        reply.set("challenge", challenge);
        std::ostringstream body;
        reply.stringify(body);
        respond(http::status::ok, "application/json", body.str());
        answer.url_verification = true;
        return answer;
    }
    Envelope envelope;
    envelope.transport = "http";
    envelope.payload = payload;
    envelope.payload_text = std::move(request.body());
    const auto retry = request["X-Slack-Retry-Num"];
    int attempt = 0;
    const auto [end, ec] = std::from_chars(retry.data(), retry.data() + retry.size(), attempt);
    envelope.retry_attempt = ec == std::errc() && end == retry.data() + retry.size() ? attempt : 0;
    envelope.retry_reason = std::string(request["X-Slack-Retry-Reason"]);
    answer.envelope = std::move(envelope);
    return answer;
}

}  // namespace dlpd::slack
