// Plain text in the encodings people produce, to UTF-8. Detection: a BOM
// (UTF-8, UTF-16, UTF-32); the NUL pattern of mostly-ASCII UTF-16/UTF-32
// without one; valid UTF-8; EBCDIC by its byte distribution (uchardet does not
// know EBCDIC); else uchardet's guess among the legacy code pages (Windows-125x,
// ISO-8859-x, KOI8-R, Shift_JIS, EUC-JP, GB18030, Big5, EUC-KR, ...), with
// Windows-1252 when it has none. Conversion is ICU's (ucnv).
#ifndef DLPD_FILETYPE_TEXT_DECODING_HPP
#define DLPD_FILETYPE_TEXT_DECODING_HPP

#include <string>
#include <string_view>

#include "text_builder.hpp"

namespace dlpd::filetype {

enum class Encoding {
    utf8,      // valid UTF-8, no BOM: usable as it is
    utf8_bom,  // valid UTF-8 after a BOM
    utf16le,
    utf16be,
    utf32le,
    utf32be,
    ebcdic,       // IBM037 (EBCDIC US/Canada; 500 and 1047 differ from it in a few punctuation marks only)
    windows1252,  // also Latin-1: the C1 range 0x80-0x9F is read as Windows-1252
    legacy,       // another code page: the one detect_charset names for the data
};

const char *encoding_name(Encoding e);

// The ICU converter name for data: "UTF-8" (valid UTF-8 without a BOM),
// "UTF-8 with BOM", "UTF-16LE", "UTF-32BE", "IBM037", "windows-1251",
// "Shift_JIS", ... magic_charset is libmagic's word ("utf-16le", "ebcdic"),
// used when the bytes alone do not tell.
std::string detect_charset(std::string_view data, std::string_view magic_charset);

// The same as an Encoding (legacy for the code pages it has no value for).
Encoding detect_encoding(std::string_view data, std::string_view magic_charset);

// Whether bytes libmagic calls binary are text all the same: UTF-16/UTF-32
// without a BOM, EBCDIC, or text with stray NUL bytes (padding). Random data
// and images are not: after dropping NULs, text has almost no control bytes.
// Returns the charset (as detect_charset names it), or "" for binary.
std::string sniff_text_charset(std::string_view data);

bool is_valid_utf8(std::string_view data);

// Appends data, in the given encoding, to out as UTF-8 (a BOM is dropped).
// The output is always valid UTF-8: malformed input becomes U+FFFD, except
// that bytes breaking otherwise valid UTF-8 are read as Windows-1252. NUL
// characters are dropped.
void decode_to_utf8(std::string_view data, Encoding encoding, TextBuilder &out);

// The same for a charset by name (an ICU converter name or alias, or what
// detect_charset returns). Returns false, appending nothing, for a name ICU
// does not know.
bool convert_to_utf8(std::string_view data, std::string_view charset, TextBuilder &out);

// Appends one Windows-1252 byte as UTF-8 (e-mail uses it as well).
void windows1252_byte(unsigned char byte, TextBuilder &out);

}  // namespace dlpd::filetype

#endif
