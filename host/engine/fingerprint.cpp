#include "engine/fingerprint.hpp"

#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace dlpd {

std::string canonical_match(std::string_view match) {
    std::string out;
    out.reserve(match.size());
    for (char c : match)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != '-') out.push_back(c);
    return out;
}

std::string match_fingerprint(std::string_view key, std::string_view match) {
    const std::string canonical = canonical_match(match);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char *>(canonical.data()), canonical.size(), mac, &len) == nullptr)
        throw std::runtime_error("HMAC-SHA256 failed");
    static const char *hex = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(hex[mac[i] >> 4]);
        out.push_back(hex[mac[i] & 15]);
    }
    return out;
}

void ValueAllowlist::add_fingerprints(std::string key, std::unordered_set<std::string> fingerprints) {
    for (auto &s : sets_)
        if (s.key == key) {
            s.fingerprints.merge(fingerprints);
            return;
        }
    sets_.push_back(Keyed{std::move(key), std::move(fingerprints)});
}

void ValueAllowlist::add_values(const std::vector<std::string> &values) {
    if (values.empty()) return;
    std::string key(32, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char *>(key.data()), static_cast<int>(key.size())) != 1)
        throw std::runtime_error("no random bytes for the allowlist key");
    std::unordered_set<std::string> fps;
    for (const auto &v : values) fps.insert(match_fingerprint(key, v));
    add_fingerprints(std::move(key), std::move(fps));
}

bool ValueAllowlist::contains(std::string_view match) const {
    for (const auto &s : sets_)
        if (!s.fingerprints.empty() && s.fingerprints.count(match_fingerprint(s.key, match)) != 0) return true;
    return false;
}

size_t ValueAllowlist::size() const {
    size_t n = 0;
    for (const auto &s : sets_) n += s.fingerprints.size();
    return n;
}

}  // namespace dlpd
