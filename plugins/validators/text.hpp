// Small helpers the checks share: reading a candidate a human typed into the
// characters a format is made of, and the arithmetic several formats reuse.
// Internal to the validators library; nothing here allocates.
#ifndef DLPD_PLUGINS_VALIDATORS_TEXT_HPP
#define DLPD_PLUGINS_VALIDATORS_TEXT_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace dlpd::validators::text {

constexpr bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
constexpr bool is_upper(char c) noexcept {
    return c >= 'A' && c <= 'Z';
}
constexpr bool is_lower(char c) noexcept {
    return c >= 'a' && c <= 'z';
}
constexpr bool is_alpha(char c) noexcept {
    return is_upper(c) || is_lower(c);
}
constexpr bool is_alnum(char c) noexcept {
    return is_digit(c) || is_alpha(c);
}
constexpr bool is_hex(char c) noexcept {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr char to_upper(char c) noexcept {
    return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}
constexpr int digit(char c) noexcept {
    return c - '0';
}

// The candidate without ASCII blanks around it: a regex group often keeps the
// space that separated it from the word before.
constexpr std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// What a format is written with, besides its separators.
enum class Keep { digits, alnum };

// Up to N significant characters of a candidate, letters upper-cased, the
// separators the format allows dropped. A fixed buffer: a huge candidate is
// rejected after N + 1 characters, whatever its length.
template <std::size_t N>
class Compact {
public:
    // False when a character is neither kept nor an allowed separator, or
    // when there are more than N kept characters.
    bool read(std::string_view candidate, std::string_view separators, Keep keep) noexcept {
        size_ = 0;
        for (char c : trim(candidate)) {
            if (separators.find(c) != std::string_view::npos) continue;
            const bool ok = keep == Keep::digits ? is_digit(c) : is_alnum(c);
            if (!ok || size_ == N) return false;
            data_[size_++] = to_upper(c);
        }
        return true;
    }
    std::string_view view() const noexcept { return {data_, size_}; }
    std::size_t size() const noexcept { return size_; }
    char operator[](std::size_t i) const noexcept { return data_[i]; }

private:
    char data_[N]{};
    std::size_t size_ = 0;
};

// True when every character of s is a digit (and s is not empty).
constexpr bool all_digits(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}

constexpr bool all_upper(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_upper(c)) return false;
    return true;
}

// s (all digits, at most 9 of them) as a number.
constexpr int number(std::string_view s) noexcept {
    int n = 0;
    for (char c : s) n = n * 10 + digit(c);
    return n;
}

// True when every character of s is the same.
constexpr bool all_same(std::string_view s) noexcept {
    for (char c : s)
        if (c != s.front()) return false;
    return true;
}

// Sum of digits times weights, weights[i] for s[i]; s has at least as many
// digits as weights.
template <std::size_t W>
constexpr int weighted_sum(std::string_view s, const int (&weights)[W]) noexcept {
    int sum = 0;
    for (std::size_t i = 0; i < W; ++i) sum += digit(s[i]) * weights[i];
    return sum;
}

// Luhn (ISO/IEC 7812-1 annex B): true when the digits of s, the last being
// the check digit, sum to 0 mod 10 with every second digit from the right
// doubled.
constexpr bool luhn(std::string_view s) noexcept {
    int sum = 0;
    bool twice = false;
    for (std::size_t i = s.size(); i-- > 0;) {
        int d = digit(s[i]);
        if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

// Verhoeff's dihedral-group check (J. Verhoeff, "Error Detecting Decimal
// Codes", 1969): true when s, the last digit being the check digit, checks.
bool verhoeff(std::string_view digits) noexcept;

// ISO 7064 MOD 11,10: true when the last digit of s is the check digit of the
// others.
bool iso7064_mod11_10(std::string_view digits) noexcept;

// A proleptic Gregorian date: month 1-12, day within the month.
constexpr bool is_date(int year, int month, int day) noexcept {
    if (month < 1 || month > 12 || day < 1) return false;
    constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int last = month == 2 && leap ? 29 : days[month - 1];
    return day <= last;
}

}  // namespace dlpd::validators::text

#endif
