// The IBAN check itself (ISO 13616), kept apart from the plugin glue so it
// reads on its own and can be tested without loading a plugin. C++17, no
// dependencies, no allocation.
//
// An IBAN is: two letters (the ISO 3166 country code), two check digits, and
// a country-specific BBAN of letters and digits, with a length fixed per
// country. It is valid when, after moving the first four characters to the
// end and replacing every letter by two digits (A = 10 ... Z = 35), the
// resulting number is 1 modulo 97.
#ifndef DLPD_EXAMPLES_IBAN_CHECK_HPP
#define DLPD_EXAMPLES_IBAN_CHECK_HPP

#include <cstddef>
#include <string_view>

namespace iban {

inline constexpr std::size_t kMinLength = 15;  // Norway
inline constexpr std::size_t kMaxLength = 34;  // the ISO 13616 maximum

struct CountryLength {
    char code[3];
    unsigned char length;
};

// IBAN lengths of the countries in the SWIFT IBAN registry that matter most
// in practice: every SEPA country, plus others that issue IBANs. A country
// missing here is rejected, which is the safe choice for a validator:
// extend the table when you need one.
inline constexpr CountryLength kCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
    {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24},
    {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SC", 31},
    {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24},
    {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
};

constexpr bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr char to_upper(char c) noexcept { return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

// The IBAN length of a country (two upper-case letters), or 0 when the
// country is not in kCountries.
constexpr std::size_t country_length(std::string_view code) noexcept {
    for (const CountryLength &c : kCountries)
        if (code.size() == 2 && code[0] == c.code[0] && code[1] == c.code[1]) return c.length;
    return 0;
}

// Index of a country code in a 26 x 26 table (for allow lists), or -1 when
// code is not two upper-case letters.
constexpr int country_index(std::string_view code) noexcept {
    if (code.size() != 2 || !is_upper(code[0]) || !is_upper(code[1])) return -1;
    return (code[0] - 'A') * 26 + (code[1] - 'A');
}

// An IBAN in electronic form: spaces removed, letters upper-cased. Fixed
// storage, so checking a candidate never allocates.
struct Compact {
    char chars[kMaxLength];
    std::size_t size = 0;
    std::string_view view() const noexcept { return std::string_view(chars, size); }
};

// Removes spaces and upper-cases letters. Returns false when something else
// than letters, digits and spaces is present, or when the result is longer
// than any IBAN.
inline bool compact(std::string_view candidate, Compact &out) noexcept {
    out.size = 0;
    for (char c : candidate) {
        if (c == ' ') continue;
        if (!is_upper(c) && !is_lower(c) && !is_digit(c)) return false;
        if (out.size == kMaxLength) return false;
        out.chars[out.size++] = to_upper(c);
    }
    return true;
}

// The remainder modulo 97 of the number ISO 13616 builds from an IBAN in
// electronic form: the characters from index 4 on, then the first four, each
// digit standing for itself and each letter for two digits (A = 10 ... Z =
// 35). Computed piecewise, one character at a time: with r < 97, r * 100 + 35
// stays far below the range of an unsigned int, so no big integer is needed.
// Expects only digits and upper-case letters.
inline unsigned mod97(std::string_view iban) noexcept {
    unsigned r = 0;
    auto feed = [&r](char c) {
        if (is_digit(c)) r = (r * 10 + static_cast<unsigned>(c - '0')) % 97;
        else r = (r * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
    };
    for (std::size_t i = 4; i < iban.size(); ++i) feed(iban[i]);
    for (std::size_t i = 0; i < 4 && i < iban.size(); ++i) feed(iban[i]);
    return r;
}

// Why a candidate is not an IBAN, for tests and for people.
enum class Problem {
    none,
    bad_characters,   // something else than letters, digits and spaces, or too long
    bad_country,      // the first two characters are not a known country code
    bad_check_digits, // characters 3 and 4 are not digits in 02..98
    bad_length,       // not the length of that country's IBANs
    bad_checksum,     // the mod-97 check fails
};

// Checks an IBAN in electronic form, as compact() makes it (digits and
// upper-case letters only).
inline Problem check_compact(std::string_view s) noexcept {
    if (s.size() < 4) return Problem::bad_length;
    const std::size_t length = country_length(s.substr(0, 2));
    if (length == 0) return Problem::bad_country;
    if (!is_digit(s[2]) || !is_digit(s[3])) return Problem::bad_check_digits;
    // 98 - (n mod 97) is always 2..98, so 00, 01 and 99 are never issued.
    const int check_digits = (s[2] - '0') * 10 + (s[3] - '0');
    if (check_digits < 2 || check_digits > 98) return Problem::bad_check_digits;
    if (s.size() != length) return Problem::bad_length;
    // compact() let through letters and digits only, which is all ISO 13616
    // asks of a BBAN; checking each country's BBAN layout (GB: 4 letters,
    // 14 digits) would be the next refinement.
    return mod97(s) == 1 ? Problem::none : Problem::bad_checksum;
}

// Checks a candidate as found in text: spaces are ignored (the printed form
// "GB29 NWBK 6016 1331 9268 19" groups by four), lower case is accepted.
inline Problem check(std::string_view candidate) noexcept {
    Compact iban;
    if (!compact(candidate, iban)) return Problem::bad_characters;
    return check_compact(iban.view());
}

inline bool is_valid(std::string_view candidate) noexcept { return check(candidate) == Problem::none; }

}  // namespace iban

#endif
