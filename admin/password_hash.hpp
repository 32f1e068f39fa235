// Passwords and secrets of the admin: PBKDF2-HMAC-SHA256 password hashes
// with a per-user random salt, random tokens from OpenSSL's RAND_bytes, and
// comparisons that take the same time whatever the bytes.
#ifndef DLPD_ADMIN_PASSWORD_HASH_HPP
#define DLPD_ADMIN_PASSWORD_HASH_HPP

#include <string>
#include <string_view>

namespace dlpd {

inline constexpr int kPasswordHashIterations = 600000;

// "pbkdf2-sha256$600000$SALT_HEX$HASH_HEX", with a fresh 16-byte salt.
std::string hash_password(std::string_view password);

// Whether password matches a hash_password() record (the record's own
// iteration count is used). A malformed record matches nothing.
bool verify_password(std::string_view password, std::string_view record);

// Spends the time a verification takes, for a user name that does not
// exist, so the answer's timing does not tell which names exist.
void verify_password_for_unknown_user(std::string_view password);

// 256 random bits, hex (64 characters).
std::string random_token();

std::string sha256_hex(std::string_view data);

bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace dlpd

#endif
