// Sealing sensitive text at rest: AES-256-GCM with a key from the
// environment, and HMAC-SHA256 fingerprints (OpenSSL).
#ifndef DLPD_HOST_STORE_SEALED_TEXT_HPP
#define DLPD_HOST_STORE_SEALED_TEXT_HPP

#include <optional>
#include <string>
#include <string_view>

namespace dlpd {

// A 32-byte key from a 64-character hex string or base64 text; nothing when
// the text is neither.
std::optional<std::string> parse_key(std::string_view text);

// "v1:" + base64(nonce || ciphertext || tag). A fresh random nonce each time.
std::string seal(std::string_view plaintext, const std::string &key);
// Whether text is what seal() makes ("v1:…"); JSON or plain text is not.
inline bool is_sealed(std::string_view text) { return text.rfind("v1:", 0) == 0; }
// The plaintext, or nothing when the text was not sealed with this key or
// was altered.
std::optional<std::string> unseal(std::string_view sealed, const std::string &key);

std::string random_bytes(size_t n);
std::string to_hex(std::string_view bytes);

}  // namespace dlpd

#endif
