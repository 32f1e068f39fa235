#include "text_decoding.hpp"

#include <unicode/ucnv.h>
#include <uchardet/uchardet.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

namespace dlpd::filetype {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";
constexpr std::string_view kUtf32LeBom{"\xFF\xFE\x00\x00", 4};
constexpr std::string_view kUtf32BeBom{"\x00\x00\xFE\xFF", 4};

// How much of a blob the detectors look at: enough to tell, cheap on large
// files.
constexpr size_t kSampleBytes = 64 * 1024;

// Windows-1252's 0x80-0x9F; the five bytes it leaves undefined keep their
// Latin-1 (C1 control) meaning. Kept for single bytes (e-mail headers),
// where opening a converter per byte would be waste.
constexpr uint16_t kWindows1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool is_text_ascii(unsigned char c) {
    return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// UTF-16/UTF-32 without a BOM, told by where the NULs of mostly-ASCII text
// fall: "a\0b\0" is UTF-16LE, "\0a\0b" UTF-16BE, "a\0\0\0" UTF-32LE.
// Text in other scripts has no such pattern; uchardet rarely tells those
// either, and a BOM is then the norm.
std::string nul_pattern_charset(std::string_view data) {
    const std::string_view s = data.substr(0, kSampleBytes & ~size_t{3});
    if (s.size() < 8) return {};
    auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    const size_t units32 = s.size() / 4;
    size_t le32 = 0, be32 = 0;
    for (size_t u = 0; u < units32; ++u) {
        const size_t i = u * 4;
        if (byte(i + 1) == 0 && byte(i + 2) == 0 && byte(i + 3) == 0 && is_text_ascii(byte(i))) ++le32;
        if (byte(i) == 0 && byte(i + 1) == 0 && byte(i + 2) == 0 && is_text_ascii(byte(i + 3))) ++be32;
    }
    // Nine in ten units: a few characters outside ASCII are fine.
    if (le32 * 10 >= units32 * 9) return "UTF-32LE";
    if (be32 * 10 >= units32 * 9) return "UTF-32BE";
    const size_t units16 = s.size() / 2;
    size_t le16 = 0, be16 = 0;
    for (size_t u = 0; u < units16; ++u) {
        const size_t i = u * 2;
        if (byte(i + 1) == 0 && is_text_ascii(byte(i))) ++le16;
        if (byte(i) == 0 && is_text_ascii(byte(i + 1))) ++be16;
    }
    // UTF-16 of Latin text outside ASCII still has many ASCII units.
    if (le16 * 10 >= units16 * 7 && be16 * 10 < units16) return "UTF-16LE";
    if (be16 * 10 >= units16 * 7 && le16 * 10 < units16) return "UTF-16BE";
    return {};
}

// EBCDIC text: no byte below 0x40 but its four line controls (HT 05, CR 0D,
// NL 15, LF 25), spaces (0x40) common, and most bytes letters or digits of
// the EBCDIC ranges. ASCII text fails at once (its 0x20 and 0x0A), and so do
// random data and images (their bytes below 0x40).
bool looks_like_ebcdic(std::string_view data) {
    const std::string_view s = data.substr(0, kSampleBytes);
    if (s.size() < 16) return false;
    size_t spaces = 0, alnum = 0;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x40 && c != 0x05 && c != 0x0D && c != 0x15 && c != 0x25) return false;
        if (c == 0x40) ++spaces;
        const unsigned lo = c & 0x0F;
        const unsigned hi = c >> 4;
        if (((hi == 0x8 || hi == 0x9 || hi == 0xC || hi == 0xD) && lo >= 1 && lo <= 9) ||
            ((hi == 0xA || hi == 0xE) && lo >= 2 && lo <= 9) || (hi == 0xF && lo <= 9))
            ++alnum;
    }
    return spaces * 20 >= s.size() && (alnum + spaces) * 10 >= s.size() * 7;
}

// Control bytes other than whitespace (and NUL, which the caller allows):
// text has next to none, binary data about one byte in eight.
bool few_controls(std::string_view s) {
    size_t controls = 0, seen = 0;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == 0) continue;
        ++seen;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B) || c == 0x7F) ++controls;
    }
    return seen >= 16 && controls * 100 <= seen;
}

// uchardet's guess, as an ICU name. ISO-8859-1 and ASCII read as
// Windows-1252, its superset (as browsers do).
std::string uchardet_charset(std::string_view data) {
    std::unique_ptr<std::remove_pointer_t<uchardet_t>, void (*)(uchardet_t)> u(uchardet_new(), uchardet_delete);
    if (!u) return "windows-1252";
    const std::string_view s = data.substr(0, kSampleBytes);
    if (uchardet_handle_data(u.get(), s.data(), s.size()) != 0) return "windows-1252";
    uchardet_data_end(u.get());
    std::string name = uchardet_get_charset(u.get());
    if (name.empty() || name == "ASCII" || name == "ISO-8859-1" || name == "UTF-8") return "windows-1252";
    // uchardet's "UTF-16"/"UTF-32" would be ones without a BOM we did not
    // confirm: not trusted.
    if (name.rfind("UTF-", 0) == 0) return "windows-1252";
    UErrorCode status = U_ZERO_ERROR;
    UConverter *c = ucnv_open(name.c_str(), &status);
    if (U_FAILURE(status) || c == nullptr) return "windows-1252";
    ucnv_close(c);
    return name;
}

