// Bank account numbers and cryptocurrency addresses.
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "checks.hpp"
#include "text.hpp"

namespace dlpd::validators {

using namespace text;

namespace {

// IBAN length per country, from the SWIFT IBAN Registry (ISO 13616
// registration authority), release 99 (2024). Sorted by country code.
struct IbanCountry {
    char code[3];
    int length;
};
constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22}, {"BH", 22},
    {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28},
    {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22},
    {"MK", 19}, {"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23},
    {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};
constexpr std::size_t kIbanMaxLength = 34;  // ISO 13616-1: at most 34 characters

int iban_length(std::string_view country) noexcept {
    for (const IbanCountry &c : kIbanCountries)
        if (country == std::string_view(c.code, 2)) return c.length;
    return 0;
}

}  // namespace

// ISO 13616-1:2020 and the SWIFT IBAN Registry: two letters of a registered
// country, two check digits, a BBAN of the registered length; moving the
// first four characters to the end and reading letters as 10..35 gives a
// number that is 1 mod 97 (ISO 7064 MOD 97-10). The paper form groups the
// characters by four with spaces; either case is accepted.
bool iban(std::string_view candidate) noexcept {
    Compact<kIbanMaxLength> s;
    if (!s.read(candidate, " ", Keep::alnum) || s.size() < 5) return false;
    const std::string_view v = s.view();
    if (!is_upper(v[0]) || !is_upper(v[1]) || !is_digit(v[2]) || !is_digit(v[3])) return false;
    if (static_cast<int>(v.size()) != iban_length(v.substr(0, 2))) return false;
    const int check = number(v.substr(2, 2));
    if (check < 2 || check > 98) return false;
    int rest = 0;
    auto feed = [&rest](char c) {
        if (is_digit(c))
            rest = (rest * 10 + digit(c)) % 97;
        else
            rest = (rest * 100 + (c - 'A' + 10)) % 97;
    };
    for (char c : v.substr(4)) feed(c);
    for (char c : v.substr(0, 4)) feed(c);
    return rest == 1;
}

// ABA routing number (American Bankers Association, "Routing Number Policy
// and Procedures", and the Federal Reserve's check-digit rule): nine digits,
// 3-7-1 weights summing to 0 mod 10; the first two digits are a Federal
// Reserve routing symbol: 00-12 (banks), 21-32 (thrifts), 61-72
// (electronic), 80 (traveller's cheques). All zeros is not a number.
bool aba_routing(std::string_view candidate) noexcept {
    Compact<9> s;
    if (!s.read(candidate, "-", Keep::digits) || s.size() != 9) return false;
    const std::string_view v = s.view();
    if (all_same(v) && v[0] == '0') return false;
    const int prefix = number(v.substr(0, 2));
    if (!(prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix == 80))
        return false;
    static constexpr int weights[] = {3, 7, 1, 3, 7, 1, 3, 7, 1};
    return weighted_sum(v, weights) % 10 == 0;
}

namespace {

constexpr std::string_view kBase58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::size_t kAddressBytes = 25;  // version byte, 20-byte hash, 4-byte checksum

bool sha256d_prefix_matches(const unsigned char *data, std::size_t size, const unsigned char *check) noexcept {
    unsigned char first[EVP_MAX_MD_SIZE];
    unsigned char second[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data, size, first, &n, EVP_sha256(), nullptr) != 1 || n != 32) return false;
    if (EVP_Digest(first, n, second, &n, EVP_sha256(), nullptr) != 1 || n != 32) return false;
    return std::memcmp(second, check, 4) == 0;
}

}  // namespace

