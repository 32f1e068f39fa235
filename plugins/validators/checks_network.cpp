// Network addresses and e-mail addresses.
#include <arpa/inet.h>

#include <cstring>

#include "checks.hpp"
#include "text.hpp"

namespace dlpd::validators {

using namespace text;

namespace {

// Splits an optional "/N" prefix length (0 to max) off an address.
bool split_prefix(std::string_view &v, int max) noexcept {
    const std::size_t slash = v.find('/');
    if (slash == std::string_view::npos) return true;
    const std::string_view n = v.substr(slash + 1);
    if (n.empty() || n.size() > 3 || !all_digits(n) || (n.size() > 1 && n[0] == '0') || number(n) > max) return false;
    v = v.substr(0, slash);
    return true;
}

bool dotted_quad(std::string_view v) noexcept {
    int parts = 0;
    while (true) {
        const std::size_t dot = v.find('.');
        const std::string_view part = v.substr(0, dot);
        if (part.empty() || part.size() > 3 || !all_digits(part)) return false;
        if (part.size() > 1 && part[0] == '0') return false;  // "01" is octal to some parsers
        if (number(part) > 255) return false;
        ++parts;
        if (dot == std::string_view::npos) break;
        v.remove_prefix(dot + 1);
        if (parts == 4) return false;
    }
    return parts == 4;
}

}  // namespace

// IPv4 in dotted-decimal form (RFC 791; the text form of RFC 3986 section
// 3.2.2's IPv4address): four decimal numbers 0-255, no leading zeros, an
// optional "/N" prefix length 0-32 (RFC 4632) as Presidio accepts.
bool ipv4(std::string_view candidate) noexcept {
    std::string_view v = trim(candidate);
    return split_prefix(v, 32) && dotted_quad(v);
}

// IPv6 text forms (RFC 4291 section 2.2: full, "::"-compressed, and with an
// embedded dotted quad; RFC 5952 lower or upper case), with an optional zone
// id (RFC 6874, "%" and at least one unreserved character) and an optional
// "/N" prefix length 0-128. The address itself is parsed by inet_pton.
bool ipv6(std::string_view candidate) noexcept {
    std::string_view v = trim(candidate);
    if (!split_prefix(v, 128)) return false;
    const std::size_t percent = v.find('%');
    if (percent != std::string_view::npos) {
        const std::string_view zone = v.substr(percent + 1);
        if (zone.empty() || zone.size() > 64) return false;
        for (char c : zone)
            if (!is_alnum(c) && c != '.' && c != '_' && c != '~' && c != '-') return false;
        v = v.substr(0, percent);
    }
    constexpr std::size_t kMaxText = 45;  // INET6_ADDRSTRLEN - 1
    if (v.size() < 2 || v.size() > kMaxText) return false;
    char buffer[kMaxText + 1];
    std::memcpy(buffer, v.data(), v.size());
    buffer[v.size()] = '\0';
    if (std::strlen(buffer) != v.size()) return false;  // a NUL inside
    unsigned char address[16];
    return inet_pton(AF_INET6, buffer, address) == 1;
}

// MAC-48 / EUI-48 (IEEE 802, "Guidelines for Use of EUI, OUI, and CID"):
// twelve hex digits, as six pairs joined by one kind of ':' or '-', as three
// quads joined by '.', or run together. As Presidio does, all zeros and the
// broadcast address (all ones) reject.
bool mac_address(std::string_view candidate) noexcept {
    const std::string_view v = trim(candidate);
    std::size_t group = 0;
    char sep = 0;
    if (v.size() == 17)
        group = 2, sep = v[2];
    else if (v.size() == 14)
        group = 4, sep = v[4];
    else if (v.size() != 12)
        return false;
    if (group == 2 && sep != ':' && sep != '-') return false;
    if (group == 4 && sep != '.') return false;
    char hex[12];
    std::size_t n = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const bool at_sep = group != 0 && (i + 1) % (group + 1) == 0;
        if (at_sep) {
            if (v[i] != sep) return false;
        } else {
            if (!is_hex(v[i])) return false;
            hex[n++] = to_upper(v[i]);
        }
    }
    if (n != 12) return false;
    const std::string_view h(hex, 12);
    return !(all_same(h) && (h[0] == '0' || h[0] == 'F'));
}

// An e-mail address, syntactically (RFC 5321 section 4.1.2 and 4.5.3.1,
// RFC 5322 section 3.4.1 dot-atom; no quoted local parts, no address
// literals): a local part of 1-64 atext characters and single inner dots,
// '@', a domain of at most 253 characters in two or more LDH labels of 1-63
// characters (RFC 1123), the last a plausible top-level domain: 2-63 letters,
// or "xn--" and an IDNA A-label. Presidio asks the public suffix list; this
// only checks the shape.
bool email(std::string_view candidate) noexcept {
    const std::string_view v = trim(candidate);
    const std::size_t at = v.rfind('@');
    if (at == std::string_view::npos || at == 0 || at > 64) return false;
    const std::string_view local = v.substr(0, at), domain = v.substr(at + 1);
    constexpr std::string_view kAtextExtra = "!#$%&'*+/=?^_`{|}~-";
    char previous = '.';
    for (char c : local) {
        if (c == '.') {
            if (previous == '.') return false;
        } else if (!is_alnum(c) && kAtextExtra.find(c) == std::string_view::npos) {
            return false;
        }
        previous = c;
    }
    if (previous == '.') return false;
    if (domain.empty() || domain.size() > 253) return false;
    std::size_t labels = 0;
    std::string_view rest = domain, last;
    while (true) {
        const std::size_t dot = rest.find('.');
        const std::string_view label = rest.substr(0, dot);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!is_alnum(c) && c != '-') return false;
        ++labels;
        last = label;
        if (dot == std::string_view::npos) break;
        rest.remove_prefix(dot + 1);
    }
    if (labels < 2 || last.size() < 2) return false;
    if (last.size() > 4 && (last.substr(0, 4) == "xn--" || last.substr(0, 4) == "XN--")) return true;
    for (char c : last)
        if (!is_alpha(c)) return false;
    return true;
}

}  // namespace dlpd::validators
