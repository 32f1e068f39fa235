// How matched content is shown to people: masked, never whole, unless an
// explicit reveal was asked for by someone allowed to.
#ifndef DLPD_HOST_ENGINE_MASKING_HPP
#define DLPD_HOST_ENGINE_MASKING_HPP

#include <string>
#include <string_view>

namespace dlpd {

// Replaces every letter, digit and non-ASCII character with '*', keeping
// punctuation and spaces so the shape stays readable ("**** **** **** 1111").
// The last four letters or digits stay visible only when at least twelve
// are present, so short secrets (PINs, SSN parts) show nothing. Control
// characters become spaces; the result is at most kMaxMaskedChars long.
std::string mask_secret(std::string_view secret);

inline constexpr size_t kMaxMaskedChars = 64;

}  // namespace dlpd

#endif
