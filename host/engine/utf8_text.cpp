#include "json_text.hpp"

namespace dlpd {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t utf8_length(std::string_view s, size_t i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    const unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xE0 && c1 < 0xA0) return 0;                  // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;                 // surrogates
    if (c == 0xF0 && c1 < 0x90) return 0;                  // overlong
    if (c == 0xF4 && c1 >= 0x90) return 0;                 // above U+10FFFF
    return n;
}

}  // namespace

void append_json_string(std::string &out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    for (size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '"': out += "\\\""; continue;
        case '\\': out += "\\\\"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7f) {
            out += "\\u00";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        } else if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if (size_t n = utf8_length(s, i); n > 0) {
            out.append(s.substr(i, n));
            i += n - 1;
        } else {
            out += "\\ufffd";
        }
    }
    out.push_back('"');
}

}  // namespace dlpd
