// The Luhn check itself, kept apart from the plugin glue so tests and the
// benchmark can call it directly.
#ifndef DLPD_PLUGINS_LUHN_CHECK_HPP
#define DLPD_PLUGINS_LUHN_CHECK_HPP

#include <cstddef>
#include <string_view>

namespace dlpd::luhn {

inline constexpr std::size_t kMinDigits = 12;
inline constexpr std::size_t kMaxDigits = 19;

// True when candidate, ignoring spaces and dashes, is 12 to 19 digits whose
// Luhn checksum is 0. Any other character rejects it.
inline bool is_valid_card_number(std::string_view candidate) noexcept {
    int digits[kMaxDigits];
    std::size_t count = 0;
    for (char c : candidate) {
        if (c == ' ' || c == '-') continue;
        if (c < '0' || c > '9') return false;
        if (count == kMaxDigits) return false;
        digits[count++] = c - '0';
    }
    if (count < kMinDigits) return false;
    int sum = 0;
    bool twice = false;
    for (std::size_t i = count; i-- > 0;) {
        int d = digits[i];
        if (twice) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

}  // namespace dlpd::luhn

#endif
