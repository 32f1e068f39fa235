// Plain text in the encodings people produce, to UTF-8: UTF-8 with or
// without a byte-order mark, UTF-16 LE/BE (with a BOM, or as libmagic says),
// and Latin-1 / Windows-1252 (the fallback for anything that is not UTF-8).
#ifndef DLPD_FILETYPE_TEXT_DECODING_HPP
#define DLPD_FILETYPE_TEXT_DECODING_HPP

#include <string_view>

#include "text_builder.hpp"

namespace dlpd::filetype {

enum class Encoding {
    utf8,      // valid UTF-8, no BOM: usable as it is
    utf8_bom,  // valid UTF-8 after a BOM
    utf16le,
    utf16be,
    windows1252,  // also Latin-1: the C1 range 0x80-0x9F is read as Windows-1252
};

const char *encoding_name(Encoding e);

// A BOM decides; then libmagic's charset ("utf-16le", "utf-16be") for
// UTF-16 without one; then valid UTF-8; anything else is Windows-1252.
Encoding detect_encoding(std::string_view data, std::string_view magic_charset);

bool is_valid_utf8(std::string_view data);

// Appends data, in the given encoding, to out as UTF-8 (a BOM is dropped).
// The output is always valid UTF-8: malformed UTF-16 becomes U+FFFD, and
// bytes that break UTF-8 are read as Windows-1252.
void decode_to_utf8(std::string_view data, Encoding encoding, TextBuilder &out);

// Appends one Windows-1252 byte as UTF-8 (used by RTF and e-mail as well).
void windows1252_byte(unsigned char byte, TextBuilder &out);

}  // namespace dlpd::filetype

#endif
