// E-mail through GMime: messages that libmagic calls text, every part of an
// alternative, encoded bodies and headers, attached messages, RFC 2231 names,
// encrypted parts; and how a message is told from text that only looks like
// one. Secrets go through the real plugin, as a scan does.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "dispatch.hpp"
#include "document_writer.hpp"
#include "email_text.hpp"
#include "filetype_support.hpp"
#include "type_detection.hpp"

#include <dlpd/plugin.h>

using namespace dlpd::filetype;
using namespace dlpd::test::filetype;
namespace docs = dlpd::test::docs;

namespace {

std::string base64(const std::string &in) {
    static const char *abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t line = 0;
    for (size_t i = 0; i < in.size(); i += 3) {
        const uint32_t n = (static_cast<unsigned char>(in[i]) << 16) |
                           (i + 1 < in.size() ? static_cast<unsigned char>(in[i + 1]) << 8 : 0) |
                           (i + 2 < in.size() ? static_cast<unsigned char>(in[i + 2]) : 0);
        out += abc[(n >> 18) & 63];
        out += abc[(n >> 12) & 63];
        out += i + 1 < in.size() ? abc[(n >> 6) & 63] : '=';
        out += i + 2 < in.size() ? abc[n & 63] : '=';
        if (++line == 19) {  // 76 columns
            out += "\r\n";
            line = 0;
        }
    }
    return out;
}

// libmagic's own label for data, as the dispatcher sees it.
std::string magic_label(const std::string &data) {
    MagicPool magic;
    return magic.detect(data).mime;
}


// MIME-Version first: libmagic then calls the message text/plain.
const std::string kHead =
    "MIME-Version: 1.0\r\n"
    "From: =?utf-8?q?Ren=C3=A9e?= Dupont <renee@example.com>\r\n"
    "To: Bob <bob@example.com>\r\n"
    "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
    "Message-ID: <1@example.com>\r\n";

}  // namespace

TEST_CASE("an .eml that libmagic calls text: its base64 PDF attachment is decoded and scanned", "[email][dispatch]") {
    Planter p(17);
    const std::string card = p.card();
    const std::string pdf = docs::pdf({{{"invoice card " + card}}});
    const std::string mail = kHead +
                             "Subject: the invoice\r\n"
                             "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                             "--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
                             "--b\r\nContent-Type: application/pdf; name=\"file.pdf\"\r\n"
                             "Content-Disposition: attachment; filename=\"file.pdf\"\r\n"
                             "Content-Transfer-Encoding: base64\r\n\r\n" +
                             base64(pdf) + "\r\n--b--\r\n";
    // The case this proves: libmagic does not say message/rfc822.
    CHECK(magic_label(mail) == "text/plain");
    Engine e;
    const auto r = e.scan(mail, "eml");
    INFO(describe(r));
    CHECK(hits_of(r) == std::multiset<Hit>{{"eml!file.pdf", "card", card}});
}

TEST_CASE("every part of a multipart/alternative is read", "[email]") {
    Planter p(18);
    const std::string ssn = p.ssn();
    const std::string key = p.aws();
    const std::string mail = kHead +
                             "Subject: two versions\r\n"
                             "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
                             "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain only: ssn " +
                             ssn +
                             "\r\n"
                             "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html only: key <b>" +
                             key + "</b></p>\r\n--alt--\r\n";
    Engine e;
    const auto r = e.scan(mail, "alt.eml");
    INFO(describe(r));
    CHECK(hits_of(r) == std::multiset<Hit>{{"alt.eml", "us_ssn", ssn}, {"alt.eml", "aws_key_id", key}});
}

TEST_CASE("quoted-printable bodies, RFC 2047 subjects and display names are decoded", "[email]") {
    Planter p(19);
    const std::string ssn = p.ssn();
    const std::string card = p.card();
    // The SSN only exists once the subject's encoded word is decoded.
    std::string q_ssn;
    for (char c : ssn) q_ssn += c == '-' ? std::string("=2D") : std::string(1, c);
    const std::string mail = kHead + "Subject: =?ISO-8859-1?Q?Caf=E9_ssn_" + q_ssn +
                             "?=\r\n"
                             "Content-Type: text/plain; charset=iso-8859-1\r\n"
                             "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                             "Caf=E9: card " +
                             card.substr(0, 9) + "=\r\n" + card.substr(9) + " soft-broken\r\n";
    Engine e;
    const auto r = e.scan(mail, "qp.eml");
    INFO(describe(r));
    CHECK(hits_of(r) == std::multiset<Hit>{{"qp.eml", "us_ssn", ssn}, {"qp.eml", "card", card}});

    const Collected out = extract(mail, "qp.eml");
    CHECK_THAT(out.all_text(), Catch::Contains("Subject: Caf\xC3\xA9 ssn " + ssn) &&
                                   Catch::Contains("Caf\xC3\xA9: card " + card) &&
                                   Catch::Contains("Ren\xC3\xA9"
                                                   "e Dupont") &&
                                   Catch::Contains("To: Bob"));
}

