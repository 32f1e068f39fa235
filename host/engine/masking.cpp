#include "engine/masking.hpp"

namespace dlpd {

namespace {
bool is_alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
}  // namespace

std::string mask_secret(std::string_view secret) {
    size_t significant = 0;
    for (unsigned char c : secret)
        if (is_alnum(c) || (c >= 0x80 && (c & 0xC0) != 0x80)) ++significant;
    const size_t keep = significant >= 12 ? 4 : 0;
    const size_t hide_until = significant - keep;  // index of the first kept significant char

    std::string out;
    size_t seen = 0;
    size_t chars = 0;
    for (size_t i = 0; i < secret.size() && chars < kMaxMaskedChars; ++i) {
        const unsigned char c = static_cast<unsigned char>(secret[i]);
        if (c >= 0x80) {
            if ((c & 0xC0) == 0x80) continue;  // continuation byte of a masked character
            out.push_back('*');
            ++seen;
        } else if (is_alnum(c)) {
            out.push_back(seen >= hide_until ? static_cast<char>(c) : '*');
            ++seen;
        } else if (c < 0x20 || c == 0x7f) {
            out.push_back(' ');
        } else {
            out.push_back(static_cast<char>(c));
        }
        ++chars;
    }
    if (chars == kMaxMaskedChars && out.size() < secret.size()) out += "...";
    return out;
}

}  // namespace dlpd