void emit_utf16(const UChar *p, const UChar *end, TextBuilder &out) {
    for (; p < end && !out.full(); ++p) {
        uint32_t u = *p;
        if (u >= 0xD800 && u <= 0xDBFF && p + 1 < end && p[1] >= 0xDC00 && p[1] <= 0xDFFF) {
            out.code_point(0x10000 + ((u - 0xD800) << 10) + (p[1] - 0xDC00u));
            ++p;
            continue;
        }
        if (u == 0) continue;
        if (u < 0x80) {
            out.push(static_cast<char>(u));
            continue;
        }
        out.code_point(u);  // a lone surrogate becomes U+FFFD
    }
}

// ICU's conversion, in chunks, stopping once out is full.
bool icu_convert(std::string_view data, const char *name, TextBuilder &out) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, void (*)(UConverter *)> conv(ucnv_open(name, &status), ucnv_close);
    if (U_FAILURE(status) || !conv) return false;
    std::array<UChar, 8192> buffer;
    const char *src = data.data();
    const char *const src_end = src + data.size();
    bool flushed = false;
    while (!flushed && !out.full()) {
        UChar *target = buffer.data();
        status = U_ZERO_ERROR;
        const bool flush = true;
        ucnv_toUnicode(conv.get(), &target, buffer.data() + buffer.size(), &src, src_end, nullptr, flush, &status);
        emit_utf16(buffer.data(), target, out);
        if (status == U_BUFFER_OVERFLOW_ERROR) continue;
        flushed = true;  // all input consumed (errors are substituted by ICU)
    }
    // A pair split across chunks is held by ICU until the next call, so the
    // only surrogates that reach emit_utf16 alone are malformed ones.
    return true;
}

// UTF-8 that may not be: valid sequences are copied, each byte of an
// invalid one is read as Windows-1252 (text that mixes the two is common;
// ICU's UTF-8 converter would make them all U+FFFD).
void decode_utf8_lenient(std::string_view data, TextBuilder &out) {
    if (data.find('\0') == std::string_view::npos && is_valid_utf8(data)) {
        out.append(data);
        return;
    }
    size_t i = 0;
    while (i < data.size() && !out.full()) {
        // The longest valid prefix from i without NUL, copied in one go.
        size_t j = i;
        while (j < data.size()) {
            const auto c = static_cast<unsigned char>(data[j]);
            const size_t n = c == 0               ? 0
                             : c < 0x80           ? 1
                             : (c & 0xE0) == 0xC0 ? 2
                             : (c & 0xF0) == 0xE0 ? 3
                             : (c & 0xF8) == 0xF0 ? 4
                                                  : 0;
            if (n == 0 || j + n > data.size() || !is_valid_utf8(data.substr(j, n))) break;
            j += n;
        }
        out.append(data.substr(i, j - i));
        if (j < data.size()) {
            const auto c = static_cast<unsigned char>(data[j++]);
            if (c != 0) windows1252_byte(c, out);
        }
        i = j;
    }
}

}  // namespace

const char *encoding_name(Encoding e) {
    switch (e) {
        case Encoding::utf8:
            return "UTF-8";
        case Encoding::utf8_bom:
            return "UTF-8 with BOM";
        case Encoding::utf16le:
            return "UTF-16LE";
        case Encoding::utf16be:
            return "UTF-16BE";
        case Encoding::utf32le:
            return "UTF-32LE";
        case Encoding::utf32be:
            return "UTF-32BE";
        case Encoding::ebcdic:
            return "IBM037";
        case Encoding::windows1252:
            return "windows-1252";
        case Encoding::legacy:
            return "legacy code page";
    }
    return "?";
}

