// Charsets, HTML and RTF through the whole extractor and the engine: text in
// the encodings libmagic calls binary or guesses wrong, HTML that a tag
// scanner would misread, RTF in the code pages of its fonts.
#include <catch2/catch.hpp>

#include <algorithm>

#include "filetype_support.hpp"
#include "html_text.hpp"
#include "rtf_text.hpp"
#include "text_decoding.hpp"

using namespace dlpd::filetype;
using dlpd::ScanResult;
using dlpd::test::filetype::Engine;

namespace {

constexpr const char *kCard = "4111111111111111";

bool finds_card(const Engine &e, const std::string &data, const std::string &name) {
    const ScanResult r = e.scan(data, name);
    return std::any_of(r.findings.begin(), r.findings.end(),
                       [](const auto &f) { return f.rule == "card" && f.match == kCard; });
}

std::string ascii_text() {
    return "Dear customer,\nyour card number is " + std::string(kCard) + " and it expires soon.\n";
}

// ASCII as UTF-16 or UTF-32, without a BOM.
std::string widen(const std::string &s, size_t width, bool big_endian) {
    std::string out;
    for (const char c : s) {
        std::string unit(width, '\0');
        unit[big_endian ? width - 1 : 0] = c;
        out += unit;
    }
    return out;
}

// ASCII letters, digits, space, newline, comma and period in IBM037.
std::string ibm037(const std::string &s) {
    std::string out;
    for (const char c : s) {
        if (c >= '0' && c <= '9') out.push_back(static_cast<char>(0xF0 + (c - '0')));
        else if (c >= 'a' && c <= 'i') out.push_back(static_cast<char>(0x81 + (c - 'a')));
        else if (c >= 'j' && c <= 'r') out.push_back(static_cast<char>(0x91 + (c - 'j')));
        else if (c >= 's' && c <= 'z') out.push_back(static_cast<char>(0xA2 + (c - 's')));
        else if (c >= 'A' && c <= 'I') out.push_back(static_cast<char>(0xC1 + (c - 'A')));
        else if (c >= 'J' && c <= 'R') out.push_back(static_cast<char>(0xD1 + (c - 'J')));
        else if (c >= 'S' && c <= 'Z') out.push_back(static_cast<char>(0xE2 + (c - 'S')));
        else if (c == '\n') out.push_back(static_cast<char>(0x25));
        else if (c == ',') out.push_back(static_cast<char>(0x6B));
        else if (c == '.') out.push_back(static_cast<char>(0x4B));
        else out.push_back(static_cast<char>(0x40));
    }
    return out;
}

std::string decoded(const std::string &data) {
    TextBuilder out(1 << 20);
    decode_to_utf8(data, detect_encoding(data, {}), out);
    return out.take();
}

std::string rtf(const std::string &r) {
    TextBuilder out(1 << 20);
    rtf_to_text(r, out);
    return out.take();
}

std::string html(const std::string &h) {
    TextBuilder out(1 << 20);
    html_to_text(h, out);
    return out.take();
}

}  // namespace

TEST_CASE("UTF-16 and UTF-32 without a BOM are read as text", "[charset]") {
    const Engine e;
    CHECK(detect_charset(widen(ascii_text(), 2, false), "binary") == "UTF-16LE");
    CHECK(detect_charset(widen(ascii_text(), 2, true), "binary") == "UTF-16BE");
    CHECK(finds_card(e, widen(ascii_text(), 2, false), "le.txt"));
    CHECK(finds_card(e, widen(ascii_text(), 2, true), "be.txt"));
    CHECK(finds_card(e, widen(ascii_text(), 4, false), "le32.txt"));
    CHECK(finds_card(e, widen(ascii_text(), 4, true), "be32.txt"));
    CHECK(finds_card(e, std::string("\xFF\xFE\0\0", 4) + widen(ascii_text(), 4, false), "bom32.txt"));
    CHECK(decoded(std::string("\0\0\xFE\xFF", 4) + widen("a\xC3\xA9", 4, true)).substr(0, 1) == "a");
}

TEST_CASE("EBCDIC (IBM037) text is read", "[charset]") {
    const Engine e;
    const std::string data = ibm037(ascii_text() + ascii_text());
    CHECK(detect_charset(data, "binary") == "IBM037");
    CHECK(decoded(data).find("your card number is 4111111111111111") != std::string::npos);
    CHECK(finds_card(e, data, "mainframe.txt"));
}

TEST_CASE("Windows-1251 and Shift_JIS text comes out in its own script", "[charset]") {
    std::string cyrillic;
    for (int i = 0; i < 6; ++i)
        cyrillic += "\xCD\xEE\xEC\xE5\xF0\x20\xE2\xE0\xF8\xE5\xE9\x20\xEA\xE0\xF0\xF2\xFB\x20\xF3\xEA\xE0\xE7\xE0\xED\x20"
                    "\xED\xE8\xE6\xE5\x2C\x20\xEF\xEE\xE6\xE0\xEB\xF3\xE9\xF1\xF2\xE0\x20\xEF\xF0\xEE\xE2\xE5\xF0\xFC\xF2"
                    "\xE5\x20\xE5\xE3\xEE\x2E\x20";
    cyrillic += std::string(kCard) + "\n";
    CHECK(decoded(cyrillic).find("Номер вашей карты") != std::string::npos);
    std::string japanese;
    for (int i = 0; i < 6; ++i)
        japanese += "\x82\xA8\x8B\x71\x97\x6C\x82\xCC\x83\x4A\x81\x5B\x83\x68\x94\xD4\x8D\x86\x82\xCD\x8E\x9F\x82\xCC\x82"
                    "\xC6\x82\xA8\x82\xE8\x82\xC5\x82\xB7\x81\x42\x82\xB2\x8A\x6D\x94\x46\x82\xAD\x82\xBE\x82\xB3\x82\xA2"
                    "\x81\x42\n";
    japanese += std::string(kCard) + "\n";
    CHECK(decoded(japanese).find("カード番号") != std::string::npos);
    const Engine e;
    CHECK(finds_card(e, cyrillic, "ru.txt"));
    CHECK(finds_card(e, japanese, "ja.txt"));
}