TEST_CASE("an attached message/rfc822 is a nested blob, read as a message", "[email]") {
    Planter p(20);
    const std::string card = p.card();
    const std::string inner =
        "From: a@example.com\r\nSubject: forwarded\r\nContent-Type: text/plain\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" +
        base64("inner card " + card + "\n") + "\r\n";
    const std::string mail = kHead +
                             "Subject: fwd\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
                             "--m\r\nContent-Type: text/plain\r\n\r\nsee below\r\n"
                             "--m\r\nContent-Type: message/rfc822\r\n"
                             "Content-Disposition: attachment; filename=\"fwd.eml\"\r\n\r\n" +
                             inner + "--m--\r\n";
    Engine e;
    const auto r = e.scan(mail, "outer.eml");
    INFO(describe(r));
    CHECK(hits_of(r) == std::multiset<Hit>{{"outer.eml!fwd.eml", "card", card}});
}

TEST_CASE("an attachment's RFC 2231 file name is decoded", "[email]") {
    Planter p(21);
    const std::string key = p.aws();
    const std::string mail = kHead +
                             "Subject: names\r\nContent-Type: multipart/mixed; boundary=\"n\"\r\n\r\n"
                             "--n\r\nContent-Type: application/octet-stream\r\n"
                             "Content-Disposition: attachment;\r\n"
                             " filename*0*=utf-8''r%C3%A9sum%C3%A9%20;\r\n filename*1=\"2024.txt\"\r\n\r\n"
                             "key " +
                             key + "\r\n--n--\r\n";
    const Collected out = extract(mail, "n.eml");
    REQUIRE(out.blobs.size() == 1);
    CHECK(out.blobs[0].first == "r\xC3\xA9sum\xC3\xA9 2024.txt");
    Engine e;
    const auto r = e.scan(mail, "n.eml");
    INFO(describe(r));
    CHECK(hits_of(r) == std::multiset<Hit>{{"n.eml!r\xC3\xA9sum\xC3\xA9 2024.txt", "aws_key_id", key}});
}

TEST_CASE("an S/MIME or PGP encrypted part is reported as encrypted", "[email]") {
    const std::string smime = kHead +
                              "Subject: sealed\r\n"
                              "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                              "Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\r\n";
    const std::string pgp = kHead +
                            "Subject: sealed\r\n"
                            "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; "
                            "boundary=\"e\"\r\n\r\n"
                            "--e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
                            "--e\r\nContent-Type: application/octet-stream\r\n\r\n"
                            "-----BEGIN PGP MESSAGE-----\r\nhQEMA\r\n-----END PGP MESSAGE-----\r\n--e--\r\n";
    for (const std::string &mail : {smime, pgp}) {
        const Collected out = extract(mail, "sealed.eml");
        INFO(out.all_diagnostics());
        CHECK(out.blobs.empty());
        bool encrypted = false;
        for (const auto &d : out.diagnostics) encrypted = encrypted || d.status == DLPD_ERR_ENCRYPTED;
        CHECK(encrypted);
        // The subject is still read.
        CHECK_THAT(out.all_text(), Catch::Contains("Subject: sealed"));
    }
}

