// Fuzz target, HTTP Events mode: raw bytes as a client sends them, read by
// Beast's request parser under dlpd's limits into the same bounded buffer,
// then answered by the same function the server uses (signature check,
// url_verification, the event for the intake). Several requests per input,
// as on a keep-alive connection.
//
// Input: one byte of options, then the bytes on the wire. Options bit 0:
// sign each request's body with the test secret (so the fuzzer also gets
// past the signature check); bits 1-3: how many bytes each read returns.
//
// Properties: nothing throws or crashes; a request that could not be read
// gets 400, 413 or 431 or no answer at all; a read request gets exactly one
// of an answer or an envelope, and an envelope only with a valid signature;
// no answer header carries CR, LF or NUL.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "log.hpp"
#include "slack/events_request.hpp"
#include "slack/request_signature.hpp"

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using namespace dlpd::slack;

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

constexpr const char *kSecret = "fuzz-signing-secret";
constexpr int64_t kNow = 1700000000;

// A SyncReadStream over the fuzz input, chunk bytes at a time.
class InputStream {
public:
    InputStream(std::string_view bytes, size_t chunk) : rest_(bytes), chunk_(chunk) {}

    template <class MutableBuffers>
    size_t read_some(const MutableBuffers &buffers, beast::error_code &ec) {
        ec = {};
        if (rest_.empty()) {
            ec = net::error::eof;
            return 0;
        }
        const size_t n = net::buffer_copy(buffers, net::buffer(rest_.data(), std::min(rest_.size(), chunk_)));
        rest_.remove_prefix(n);
        return n;
    }
    template <class MutableBuffers>
    size_t read_some(const MutableBuffers &buffers) {
        beast::error_code ec;
        const size_t n = read_some(buffers, ec);
        if (ec) throw beast::system_error(ec);
        return n;
    }

private:
    std::string_view rest_;
    size_t chunk_;
};

bool header_safe(boost::beast::string_view text) {
    for (char c : text)
        if (c == '\r' || c == '\n' || c == '\0') return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const bool quiet = [] {
        dlpd::set_log_sink([](dlpd::LogLevel, std::string_view, std::string_view) {});
        return true;
    }();
    (void)quiet;
    if (size == 0) return 0;
    const uint8_t options = data[0];
    static constexpr size_t kChunks[] = {1, 7, 64, 512, 4096, 8192, 65536, 1 << 20};
    InputStream in(std::string_view(reinterpret_cast<const char *>(data) + 1, size - 1), kChunks[(options >> 1) & 7]);

    const EventsLimits limits;  // the defaults dlpd runs with
    beast::flat_buffer buffer(events_read_buffer_bytes(limits));
    for (int i = 0; i < 8; ++i) {
        EventsParser parser;
        limit_events_parser(parser, limits);
        beast::error_code ec;
        http::read(in, buffer, parser, ec);
        check(buffer.size() <= events_read_buffer_bytes(limits));
        if (ec) {
            if (auto refusal = answer_read_error(ec, limits)) {
                const unsigned status = refusal->response.result_int();
                check(status == 400 || status == 413 || status == 431);
                check(!refusal->reason.empty());
            }
            return 0;
        }
        EventsRequest request = parser.release();
        check(request.body().size() <= limits.max_body_bytes);
        if (options & 1) {
            const std::string stamp = std::to_string(kNow);
            request.set("X-Slack-Request-Timestamp", stamp);
            request.set("X-Slack-Signature", slack_signature(kSecret, stamp, request.body()));
        }
        const bool signed_right =
            check_slack_signature(kSecret, std::string(request["X-Slack-Request-Timestamp"]),
                                  std::string(request["X-Slack-Signature"]), request.body(), kNow)
                .empty();
        const bool keep_alive = request.keep_alive();
        EventsAnswer answer = answer_events_request(request, kSecret, kNow);
        check(answer.response.has_value() != answer.envelope.has_value());
        if (answer.envelope) {
            check(signed_right);
            check(answer.envelope->payload);
        } else {
            for (const auto &field : *answer.response) {
                check(header_safe(field.name_string()));
                check(header_safe(field.value()));
            }
        }
        if (!keep_alive) return 0;
    }
    return 0;
}