// Bitcoin Base58Check addresses (Bitcoin wiki "Base58Check encoding" and
// BIP-13 for P2SH): Base58 digits decode to 25 bytes (leading '1's are zero
// bytes), a version byte of P2PKH (0x00, "1..."), P2SH (0x05, "3..."), or
// their testnet forms (0x6f "m"/"n", 0xc4 "2"), the 20-byte hash, and the
// first four bytes of SHA-256(SHA-256(version + hash)).
bool base58check(std::string_view candidate) noexcept {
    const std::string_view v = trim(candidate);
    if (v.size() < 26 || v.size() > 35) return false;
    std::array<unsigned char, kAddressBytes> bytes{};
    for (char c : v) {
        const std::size_t d = kBase58Alphabet.find(c);
        if (d == std::string_view::npos) return false;
        unsigned carry = static_cast<unsigned>(d);
        for (std::size_t i = kAddressBytes; i-- > 0;) {
            carry += 58u * bytes[i];
            bytes[i] = static_cast<unsigned char>(carry & 0xff);
            carry >>= 8;
        }
        if (carry != 0) return false;  // more than 25 bytes
    }
    // Each leading '1' stands for one leading zero byte, and only they do.
    std::size_t ones = 0;
    while (ones < v.size() && v[ones] == '1') ++ones;
    std::size_t zeros = 0;
    while (zeros < kAddressBytes && bytes[zeros] == 0) ++zeros;
    if (zeros != ones) return false;
    const unsigned char version = bytes[0];
    if (version != 0x00 && version != 0x05 && version != 0x6f && version != 0xc4) return false;
    return sha256d_prefix_matches(bytes.data(), 21, bytes.data() + 21);
}

namespace {

constexpr std::string_view kBech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr uint32_t kBech32Const = 1;            // BIP-173
constexpr uint32_t kBech32mConst = 0x2bc830a3;  // BIP-350
constexpr std::size_t kBech32MaxLength = 90;

uint32_t polymod_step(uint32_t chk, uint32_t value) noexcept {
    static constexpr uint32_t generator[] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    const uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ value;
    for (int i = 0; i < 5; ++i)
        if ((top >> i) & 1) chk ^= generator[i];
    return chk;
}

}  // namespace

// SegWit addresses: BIP-173 (bech32, witness version 0) and BIP-350
// (bech32m, versions 1 to 16). Human-readable part "bc" or "tb", separator
// '1', data characters from the bech32 charset, one case throughout, at most
// 90 characters; the checksum constant must match the witness version, and
// the program (5-bit groups regrouped into bytes, no leftover bits but zero
// padding) is 2 to 40 bytes, 20 or 32 for version 0.
bool bech32(std::string_view candidate) noexcept {
    const std::string_view v = trim(candidate);
    if (v.size() < 14 || v.size() > kBech32MaxLength) return false;
    bool lower = false, upper = false;
    for (char c : v) {
        if (c < 33 || c > 126) return false;
        lower |= is_lower(c);
        upper |= is_upper(c);
    }
    if (lower && upper) return false;
    const std::size_t sep = v.rfind('1');
    if (sep != 2) return false;  // "bc" or "tb"
    const char h0 = static_cast<char>(v[0] | 0x20), h1 = static_cast<char>(v[1] | 0x20);
    if (!((h0 == 'b' && h1 == 'c') || (h0 == 't' && h1 == 'b'))) return false;
    const std::string_view data = v.substr(sep + 1);
    if (data.size() < 7) return false;  // a version and the 6-character checksum
    uint32_t chk = 1;
    for (char c : {h0, h1}) chk = polymod_step(chk, static_cast<uint32_t>(c) >> 5);
    chk = polymod_step(chk, 0);
    for (char c : {h0, h1}) chk = polymod_step(chk, static_cast<uint32_t>(c) & 31);
    uint8_t values[kBech32MaxLength];
    for (std::size_t i = 0; i < data.size(); ++i) {
        const char c = is_upper(data[i]) ? static_cast<char>(data[i] | 0x20) : data[i];
        const std::size_t d = kBech32Charset.find(c);
        if (d == std::string_view::npos) return false;
        values[i] = static_cast<uint8_t>(d);
        chk = polymod_step(chk, values[i]);
    }
    const unsigned version = values[0];
    if (version > 16) return false;
    if (chk != (version == 0 ? kBech32Const : kBech32mConst)) return false;
    // Regroup the program's 5-bit values (between version and checksum).
    uint32_t acc = 0;
    int bits = 0;
    std::size_t bytes = 0;
    for (std::size_t i = 1; i + 6 < data.size(); ++i) {
        acc = ((acc << 5) | values[i]) & 0xfff;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            ++bytes;
        }
    }
    if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0) return false;
    if (bytes < 2 || bytes > 40) return false;
    return version != 0 || bytes == 20 || bytes == 32;
}

}  // namespace dlpd::validators
