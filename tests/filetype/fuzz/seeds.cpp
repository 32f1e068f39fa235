// Writes the starting corpus of one fuzz target: small, valid documents of
// its format family made by the test document writers, plus a few broken
// ones, so the fuzzer starts from real structure instead of from nothing.
//
//   filetype_fuzz_seeds TARGET OUTDIR     (TARGET: zip_office pdf markup text archive dispatch email)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "archive_writer.hpp"
#include "document_writer.hpp"

namespace docs = dlpd::test::docs;

namespace {

using Seeds = std::vector<std::pair<std::string, std::string>>;

const std::string kCard = "4111 1111 1111 1111";

Seeds office() {
    docs::WordDocument word;
    word.body = {{"card ", "4111 11", "11 1111 1111"}, {"second"}};
    word.header = {{"header"}};
    word.table_rows = {{{"a"}, {"b"}}};
    docs::Workbook book;
    book.shared_strings = {"one", "rich|text"};
    book.sheets = {{{"s:0", "i:inline", "42"}, {"r:a|b", "s:1"}}};
    docs::Presentation deck;
    deck.slides = {{{"slide ", "text"}}};
    deck.notes = {{{"note"}}};
    Seeds s = {
        {"docx", docs::docx(word)},
        {"docx-streamed", docs::docx(word, false)},
        {"xlsx", docs::xlsx(book)},
        {"pptx", docs::pptx(deck)},
        {"odt", docs::odt(std::vector<docs::Paragraph>{{"odt ", "span"}})},
        {"ods", docs::ods({{"a", "b"}})},
        {"odp", docs::odp({{{"slide"}}})},
        {"odt-encrypted", docs::odt_encrypted()},
        {"zip", docs::poco_zip({{"dir/", ""}, {"dir/a.txt", "card " + kCard}, {"b.csv", "x,y\n1,2\n"}})},
    };
    auto locked = docs::stored_member("locked.txt", "secret");
    locked.flags = 1;
    s.push_back({"raw-zip",
                 docs::raw_zip({docs::stored_member("a.txt", "a"), docs::deflated_member("b.txt", "bbbb"), locked})});
    s.push_back({"small-bomb", docs::raw_zip({docs::zero_bomb_member("zeros", 2 << 20)})});
    return s;
}

Seeds pdfs() {
    const std::string one =
        docs::pdf({{{"card " + kCard, 72, 720}, {"second line", 72, 700}}, {{"page two", 72, 720}}});
    return {{"pdf", one},
            {"pdf-encrypted", docs::pdf_encrypted({{{"locked", 72, 720}}})},
            {"pdf-truncated", one.substr(0, one.size() / 2)}};
}

Seeds markup() {
    const auto part = [](char selector, const std::string &body) { return std::string(1, selector) + body; };
    return {
        {"html", part(0,
                      "<html><head><title>t</title><script>x</script></head><body><p>a <b>b</b> &amp; &#8364;</p>"
                      "<table><tr><td>1</td><td>2</td></tr></table><pre> x </pre></body></html>")},
        {"html-meta", part(0,
                           "<html><head><meta charset=\"windows-1251\"><meta name=description content=d></head>"
                           "<body>\xEA\xE0\xF0\xF2\xE0 <img alt=a title=t><input value=v>&#128;&shy;x</body></html>")},
        {"rtf-fcharset",
         part(1, "{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0\\fcharset238 A;}{\\f1\\fcharset128 M;}}\\f0 \\'c8"
                 "\\f1 \\'83\\'4a\\uc1\\u-10179?\\u-8704?}")},
        {"rtf",
         part(1, "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}{\\*\\gen x}\\f0 a {\\b b}\\par \\u8364? \\'e9\\bin2 xy}")},
        {"eml", part(2,
                     "From: a@b.c\r\nSubject: =?utf-8?Q?caf=C3=A9?=\r\nContent-Type: multipart/mixed; "
                     "boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: "
                     "quoted-printable\r\n\r\nhi=\r\nthere\r\n--b\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\n"
                     "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n")},
        {"document-xml", part(3,
                              "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>a</w:t></w:r><w:r><w:tab/>"
                              "<w:t xml:space=\"preserve\"> b</w:t></w:r></w:p><mc:AlternateContent><mc:Choice>"
                              "<w:t>c</w:t></mc:Choice><mc:Fallback><w:t>c</w:t></mc:Fallback></mc:AlternateContent>"
                              "</w:body></w:document>")},
        {"sheet-xml", part(4,
                           "<sst><si><t>zero</t></si><si><r><t>a</t></r><rPh><t>p</t></rPh></si></sst>"
                           "<worksheet><sheetData><row><c t=\"s\"><v>1</v></c><c t=\"inlineStr\"><is><t>i</t></is>"
                           "</c><c><v>3</v></c></row></sheetData></worksheet>")},
        {"slide-xml", part(5,
                           "<Types><Override PartName=\"/ppt/slides/slide1.xml\" ContentType=\"application/"
                           "vnd.openxmlformats-officedocument.presentationml.slide+xml\"/></Types>")},
        {"odf-xml", part(6,
                         "<office:document-content><office:body><office:text><text:p>a<text:s text:c=\"3\"/>"
                         "<text:span>b</text:span><text:note><text:note-citation>1</text:note-citation><text:note-body>"
                         "<text:p>n</text:p></text:note-body></text:note></text:p><table:table><table:table-row>"
                         "<table:table-cell><text:p>c</text:p></table:table-cell></table:table-row></table:table>"
                         "</office:text></office:body></office:document-content>")},
    };
}

Seeds texts() {
    return {{"utf16le", docs::utf16("caf\xC3\xA9 \xF0\x9F\x98\x80 " + kCard, false)},
            {"utf16be", docs::utf16("na\xC3\xAFve", true)},
            {"cp1252", docs::windows1252("\xE2\x82\xAC caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D")},
            {"utf8-bom",
             "\xEF\xBB\xBF"
             "caf\xC3\xA9"},
            {"utf8", "plain \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"},
            {"utf16le-nobom", std::string("c\0a\0r\0d\0 \0" "4\0" "1\0" "1\0" "1\0", 18)},
            {"utf32be", std::string("\0\0\xFE\xFF\0\0\0a\0\0\0b\0\0\0c", 16)},
            {"ibm037", "\x83\x81\x99\x84\x40\xF4\xF1\xF1\xF1\x40\x95\xA4\x94\x82\x85\x99\x25"},
            {"cp1251", "\xCD\xEE\xEC\xE5\xF0 \xEA\xE0\xF0\xF2\xFB " + kCard},
            {"shift_jis", "\x83\x4A\x81\x5B\x83\x68\x94\xD4\x8D\x86 " + kCard},
            {"nul-padded", std::string("text 4111\0\0\0\0 more", 21)}};
}

Seeds archives() {
    const docs::Files files = {{"d/", ""}, {"d/a.txt", "card " + kCard}, {"b.csv", "x,y\n1,2\n"}};
    return {
        {"gzip", docs::gzip("card " + kCard, "a.txt")},
        {"tar", docs::tar(files)},
        {"tgz", docs::gzip(docs::tar(files), "a.tar")},
        {"tar-xz", docs::libarchive_write("pax", "xz", files)},
        {"tar-bz2", docs::libarchive_write("ustar", "bzip2", files)},
        {"tar-zst", docs::libarchive_write("gnutar", "zstd", files)},
        {"7z", docs::libarchive_write("7zip", "none", files)},
        {"cpio", docs::libarchive_write("cpio", "none", files)},
        {"ar", docs::libarchive_write("arbsd", "none", {{"a.txt", "card " + kCard}})},
        {"iso", docs::libarchive_write("iso9660", "none", files)},
        {"lzma", docs::libarchive_write("raw", "lzma", {{"a.txt", "card " + kCard}})},
    };
}

Seeds emails() {
    const std::string head =
        "From: =?utf-8?q?Ren=C3=A9e?= <a@b.c>\r\nTo: x@y.z\r\nSubject: =?iso-8859-1?B?Y2Fm6Q==?=\r\n";
    return {
        {"alternative", head +
                            "Content-Type: multipart/alternative; boundary=\"a\"\r\n\r\n--a\r\nContent-Type: "
                            "text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                            "caf=E9 " +
                            kCard + "\r\n--a\r\nContent-Type: text/html\r\n\r\n<p>b</p>\r\n--a--\r\n"},
        {"attachments", head + "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n--m\r\nContent-Type: "
                               "application/pdf\r\nContent-Disposition: attachment; filename*0*=utf-8''a%C3%A9;\r\n "
                               "filename*1=\".pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--m\r\n"
                               "Content-Type: message/rfc822\r\n\r\nFrom: c@d.e\r\nSubject: inner\r\n\r\nbody\r\n"
                               "--m--\r\n"},
        {"encrypted", head + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; "
                             "boundary=\"e\"\r\n\r\n--e\r\nContent-Type: application/pgp-encrypted\r\n\r\n"
                             "Version: 1\r\n--e--\r\n"},
        {"mbox", "From a@b Mon Jan  1 00:00:00 2024\n" + head + "\nplain\n"},
    };
}

Seeds dispatch() {
    Seeds s = office();
    for (auto &p : pdfs()) s.push_back(p);
    for (auto &t : texts()) s.push_back(t);
    for (auto &m : markup()) s.push_back({m.first, m.second.substr(1)});
    for (auto &m : emails()) s.push_back({"eml-" + m.first, m.second});
    s.push_back({"gzip", docs::gzip("card " + kCard, "a.txt")});
    s.push_back({"tar", docs::tar({{"d/", ""}, {"d/a.txt", "a"}})});
    s.push_back({"tgz", docs::gzip(docs::tar({{"a.txt", "a"}}), "a.tar")});
    for (auto &a : archives()) s.push_back({"archive-" + a.first, a.second});
    return s;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s zip_office|pdf|markup|text|archive|dispatch|email OUTDIR\n", argv[0]);
        return 2;
    }
    const std::string target = argv[1];
    Seeds seeds;
    if (target == "zip_office")
        seeds = office();
    else if (target == "pdf")
        seeds = pdfs();
    else if (target == "markup")
        seeds = markup();
    else if (target == "text")
        seeds = texts();
    else if (target == "archive")
        seeds = archives();
    else if (target == "dispatch")
        seeds = dispatch();
    else if (target == "email")
        seeds = emails();
    else {
        std::fprintf(stderr, "unknown target '%s'\n", target.c_str());
        return 2;
    }
    const std::filesystem::path out = argv[2];
    std::filesystem::create_directories(out);
    for (const auto &[name, bytes] : seeds) std::ofstream(out / ("seed-" + name), std::ios::binary) << bytes;
    return 0;
}
