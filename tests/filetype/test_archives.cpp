// Archives through libarchive, and zips typed by their content: reordered
// and prepended Office packages, tar.xz, 7z, zip members compressed with
// bzip2, LZMA and xz, encrypted members. Each archive holds a card number that
// the real plugin path must find (or, when encrypted, must name as such).
#include <dlpd/plugin.h>
#include <magic.h>
#include <zlib.h>

#include <catch2/catch.hpp>

#include "archive_writer.hpp"
#include "document_writer.hpp"
#include "filetype_support.hpp"

using namespace dlpd;
using namespace dlpd::test::filetype;
namespace docs = dlpd::test::docs;

namespace {

bool any_status(const ScanResult &r, int32_t status) {
    for (const auto &d : r.diagnostics)
        if (d.status == status) return true;
    return false;
}

// What libmagic itself says of data: its description, or its MIME type.
std::string libmagic(const std::string &data, int flags) {
    magic_t m = magic_open(flags | MAGIC_NO_CHECK_COMPRESS);
    REQUIRE(m != nullptr);
    REQUIRE(magic_load(m, nullptr) == 0);
    const char *answer = magic_buffer(m, data.data(), data.size());
    std::string out = answer != nullptr ? answer : "";
    magic_close(m);
    return out;
}

docs::RawMember compressed_member(std::string name, const std::string &content, uint16_t method,
                                  std::string payload) {
    docs::RawMember m;
    m.name = std::move(name);
    m.method = method;
    m.payload = std::move(payload);
    m.crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef *>(content.data()), static_cast<uInt>(content.size())));
    m.size = content.size();
    return m;
}

}  // namespace

TEST_CASE("a DOCX whose entries are reordered is read as a DOCX, whatever libmagic calls it", "[archives][types]") {
    Engine e;
    Planter p(71);
    const std::string card = p.card();
    docs::WordDocument doc;
    doc.body = {{"card " + card}};
    docs::Files parts = docs::docx_parts(doc);
    std::string thumbnail;
    for (int i = 0; i < 20000; ++i) thumbnail += static_cast<char>((i * 7919 + 13) % 251);
    parts.push_back({"docProps/app.xml", "<Properties/>"});
    parts.push_back({"docProps/core.xml", "<coreProperties/>"});
    parts.push_back({"docProps/thumbnail.bin", thumbnail});
    // An order of members that makes libmagic see an OOXML package it cannot
    // name: the main part before [Content_Types].xml.
    std::vector<docs::RawMember> members;
    for (const std::string name : {"docProps/app.xml", "word/document.xml", "word/_rels/document.xml.rels",
                                   "[Content_Types].xml", "_rels/.rels", "word/styles.xml", "docProps/thumbnail.bin",
                                   "docProps/core.xml"})
        for (const auto &part : parts)
            if (part.first == name) members.push_back(docs::deflated_member(part.first, part.second));
    for (const auto &part : parts) {
        bool placed = false;
        for (const auto &m : members) placed = placed || m.name == part.first;
        if (!placed) members.push_back(docs::deflated_member(part.first, part.second));
    }
    const std::string docx = docs::raw_zip(members);
    INFO(libmagic(docx, MAGIC_NONE));
    REQUIRE_THAT(libmagic(docx, MAGIC_NONE), Catch::Contains("Microsoft OOXML"));
    REQUIRE(libmagic(docx, MAGIC_MIME_TYPE) == "application/octet-stream");

    const ScanResult r = e.scan(docx, "reordered.docx");
    INFO(describe(r));
    CHECK(hits_of(r) == std::multiset<Hit>{{"reordered.docx", "card", card}});
    CHECK_FALSE(any_status(r, DLPD_ERR_CORRUPT_INPUT));
    // Without a name that says so, too.
    CHECK(hits_of(e.scan(docx, "upload.bin")) == std::multiset<Hit>{{"upload.bin", "card", card}});
}

TEST_CASE("a zip or DOCX with data prepended (a self-extractor) is read by its content", "[archives][types]") {
    Engine e;
    Planter p(72);
    const std::string card = p.card(), other = p.card();
    std::string stub = "MZ\x90";
    for (int i = 0; i < 4096; ++i) stub += static_cast<char>((i * 131 + 7) & 0xFF);
    const std::string sfx = stub + docs::poco_zip({{"notes/a.txt", "card " + card}});
    const ScanResult r = e.scan(sfx, "setup.exe");
    INFO(describe(r));
    CHECK(hits_of(r) == std::multiset<Hit>{{"setup.exe!notes/a.txt", "card", card}});

    docs::WordDocument doc;
    doc.body = {{"card " + other}};
    const std::string docx = stub + docs::docx(doc);
    const ScanResult d = e.scan(docx, "prefixed.docx");
    INFO(describe(d));
    CHECK(hits_of(d) == std::multiset<Hit>{{"prefixed.docx", "card", other}});
}

