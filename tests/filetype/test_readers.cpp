// The readers one by one, on the cases a corpus does not pin down: encodings
// at their edges, HTML and RTF oddities, MIME decoding, zip and tar
// variants, and what libmagic is asked to decide.
#include <catch2/catch.hpp>

#include "containers.hpp"
#include "dispatch.hpp"
#include "document_writer.hpp"
#include "email_text.hpp"
#include "filetype_support.hpp"
#include "html_text.hpp"
#include "office_package.hpp"
#include "rtf_text.hpp"
#include "text_decoding.hpp"
#include "type_detection.hpp"
#include "archive_reader.hpp"

using namespace dlpd::filetype;
namespace docs = dlpd::test::docs;
using dlpd::test::filetype::Collected;
using dlpd::test::filetype::extract;

namespace {

std::string decode(const std::string &data, std::string_view charset = {}) {
    TextBuilder out(1 << 20);
    decode_to_utf8(data, detect_encoding(data, charset), out);
    return out.take();
}

std::string html(const std::string &h) {
    TextBuilder out(1 << 20);
    html_to_text(h, out);
    return out.take();
}

std::string rtf(const std::string &r) {
    TextBuilder out(1 << 20);
    rtf_to_text(r, out);
    return out.take();
}


}  // namespace

TEST_CASE("text in UTF-8, UTF-16 and Windows-1252 comes out as UTF-8", "[readers][text]") {
    CHECK(detect_encoding("plain", "us-ascii") == Encoding::utf8);
    CHECK(detect_encoding("\xEF\xBB\xBFx", "utf-8") == Encoding::utf8_bom);
    CHECK(decode("\xEF\xBB\xBF"
                 "caf\xC3\xA9") == "caf\xC3\xA9");
    // A BOM decides; a surrogate pair becomes one 4-byte character.
    CHECK(decode(docs::utf16("a\xF0\x9F\x98\x80z", false)) == "a\xF0\x9F\x98\x80z");
    CHECK(decode(docs::utf16("\xE2\x82\xAC 5", true)) == "\xE2\x82\xAC 5");
    // Without a BOM, libmagic's charset says which UTF-16.
    CHECK(decode(docs::utf16("hi", true, false), "utf-16be") == "hi");
    // A lone surrogate and an odd trailing byte become U+FFFD.
    CHECK(decode(std::string("\xFF\xFE\x00\xD8"
                             "a\x00"
                             "b",
                             7)) ==
          "\xEF\xBF\xBD"
          "a\xEF\xBF\xBD");
    // Not UTF-8: Windows-1252, with its C1 range.
    CHECK(decode("\x80 caf\xE9 \x93q\x94") == "\xE2\x82\xAC caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D");
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
    CHECK_FALSE(is_valid_utf8("abc\xE2\x82"));       // cut short
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
    CHECK(is_valid_utf8("ascii only, longer than eight bytes \xF0\x9F\x98\x80 ok"));
}

TEST_CASE("a capped text builder never cuts a character in two", "[readers][text]") {
    TextBuilder out(4);
    out.append("ab\xC3\xA9\xC3\xA9");
    CHECK(out.str() == "ab\xC3\xA9");
    CHECK(out.full());
}

TEST_CASE("HTML: visible text only, references decoded, inline tags joined", "[readers][html]") {
    CHECK(html("<p>4111 <b>11</b><span>11</span>11 1111</p>") == "4111 111111 1111\n");
    CHECK(html("<P>A &amp; B &lt;x&gt; &#8364;&#x20AC; &euro; &nbsp;C&zwj;D &unknown; &#128;</P>") ==
          "A & B <x> \xE2\x82\xAC\xE2\x82\xAC \xE2\x82\xAC  CD &unknown; \xE2\x82\xAC\n");
    CHECK(html("x<SCRIPT type=\"a\">var s = '<p>no</p>';</ScRiPt>y<style>p{}</style>z<!-- hidden -->w") == "xyzw");
    CHECK(html("<a href=\"x>y\" title='>'>link</a>") == "> link");  // the title attribute is read too
    CHECK(html("<table><tr><th>a</th><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>") == "a\tb\nc\td\n");
    CHECK(html("<pre>  two  spaces\n  kept</pre><p>  many    spaces  </p>") == "  two  spaces\n  kept\nmany spaces\n");
    CHECK(html("<title>T &amp; <b>x</b></title>body") == "T & <b>x</b>\nbody");
    CHECK(html("a < b and 1<2 <3") == "a < b and 1<2 <3");
    // Broken markup ends quietly.
    CHECK(html("text <!-- never closed") == "text");
    CHECK(html("text <div class=\"never closed") == "text");
    CHECK(html("<script>never closed") == "");
}

