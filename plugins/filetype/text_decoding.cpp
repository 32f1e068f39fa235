#include "text_decoding.hpp"

#include <cstdint>
#include <cstring>

namespace dlpd::filetype {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

// Windows-1252's 0x80-0x9F; the five bytes it leaves undefined keep their
// Latin-1 (C1 control) meaning.
constexpr uint16_t kWindows1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

void decode_utf16(std::string_view data, bool big_endian, TextBuilder &out) {
    auto unit = [&](size_t i) -> uint32_t {
        const auto a = static_cast<unsigned char>(data[i]);
        const auto b = static_cast<unsigned char>(data[i + 1]);
        return big_endian ? (uint32_t{a} << 8 | b) : (uint32_t{b} << 8 | a);
    };
    size_t i = 0;
    for (; i + 1 < data.size() && !out.full(); i += 2) {
        uint32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < data.size()) {
            const uint32_t low = unit(i + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                out.code_point(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
                i += 2;
                continue;
            }
        }
        out.code_point(u);  // a lone surrogate becomes U+FFFD
    }
    if (i < data.size() && !out.full()) out.code_point(0xFFFD);  // odd trailing byte
}

// UTF-8 that may not be: valid sequences are copied, each byte of an
// invalid one is read as Windows-1252 (text that mixes the two is common).
void decode_utf8_lenient(std::string_view data, TextBuilder &out) {
    if (is_valid_utf8(data)) {
        out.append(data);
        return;
    }
    size_t i = 0;
    while (i < data.size() && !out.full()) {
        // The longest valid prefix from i, copied in one go.
        size_t j = i;
        while (j < data.size()) {
            const auto c = static_cast<unsigned char>(data[j]);
            const size_t n = c < 0x80             ? 1
                             : (c & 0xE0) == 0xC0 ? 2
                             : (c & 0xF0) == 0xE0 ? 3
                             : (c & 0xF8) == 0xF0 ? 4
                                                  : 0;
            if (n == 0 || j + n > data.size() || !is_valid_utf8(data.substr(j, n))) break;
            j += n;
        }
        out.append(data.substr(i, j - i));
        if (j < data.size()) windows1252_byte(static_cast<unsigned char>(data[j++]), out);
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
        case Encoding::windows1252:
            return "Windows-1252";
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

Encoding detect_encoding(std::string_view data, std::string_view magic_charset) {
    if (starts_with(data, kUtf8Bom)) return Encoding::utf8_bom;
    if (starts_with(data, kUtf16LeBom)) return Encoding::utf16le;
    if (starts_with(data, kUtf16BeBom)) return Encoding::utf16be;
    if (magic_charset == "utf-16le") return Encoding::utf16le;
    if (magic_charset == "utf-16be") return Encoding::utf16be;
    if (is_valid_utf8(data)) return Encoding::utf8;
    return Encoding::windows1252;
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

void decode_to_utf8(std::string_view data, Encoding encoding, TextBuilder &out) {
    switch (encoding) {
        case Encoding::utf8:
            decode_utf8_lenient(data, out);
            return;
        case Encoding::utf8_bom:
            decode_utf8_lenient(starts_with(data, kUtf8Bom) ? data.substr(kUtf8Bom.size()) : data, out);
            return;
        case Encoding::utf16le:
            decode_utf16(starts_with(data, kUtf16LeBom) ? data.substr(2) : data, false, out);
            return;
        case Encoding::utf16be:
            decode_utf16(starts_with(data, kUtf16BeBom) ? data.substr(2) : data, true, out);
            return;
        case Encoding::windows1252:
            for (size_t i = 0; i < data.size() && !out.full(); ++i) {
                const auto c = static_cast<unsigned char>(data[i]);
                if (c < 0x80) {
                    // Copy the ASCII run in one go.
                    size_t j = i;
                    while (j < data.size() && static_cast<unsigned char>(data[j]) < 0x80) ++j;
                    out.append(data.substr(i, j - i));
                    i = j - 1;
                } else {
                    windows1252_byte(c, out);
                }
            }
            return;
    }
}

}  // namespace dlpd::filetype