TEST_CASE("random bytes stay binary; UTF-8 is still the host's", "[charset]") {
    std::string noise;
    uint32_t x = 12345;
    for (int i = 0; i < 4096; ++i) {
        x = x * 1103515245 + 12345;
        noise.push_back(static_cast<char>(x >> 24));
    }
    CHECK(sniff_text_charset(noise).empty());
    const Engine e;
    const ScanResult r = e.scan(noise, "noise.bin");
    CHECK(r.findings.empty());
    CHECK(detect_charset("plain " + std::string(kCard), "us-ascii") == "UTF-8");
}

TEST_CASE("HTML padded with NUL bytes is read as HTML", "[html][charset]") {
    const std::string page = "<html><body><p>card " + std::string(kCard) + "</p></body></html>";
    const std::string padded = page + std::string(8192, '\0');
    const Engine e;
    CHECK(finds_card(e, padded, "page.html"));
    CHECK(finds_card(e, std::string(16, '\0') + page, "lead.html"));
}

TEST_CASE("XHTML with an XML declaration goes to the HTML reader", "[html]") {
    const std::string xhtml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
        "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>t</title></head>"
        "<body><p>4111<b>1111</b><span>1111</span>1111</p></body></html>\n";
    const Engine e;
    CHECK(finds_card(e, xhtml, "page.xhtml"));
}

TEST_CASE("deeply nested HTML is read: tags past the depth cap are blanked, the text around them stays",
          "[html][hostile]") {
    // 60,000 unclosed <div> took gumbo minutes under the sanitizers before
    // the cap (it searches its stack of open elements for every tag); the
    // test's watchdog is CTest's timeout, not a timing assertion.
    std::string deep = "<html><body>";
    for (int i = 0; i < 60000; ++i) deep += i == 30000 ? "<div>card " + std::string(kCard) + " " : "<div>";
    deep += "<p>after all of it</p>";
    const Engine e;
    CHECK(finds_card(e, deep, "deep.html"));
    const std::string text = html(deep);
    CHECK(text.find("after all of it") != std::string::npos);
    // Flat markup of any length is untouched: 50,000 table cells, unclosed as
    // old generators write them, still come out cell by cell.
    std::string table = "<table>";
    for (int i = 0; i < 50000; ++i) table += "<tr><td>r" + std::to_string(i) + "<td>x";
    CHECK(html(table + "</table>").find("r49999\tx") != std::string::npos);
}

TEST_CASE("HTML: a secret split by inline tags, attributes, meta and declared charsets", "[html]") {
    const Engine e;
    CHECK(finds_card(e, "<!doctype html><p>card 4111<b>1111</b><i>11&#8203;11</i><span>1111</span></p>", "s.html"));
    CHECK(html("<p>a<img alt=\"4111111111111111\">b</p>").find(kCard) != std::string::npos);
    CHECK(html("<input type=hidden value=\"secret-token\">").find("secret-token") != std::string::npos);
    CHECK(html("<head><meta name=\"Description\" content=\"quarterly numbers\"></head>").find("quarterly numbers") !=
          std::string::npos);
    CHECK(html("<pre>a   b</pre><p>a   b</p>") == "a   b\na b\n");
    CHECK(html_declared_charset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">") ==
          "windows-1251");
    CHECK(html_declared_charset("<meta charset='ISO-8859-1'>") == "windows-1252");
    // KOI8-R declared: "карта" in KOI8-R is CB C1 D2 D4 C1.
    const std::string koi8 = "<html><head><meta charset=\"koi8-r\"></head><body>\xCB\xC1\xD2\xD4\xC1 " +
                             std::string(kCard) + "</body></html>";
    CHECK(finds_card(e, koi8, "koi.html"));
}

TEST_CASE("RTF: \\'hh in the code page of each font's \\fcharset, and surrogate pairs", "[rtf]") {
    const std::string doc =
        "{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0\\fnil\\fcharset238 Arial CE;}{\\f1\\fnil\\fcharset128 MS Mincho;}}"
        "\\f0 \\'c8\\'ed\\'73\\'6c\\'6f \\'fa\\'e8\\'74\\'75\\par"
        "\\f1 \\'83\\'4a\\'81\\'5b\\'83\\'68\\'94\\'d4\\'8d\\'86\\par"
        "\\f0 card 4111111111111111\\par}";
    const std::string text = rtf(doc);
    CHECK(text.find("Číslo účtu") != std::string::npos);
    CHECK(text.find("カード番号") != std::string::npos);
    CHECK(rtf("{\\rtf1\\ansi\\ansicpg1251 \\'cd\\'ee\\'ec\\'e5\\'f0}") == "Номер");
    CHECK(rtf("{\\rtf1\\uc1 a\\u-10179?\\u-8704?b}") == "a\xF0\x9F\x98\x80" "b");
    CHECK(rtf("{\\rtf1\\uc2 x\\u-10179??\\u-8704??y}") == "x\xF0\x9F\x98\x80y");
    const Engine e;
    CHECK(finds_card(e, doc, "mixed.rtf"));
}
