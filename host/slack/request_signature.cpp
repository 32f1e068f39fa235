#include "slack/request_signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>

namespace dlpd::slack {

std::string slack_signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
    std::string base = "v0:";
    base.append(timestamp);
    base += ':';
    base.append(body);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char *>(base.data()),
         base.size(), digest, &length);
    static const char *hex = "0123456789abcdef";
    std::string out = "v0=";
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

std::string check_slack_signature(std::string_view secret, std::string_view timestamp, std::string_view signature,
                                  std::string_view body, int64_t now_seconds, int64_t window_seconds) {
    if (timestamp.empty()) return "no X-Slack-Request-Timestamp header";
    if (signature.empty()) return "no X-Slack-Signature header";
    int64_t stamp = 0;
    auto [end, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), stamp);
    if (ec != std::errc() || end != timestamp.data() + timestamp.size()) return "X-Slack-Request-Timestamp is not a number";
    if (stamp < now_seconds - window_seconds || stamp > now_seconds + window_seconds)
        return "X-Slack-Request-Timestamp is more than " + std::to_string(window_seconds / 60) +
               " minutes from now (a replay, or a wrong clock)";
    const std::string expected = slack_signature(secret, timestamp, body);
    if (signature.size() != expected.size() || CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0)
        return "X-Slack-Signature does not match (wrong signing secret, or the body was changed)";
    return {};
}

}  // namespace dlpd::slack
