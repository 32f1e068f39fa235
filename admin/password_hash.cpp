#include "admin/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <charconv>
#include <stdexcept>
#include <vector>

#include "store/sealed_text.hpp"

namespace dlpd {

namespace {

constexpr const char *kScheme = "pbkdf2-sha256";
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

std::string pbkdf2(std::string_view password, std::string_view salt, int iterations) {
    std::string out(kHashBytes, '\0');
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char *>(salt.data()), static_cast<int>(salt.size()),
                          iterations, EVP_sha256(), static_cast<int>(out.size()),
                          reinterpret_cast<unsigned char *>(out.data())) != 1)
        throw std::runtime_error("PBKDF2 failed");
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    for (size_t at = 0;;) {
        const size_t next = s.find(sep, at);
        parts.push_back(s.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
        if (next == std::string_view::npos) return parts;
        at = next + 1;
    }
}

}  // namespace

std::string hash_password(std::string_view password) {
    const std::string salt = random_bytes(kSaltBytes);
    return std::string(kScheme) + "$" + std::to_string(kPasswordHashIterations) + "$" + to_hex(salt) + "$" +
           to_hex(pbkdf2(password, salt, kPasswordHashIterations));
}

bool verify_password(std::string_view password, std::string_view record) {
    const auto parts = split(record, '$');
    if (parts.size() != 4 || parts[0] != kScheme) return false;
    int iterations = 0;
    const auto [end, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), iterations);
    if (ec != std::errc() || end != parts[1].data() + parts[1].size() || iterations < 1) return false;
    std::string salt;
    for (size_t i = 0; i + 1 < parts[2].size(); i += 2) {
        unsigned byte = 0;
        if (std::from_chars(parts[2].data() + i, parts[2].data() + i + 2, byte, 16).ec != std::errc()) return false;
        salt.push_back(static_cast<char>(byte));
    }
    return constant_time_equal(to_hex(pbkdf2(password, salt, iterations)), parts[3]);
}

void verify_password_for_unknown_user(std::string_view password) {
    static const std::string record = hash_password("no such user");
    (void)verify_password(password, record);
}

std::string random_token() { return to_hex(random_bytes(32)); }

std::string sha256_hex(std::string_view data) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(data.data()), data.size(), digest);
    return to_hex(std::string_view(reinterpret_cast<const char *>(digest), sizeof digest));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace dlpd
