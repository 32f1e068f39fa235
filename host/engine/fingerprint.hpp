// Match fingerprints and the value allowlist. A fingerprint is HMAC-SHA256
// (hex) of a match's canonical form, under a key the store keeps: incidents
// record it instead of the match, and the allowlist holds only fingerprints,
// so neither keeps a secret in clear. The canonical form drops ASCII
// whitespace and dashes, so "4111 1111 1111 1111" and "4111-1111-1111-1111"
// are the same value.
#ifndef DLPD_HOST_ENGINE_FINGERPRINT_HPP
#define DLPD_HOST_ENGINE_FINGERPRINT_HPP

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace dlpd {

std::string canonical_match(std::string_view match);
std::string match_fingerprint(std::string_view key, std::string_view match);

// Values never to act on, by fingerprint. Each key comes with the
// fingerprints made under it (the store's, and a throwaway one for the
// values a pack ships when no store is at hand).
class ValueAllowlist {
public:
    void add_fingerprints(std::string key, std::unordered_set<std::string> fingerprints);
    // Fingerprints the values under a fresh random key.
    void add_values(const std::vector<std::string> &values);
    bool contains(std::string_view match) const;
    size_t size() const;

private:
    struct Keyed {
        std::string key;
        std::unordered_set<std::string> fingerprints;
    };
    std::vector<Keyed> sets_;
};

}  // namespace dlpd

#endif
