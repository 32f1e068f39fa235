// Slack's request signing (HTTP Events mode): X-Slack-Signature is
// "v0=" + hex(HMAC-SHA256(signing_secret, "v0:" + timestamp + ":" + body)),
// and X-Slack-Request-Timestamp must be within five minutes of now.
#ifndef DLPD_HOST_SLACK_REQUEST_SIGNATURE_HPP
#define DLPD_HOST_SLACK_REQUEST_SIGNATURE_HPP

#include <cstdint>
#include <string>
#include <string_view>

namespace dlpd::slack {

std::string slack_signature(std::string_view secret, std::string_view timestamp, std::string_view body);

// Empty when the request is Slack's; else what is wrong (never the secret).
// The comparison takes the same time wherever the signatures differ.
std::string check_slack_signature(std::string_view secret, std::string_view timestamp, std::string_view signature,
                                  std::string_view body, int64_t now_seconds, int64_t window_seconds = 300);

}  // namespace dlpd::slack

#endif