TEST_CASE("RTF: text without control words, destinations and fallbacks", "[readers][rtf]") {
    CHECK(rtf("{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Hello {\\b bold}\\par World}") == "Hello bold\nWorld");
    CHECK(rtf("{\\rtf1 a{\\*\\unknown hidden}b{\\pict 89504e47}c}") == "abc");
    CHECK(rtf("{\\rtf1 \\uc1\\u8364?\\u-4064?x \\'e9\\'80}") == "\xE2\x82\xAC\xEF\x80\xA0x \xC3\xA9\xE2\x82\xAC");
    CHECK(rtf("{\\rtf1 a\\bin4 {}\\}b}") == "ab");
    CHECK(rtf("{\\rtf1 a\\tab b\\cell c\\row d\\~e\\-f\\_g}") == "a\tb\tc\nd ef-g");
    CHECK(rtf("{\\rtf1 \\{literal\\} \\\\ }") == "{literal} \\ ");
    // Deep nesting and stray closers do not break it.
    CHECK(rtf(std::string(5000, '{') + "deep" + std::string(6000, '}') + "after") == "deepafter");
}

TEST_CASE("e-mail: subject, nested messages and attachments", "[readers][email]") {
    const std::string inner = "Subject: inner\r\nContent-Type: text/plain\r\n\r\ninner body\r\n";
    const std::string mail =
        "From: Ann <ann@example.com>\r\nTo: bob@example.com\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
        "Subject: =?ISO-8859-1?B?Y2Fm6Q==?= =?utf-8?q?_and_more?=\r\n"
        "Content-Type: multipart/mixed;\r\n boundary=\"b1\"\r\n\r\n"
        "--b1\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n<p>caf\xE9 &amp; co</p>\r\n"
        "--b1\r\nContent-Type: message/rfc822\r\n\r\n" +
        inner +
        "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n"
        "--b1--\r\n";
    Collected out = extract(mail, "m.eml");
    CHECK_THAT(out.all_text(), Catch::Contains("Subject: caf\xC3\xA9 and more") &&
                                   Catch::Contains("caf\xC3\xA9 & co") && Catch::Contains("From: Ann"));
    // The attached message is a nested blob of its own, read by the host.
    REQUIRE(out.blobs.size() == 2);
    CHECK(out.blobs[0].first == "message-1.eml");
    CHECK_THAT(out.blobs[0].second, Catch::Contains("Subject: inner") && Catch::Contains("inner body"));
    CHECK(out.blobs[1].first == "attachment-2");
    CHECK(out.blobs[1].second == std::string("\0\1\2", 3));
}

TEST_CASE("zip: self-extractor prefix, comments, names that are not UTF-8, directories", "[readers][zip]") {
    const std::string zip = docs::raw_zip({docs::stored_member("caf\xE9.txt", "one"), docs::deflated_member("d/", ""),
                                           docs::deflated_member("d/two.txt", "two")});
    std::string sfx = "MZ self-extractor stub\n" + zip;
    // An archive comment after the end record.
    sfx[sfx.size() - 2] = 5;
    sfx += "hello";
    MemoryArchive archive(sfx, MemoryArchive::Kind::zip);
    REQUIRE(archive.open_error().empty());
    std::vector<ZipMember> members;
    ZipMember m;
    while (members.size() < 2 && archive.next(m)) members.push_back(m);
    REQUIRE(members.size() == 2);
    CHECK(members[0].name == "caf\xC3\xA9.txt");
    CHECK(members[1].is_directory());
    REQUIRE(archive.next(m));
    ReadLimits limits;
    limits.max_output = 1 << 20;
    const MemberData two = archive.read(limits);
    CHECK(two.status == MemberStatus::ok);
    CHECK(two.data() == "two");
    CHECK(zip_declared_members(sfx) == 3);
}

TEST_CASE("zip: headers that lie are caught", "[readers][zip]") {
    std::string zip = docs::raw_zip({docs::stored_member("a.txt", "hello")});
    // The directory claims more members than it holds: the one it has is read.
    std::string more = zip;
    more[more.size() - 12] = 9;
    more[more.size() - 14] = 9;
    const Collected more_out = extract(more, "more.zip");
    REQUIRE(more_out.blobs.size() == 1);
    CHECK(more_out.blobs[0].first == "a.txt");
    // A local header offset pointing nowhere: reported, not read.
    std::string moved = zip;
    const size_t cd = moved.find("PK\x01\x02");
    moved[cd + 42] = 0x7f;
    const Collected moved_out = extract(moved, "moved.zip");
    CHECK(moved_out.blobs.empty());
    CHECK_THAT(moved_out.all_diagnostics(), Catch::Contains(std::to_string(DLPD_ERR_CORRUPT_INPUT)));
    // A central directory bigger than the file.
    std::string huge = zip;
    huge[huge.size() - 9] = 0x7f;
    const Collected huge_out = extract(huge, "huge.zip");
    CHECK_THAT(huge_out.all_diagnostics(), Catch::Contains(std::to_string(DLPD_ERR_CORRUPT_INPUT)));
}