TEST_CASE("tar.xz, tar.bz2, tar.zst, 7z, cpio and ar members are scanned", "[archives]") {
    Engine e;
    Planter p(73);
    struct Case {
        std::string name, format, filter;
    };
    for (const Case &c : {Case{"logs.tar.xz", "pax", "xz"}, Case{"logs.tar.bz2", "ustar", "bzip2"},
                          Case{"logs.tar.zst", "gnutar", "zstd"}, Case{"logs.7z", "7zip", "none"},
                          Case{"logs.cpio", "cpio", "none"}}) {
        const std::string card = p.card();
        const std::string data =
            c.format == "7zip"
                ? docs::libarchive_write(c.format, c.filter, {{"logs/", ""}, {"logs/app.log", "card " + card}})
                : docs::libarchive_write(c.format, c.filter, {{"logs/app.log", "card " + card}});
        const ScanResult r = e.scan(data, c.name);
        INFO(c.name << ": " << describe(r));
        // A compressed tar comes back as the tar, which is then read.
        const std::string tar = c.filter == "none" ? c.name : c.name.substr(0, c.name.rfind('.'));
        CHECK(hits_of(r) == std::multiset<Hit>{{(c.filter == "none" ? c.name : c.name + "!" + tar.substr(tar.rfind('/') + 1)) + "!logs/app.log", "card", card}});
        CHECK_FALSE(any_status(r, DLPD_ERR_CORRUPT_INPUT));
    }
    const std::string card = p.card();
    const ScanResult ar = e.scan(docs::libarchive_write("arbsd", "none", {{"app.log", "card " + card}}), "lib.a");
    INFO(describe(ar));
    CHECK(hits_of(ar) == std::multiset<Hit>{{"lib.a!app.log", "card", card}});
    // A compressed single file: one member, named after the file.
    const std::string xz_card = p.card();
    const ScanResult xz = e.scan(docs::libarchive_write("raw", "xz", {{"x", "card " + xz_card}}), "notes.txt.xz");
    INFO(describe(xz));
    CHECK(hits_of(xz) == std::multiset<Hit>{{"notes.txt.xz!notes.txt", "card", xz_card}});
}

TEST_CASE("zip members compressed with bzip2, LZMA and xz are read", "[archives][zip]") {
    Engine e;
    Planter p(74);
    const std::string bz = p.card(), lz = p.card(), xzc = p.card(), def = p.card();
    const std::string bz_text = "card " + bz, lz_text = "card " + lz, xz_text = "card " + xzc;
    // zip's bzip2 (12) and xz (95) members are the plain streams.
    const std::string bz_payload = docs::libarchive_write("raw", "bzip2", {{"x", bz_text}});
    const std::string xz_payload = docs::libarchive_write("raw", "xz", {{"x", xz_text}});
    // zip's LZMA (14): version, properties size, the 5 properties, then the
    // stream; an .lzma file is the properties, an 8-byte size, the stream.
    const std::string alone = docs::libarchive_write("raw", "lzma", {{"x", lz_text}});
    REQUIRE(alone.size() > 13);
    const std::string lz_payload = std::string("\x09\x14\x05\x00", 4) + alone.substr(0, 5) + alone.substr(13);
    const std::string zip = docs::raw_zip({compressed_member("a.bz", bz_text, 12, bz_payload),
                                           compressed_member("b.lzma", lz_text, 14, lz_payload),
                                           compressed_member("c.xz", xz_text, 95, xz_payload),
                                           docs::deflated_member("d.txt", "card " + def)});
    const ScanResult r = e.scan(zip, "methods.zip");
    INFO(describe(r));
    CHECK(hits_of(r) == std::multiset<Hit>{{"methods.zip!a.bz", "card", bz},
                                           {"methods.zip!b.lzma", "card", lz},
                                           {"methods.zip!c.xz", "card", xzc},
                                           {"methods.zip!d.txt", "card", def}});
    CHECK_FALSE(any_status(r, DLPD_ERR_CORRUPT_INPUT));
}

TEST_CASE("encrypted zip members are named in an encrypted diagnostic, and the others are scanned",
          "[archives][zip]") {
    Engine e;
    Planter p(75);
    for (const std::string encryption : {"zipcrypt", "aes256"}) {
        const std::string hidden = p.card(), open = p.card();
        const std::string locked = docs::libarchive_write("zip", "none", {{"secret.txt", "card " + hidden}},
                                                          "zip:encryption=" + encryption, "hunter2");
        // The open member in a zip of its own, both inside one outer zip.
        const std::string outer =
            docs::poco_zip({{"locked.zip", locked}, {"open.txt", "card " + open}}, true, {"locked.zip"});
        const ScanResult r = e.scan(outer, "bundle.zip");
        INFO(encryption << ": " << describe(r));
        CHECK(has_diagnostic(r, "bundle.zip!locked.zip", DLPD_ERR_ENCRYPTED, "secret.txt: encrypted"));
        CHECK(hits_of(r) == std::multiset<Hit>{{"bundle.zip!open.txt", "card", open}});
    }
}