TEST_CASE("a message is recognised by its header block, not by one From: line", "[email][dispatch]") {
    CHECK(looks_like_email("From: a@example.com\r\nSubject: hi\r\n\r\nbody"));
    CHECK(looks_like_email("Received: from x\n\tby y; Mon, 1 Jan 2024\nReturn-Path: <a@b>\nX-Odd: 1\n\nbody"));
    CHECK(looks_like_email("From a@b Mon Jan  1 00:00:00 2024\nFrom: a@b\nTo: c@d\n\nbody"));  // mbox separator
    // Text that merely starts with "From:" once is not a message.
    CHECK_FALSE(looks_like_email("From: the team\nWe are glad to announce the release.\nTo: everyone\n"));
    CHECK_FALSE(looks_like_email("From: a@example.com\n\nhello"));
    CHECK_FALSE(looks_like_email("Subject line: x\nDate: y\n\n"));  // a space in a field name
    CHECK_FALSE(looks_like_email(" From: a\nTo: b\n\n"));
    CHECK(looks_like_email("From: a@example.com\n\nhello", 1));  // named .eml: one field is enough

    // Through the dispatcher: the lookalike stays text (the host scans it as
    // it is), the real one is read as a message (its base64 body decoded).
    const std::string lookalike = "From: the team\nWe are glad to announce the release.\n";
    Collected text = extract(lookalike, "notes.txt");
    CHECK(text.texts.empty());
    const std::string real =
        "From: a@example.com\nTo: b@example.com\nContent-Transfer-Encoding: base64\n\n" + base64("decoded body") + "\n";
    CHECK_THAT(extract(real, "upload").all_text(), Catch::Contains("decoded body"));
}

TEST_CASE("e-mail limits: MIME depth and members", "[email][hostile]") {
    // Nesting deeper than the reader walks is cut with a limit, not a crash.
    std::string deep = kHead + "Subject: deep\r\n";
    const int levels = 200;
    for (int i = 0; i < levels; ++i)
        deep += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\r\n\r\n--b" +
                std::to_string(i) + "\r\n";
    deep += "Content-Type: text/plain\r\n\r\nbottom\r\n";
    for (int i = levels - 1; i >= 0; --i) deep += "--b" + std::to_string(i) + "--\r\n";
    Collected out = extract(deep, "deep.eml");
    CHECK_THAT(out.all_diagnostics(), Catch::Contains("nested more than"));

    std::string many = kHead + "Subject: many\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n";
    for (int i = 0; i < 50; ++i) many += "--m\r\nContent-Type: text/plain\r\n\r\npart " + std::to_string(i) + "\r\n";
    many += "--m--\r\n";
    Collected limited;
    MagicPool magic;
    Limits limits;
    limits.max_members = 10;
    Extraction x(
        limits, limited, [] { return uint64_t{1}; }, 0, 0, "many.eml");
    extract_blob(x, magic, many, {});
    CHECK_THAT(limited.all_diagnostics(), Catch::Contains("max_members"));
    CHECK(x.status() == DLPD_ERR_LIMIT);
}

namespace {

// The text dlpd reads from a blob and, as the host does, from every nested
// blob it hands back (UTF-8 text the extractor leaves to the host included).
void read_all(MagicPool &magic, const std::string &data, const std::string &name, uint32_t depth, std::string &text) {
    Collected out;
    Limits limits;
    Extraction x(
        limits, out, [] { return uint64_t{1}; }, 0, depth, name);
    if (extract_blob(x, magic, data, {}) == DLPD_ERR_UNSUPPORTED) text += data + "\n";
    text += out.all_text();
    for (const auto &[member, bytes] : out.blobs) read_all(magic, bytes, name + "!" + member, depth + 1, text);
}

}  // namespace

TEST_CASE("real-world e-mails: dlpd reads the words Python's email package reads", "[email][realworld]") {
    const std::filesystem::path source = std::filesystem::path(DLPD_TEST_SOURCE_DIR);
    const std::filesystem::path emails = source / "tests/data/realworld/email";
    dlpd::test::TempDir got;  // the text dlpd read, one file per message
    MagicPool magic;
    size_t files = 0;
    for (const auto &entry : std::filesystem::directory_iterator(emails)) {
        if (entry.path().extension() != ".eml") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::string text;
        read_all(magic, data, entry.path().filename().string(), 0, text);
        got.write(entry.path().filename().string() + ".txt", text);
        ++files;
    }
    REQUIRE(files >= 10);
    const auto r =
        dlpd::test::run("python3 " + dlpd::test::quote((source / "tests/filetype/email_recall.py").string()) + " " +
                        dlpd::test::quote(emails.string()) + " " + dlpd::test::quote(got.path().string()));
    WARN(r.out << r.err);  // the recall per file: a measurement worth seeing on every run
    CHECK(r.exit_code == 0);
}