bool is_valid_utf8(std::string_view data) {
    const auto *p = reinterpret_cast<const unsigned char *>(data.data());
    const auto *end = p + data.size();
    while (p < end) {
        // ASCII runs, eight bytes at a time.
        while (end - p >= 8) {
            uint64_t word;
            std::memcpy(&word, p, 8);
            if (word & 0x8080808080808080ull) break;
            p += 8;
        }
        if (p >= end) break;
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        size_t n;
        uint32_t min;
        uint32_t cp;
        if ((c & 0xE0) == 0xC0) {
            n = 1, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, min = 0x10000, cp = c & 0x07;
        } else {
            return false;
        }
        if (static_cast<size_t>(end - p) <= n) return false;
        for (size_t k = 1; k <= n; ++k) {
            if ((p[k] & 0xC0) != 0x80) return false;
            cp = cp << 6 | (p[k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        p += n + 1;
    }
    return true;
}

std::string detect_charset(std::string_view data, std::string_view magic_charset) {
    // UTF-32LE's BOM starts with UTF-16LE's: it goes first.
    if (starts_with(data, kUtf32LeBom)) return "UTF-32LE";
    if (starts_with(data, kUtf32BeBom)) return "UTF-32BE";
    if (starts_with(data, kUtf8Bom)) return "UTF-8 with BOM";
    if (starts_with(data, kUtf16LeBom)) return "UTF-16LE";
    if (starts_with(data, kUtf16BeBom)) return "UTF-16BE";
    if (magic_charset == "utf-16le") return "UTF-16LE";
    if (magic_charset == "utf-16be") return "UTF-16BE";
    if (std::string nul = nul_pattern_charset(data); !nul.empty()) return nul;
    if (is_valid_utf8(data)) return "UTF-8";
    if (magic_charset == "ebcdic" || looks_like_ebcdic(data)) return "IBM037";
    return uchardet_charset(data);
}

Encoding detect_encoding(std::string_view data, std::string_view magic_charset) {
    const std::string c = detect_charset(data, magic_charset);
    if (c == "UTF-8") return Encoding::utf8;
    if (c == "UTF-8 with BOM") return Encoding::utf8_bom;
    if (c == "UTF-16LE") return Encoding::utf16le;
    if (c == "UTF-16BE") return Encoding::utf16be;
    if (c == "UTF-32LE") return Encoding::utf32le;
    if (c == "UTF-32BE") return Encoding::utf32be;
    if (c == "IBM037") return Encoding::ebcdic;
    if (c == "windows-1252") return Encoding::windows1252;
    return Encoding::legacy;
}

std::string sniff_text_charset(std::string_view data) {
    if (starts_with(data, kUtf32LeBom) || starts_with(data, kUtf32BeBom)) return detect_charset(data, {});
    if (std::string nul = nul_pattern_charset(data); !nul.empty()) return nul;
    if (looks_like_ebcdic(data)) return "IBM037";
    const std::string_view sample = data.substr(0, kSampleBytes);
    if (!few_controls(sample)) return {};
    // What is left must be text in some charset: valid UTF-8 once NULs are
    // gone, or mostly ASCII with bytes a code page may hold.
    std::string stripped;
    stripped.reserve(sample.size());
    for (const char c : sample)
        if (c != '\0') stripped.push_back(c);
    size_t high = 0;
    for (const char c : stripped) high += static_cast<unsigned char>(c) >= 0x80;
    // A sample cut at kSampleBytes may end inside a UTF-8 character.
    const bool utf8 = is_valid_utf8(stripped) ||
                      (stripped.size() > 4 && is_valid_utf8(std::string_view(stripped).substr(0, stripped.size() - 3)));
    if (utf8) return "UTF-8";
    if (high * 4 <= stripped.size()) return uchardet_charset(stripped);
    return {};
}

void windows1252_byte(unsigned char byte, TextBuilder &out) {
    if (byte < 0x80) {
        out.push(static_cast<char>(byte));
    } else if (byte < 0xA0) {
        out.code_point(kWindows1252High[byte - 0x80]);
    } else {
        out.code_point(byte);
    }
}

bool convert_to_utf8(std::string_view data, std::string_view charset, TextBuilder &out) {
    if (charset == "UTF-8") {
        decode_utf8_lenient(data, out);
        return true;
    }
    if (charset == "UTF-8 with BOM") {
        decode_utf8_lenient(starts_with(data, kUtf8Bom) ? data.substr(kUtf8Bom.size()) : data, out);
        return true;
    }
    // The BOM is not text; ICU's UTF-16LE/BE converters would keep it.
    if (charset == "UTF-32LE" && starts_with(data, kUtf32LeBom)) data.remove_prefix(4);
    else if (charset == "UTF-32BE" && starts_with(data, kUtf32BeBom)) data.remove_prefix(4);
    else if (charset == "UTF-16LE" && starts_with(data, kUtf16LeBom)) data.remove_prefix(2);
    else if (charset == "UTF-16BE" && starts_with(data, kUtf16BeBom)) data.remove_prefix(2);
    const std::string name(charset);
    return icu_convert(data, name.c_str(), out);
}

void decode_to_utf8(std::string_view data, Encoding encoding, TextBuilder &out) {
    if (encoding == Encoding::legacy) {
        convert_to_utf8(data, detect_charset(data, {}), out);
        return;
    }
    convert_to_utf8(data, encoding_name(encoding), out);
}

}  // namespace dlpd::filetype
