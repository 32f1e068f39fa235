// What HTTP Events mode does with one request, apart from the socket: the
// limits its parser reads under, the answer to a request that could not be
// read, and the answer to one that could (signature first, then
// url_verification or an event for the intake). http_events.cpp runs these
// on connections; the fuzz target (tests/slack_e2e/fuzz) runs them on raw
// bytes, so both see the same code.
//
// Nothing here throws on any input, and no answer carries a byte of the
// request in a header.
#ifndef DLPD_HOST_SLACK_EVENTS_REQUEST_HPP
#define DLPD_HOST_SLACK_EVENTS_REQUEST_HPP

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "slack/envelope.hpp"

namespace dlpd::slack {

using EventsRequest = boost::beast::http::request<boost::beast::http::string_body>;
using EventsResponse = boost::beast::http::response<boost::beast::http::string_body>;
using EventsParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// The limits of one request. The header, the trailer of a chunked body and
// any one field must fit in max_header_bytes: the read buffer is that large,
// so nothing past it is ever held, and a field can never reach the 64 KiB
// where Beast's field storage throws.
struct EventsLimits {
    uint32_t max_header_bytes = 8192;
    uint64_t max_body_bytes = uint64_t{1} << 20;
};

// Sets the parser's own limits; the caller reads into a buffer of
// limits.max_header_bytes (events_read_buffer_bytes()).
void limit_events_parser(EventsParser &parser, const EventsLimits &limits);
size_t events_read_buffer_bytes(const EventsLimits &limits);

// A plain-text answer with the fields every answer has.
EventsResponse events_response(boost::beast::http::status status, const char *content_type, std::string body,
                               unsigned version);

// The answer to a request that could not be read: 413 past the body limit,
// 431 past the header limit (the header, a trailer or one field), 400 for
// anything the parser refused. Nothing for a network error or a timeout: the
// connection just closes. The connection closes after any of these.
struct ReadRefusal {
    EventsResponse response;
    std::string reason;  // for the log, e.g. "header or trailer over 8192 bytes"
};
std::optional<ReadRefusal> answer_read_error(const boost::beast::error_code &ec, const EventsLimits &limits);

// The answer to a request that was read whole. Exactly one of:
//   - response set: send it (refusal says why it was refused, for the
//     log's summary; empty for /healthz, url_verification and the like);
//   - envelope set: hand it to the intake and answer once it is recorded.
struct EventsAnswer {
    std::optional<EventsResponse> response;
    std::optional<Envelope> envelope;
    std::string refusal;
    bool url_verification = false;  // the response answers Slack's url_verification
};
EventsAnswer answer_events_request(EventsRequest &request, const std::string &signing_secret, int64_t now_seconds);

}  // namespace dlpd::slack

#endif