namespace {

// Rewrites one field of the tar header at `at` and fixes its checksum.
void patch_tar_header(std::string &tar, size_t at, size_t field, std::string_view value) {
    std::copy(value.begin(), value.end(), tar.begin() + static_cast<std::ptrdiff_t>(at + field));
    std::fill_n(tar.begin() + static_cast<std::ptrdiff_t>(at + 148), 8, ' ');
    unsigned sum = 0;
    for (size_t i = 0; i < 512; ++i) sum += static_cast<unsigned char>(tar[at + i]);
    char chk[8];
    std::snprintf(chk, sizeof chk, "%06o", sum);
    std::copy_n(chk, 7, tar.begin() + static_cast<std::ptrdiff_t>(at + 148));
}

}  // namespace

TEST_CASE("tar: ustar prefixes, GNU long names and pax paths", "[readers][tar]") {
    std::string ustar = docs::tar({{"file.txt", "one"}});
    patch_tar_header(ustar, 0, 345, "dir/sub");
    Collected prefixed = extract(ustar, "p.tar");
    REQUIRE(prefixed.blobs.size() == 1);
    CHECK(prefixed.blobs[0].first == "dir/sub/file.txt");

    const std::string long_name = std::string(150, 'n') + ".txt";
    std::string gnu = docs::tar({{"././@LongLink", long_name}, {"short", "two"}});
    patch_tar_header(gnu, 0, 156, "L");
    Collected gnu_out = extract(gnu, "g.tar");
    REQUIRE(gnu_out.blobs.size() == 1);
    CHECK(gnu_out.blobs[0].first == long_name);
    CHECK(gnu_out.blobs[0].second == "two");

    const std::string pax_record = "25 path=dir/from-pax.txt\n";
    std::string pax = docs::tar({{"PaxHeaders/x", pax_record}, {"short", "three"}});
    patch_tar_header(pax, 0, 156, "x");
    Collected pax_out = extract(pax, "x.tar");
    REQUIRE(pax_out.blobs.size() == 1);
    CHECK(pax_out.blobs[0].first == "dir/from-pax.txt");

    // pax records whose lengths lie are ignored, not trusted.
    for (const std::string bad : {"1 path=evil\n", "99 path=evil\n", "x path=evil\n", "3 pa"}) {
        std::string lying = docs::tar({{"PaxHeaders/x", bad}, {"short", "four"}});
        patch_tar_header(lying, 0, 156, "x");
        Collected out = extract(lying, "l.tar");
        REQUIRE(out.blobs.size() == 1);
        CHECK(out.blobs[0].first == "short");
    }

    std::string damaged = docs::tar({{"a.txt", "one"}, {"b.txt", "two"}});
    damaged[512 + 512 + 3] = 'X';  // the second header's name, now out of step with its checksum
    Collected damaged_out = extract(damaged, "d.tar");
    CHECK(damaged_out.blobs.size() == 1);
    CHECK_THAT(damaged_out.all_diagnostics(), Catch::Contains("archive: damaged after 1 members"));
}

TEST_CASE("parts are read in natural order", "[readers][office]") {
    CHECK(natural_less("sheet2.xml", "sheet10.xml"));
    CHECK_FALSE(natural_less("sheet10.xml", "sheet2.xml"));
    CHECK(natural_less("slide1.xml", "slide01b.xml"));
    CHECK(natural_less("a", "b"));
    CHECK_FALSE(natural_less("same", "same"));
}

TEST_CASE("libmagic decides the reader from content, whatever the name", "[readers][types]") {
    MagicPool magic;
    CHECK(magic.detect(docs::pdf({{{"x", 72, 720}}})).format == Format::pdf);
    CHECK(magic.detect(docs::docx({})).format == Format::zip);
    CHECK(magic.detect(docs::odt({{"x"}})).format == Format::zip);
    CHECK(magic.detect(docs::gzip("x")).format == Format::gzip);
    CHECK(magic.detect(docs::tar({{"a", "b"}})).format == Format::tar);
    CHECK(magic.detect("<!DOCTYPE html><html><body>x</body></html>").format == Format::html);
    CHECK(magic.detect("{\\rtf1\\ansi x}").format == Format::rtf);
    CHECK(magic.detect(docs::utf16("hello there", false)).format == Format::text);
    CHECK(magic.detect("").format == Format::empty);
    CHECK(magic
              .detect(std::string("\x7f"
                                  "ELF\x02\x01\x01",
                                  7) +
                      std::string(200, '\0'))
              .format == Format::binary);
    CHECK(format_for("application/encrypted", "binary") == Format::encrypted);
    CHECK(format_for("application/json", "us-ascii") == Format::text);
}

TEST_CASE("plain UTF-8 text is left to the host, and everything else is handled", "[readers][types]") {
    Collected out;
    MagicPool magic;
    Limits limits;
    Extraction x(
        limits, out, [] { return uint64_t{1}; }, 0, 0, "a.txt");
    CHECK(extract_blob(x, magic, "plain text, nothing else\n", {}) == DLPD_ERR_UNSUPPORTED);
    CHECK(out.texts.empty());
    CHECK(extract_blob(x, magic,
                       "\xEF\xBB\xBF"
                       "with a BOM\n",
                       {}) == DLPD_OK);
    REQUIRE(out.texts.size() == 1);
    CHECK(out.texts[0].second == "with a BOM\n");
}
