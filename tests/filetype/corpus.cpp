#include "corpus.hpp"

#include "document_writer.hpp"
#include "email_text.hpp"

namespace dlpd::test::filetype {

namespace {

using namespace dlpd::test::docs;

const std::string kFiller = "Quarterly notes for the team, nothing unusual here, see you on Monday.";

std::string base64(const std::string &in) {
    static const char *abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const uint32_t v = static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8 |
                           static_cast<unsigned char>(in[i + 2]);
        out += abc[v >> 18], out += abc[(v >> 12) & 63], out += abc[(v >> 6) & 63], out += abc[v & 63];
        if (out.size() % 77 == 76) out += "\r\n";
    }
    if (i < in.size()) {
        uint32_t v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        out += abc[v >> 18], out += abc[(v >> 12) & 63];
        out += i + 1 < in.size() ? abc[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

class Builder {
public:
    explicit Builder(uint32_t seed) : planter_(seed) {}

    // Items planted for `path` are expected there (an archive member is
    // "outer.zip!inner/file").
    std::string card(const std::string &path) { return plant(path, "card", planter_.card()); }
    std::string ssn(const std::string &path) { return plant(path, "us_ssn", planter_.ssn()); }
    std::string aws(const std::string &path) { return plant(path, "aws_key_id", planter_.aws()); }
    // Not reported: fails Luhn, or sits where no reader looks.
    std::string bad_card() { return planter_.bad_card(); }
    std::string unseen_card() { return planter_.card(); }
    // An item planted once that is read twice where it is (each part of a
    // multipart/alternative is read, so text in both is found in both).
    void expect_again(const std::string &path, const std::string &rule, const std::string &item) {
        plant(path, rule, item);
    }

    void file(std::string name, std::string bytes) {
        CorpusFile f{std::move(name), std::move(bytes), {}};
        for (auto &h : pending_)
            if (h.path == f.name || h.path.rfind(f.name + "!", 0) == 0) f.expected.push_back(h);
        std::erase_if(pending_, [&](const Hit &h) { return h.path == f.name || h.path.rfind(f.name + "!", 0) == 0; });
        files_.push_back(std::move(f));
    }

    std::vector<CorpusFile> take() {
        REQUIRE(pending_.empty());
        return std::move(files_);
    }

private:
    std::string plant(const std::string &path, const std::string &rule, std::string item) {
        pending_.push_back({path, rule, item});
        return item;
    }
    Planter planter_;
    std::vector<Hit> pending_;
    std::vector<CorpusFile> files_;
};

// "4111 1111 1111 1111" -> {"4111 11", "11 1111 1", "111 1111"}: pieces of
// an item for runs, spans and tags.
std::vector<std::string> pieces(const std::string &item, size_t n = 3) {
    std::vector<std::string> out;
    const size_t step = (item.size() + n - 1) / n;
    for (size_t at = 0; at < item.size(); at += step) out.push_back(item.substr(at, step));
    return out;
}

Paragraph runs(const std::string &before, const std::string &item, const std::string &after) {
    Paragraph p{before};
    for (auto &piece : pieces(item)) p.push_back(piece);
    p.push_back(after);
    return p;
}

void plain_texts(Builder &b) {
    b.file("text/notes.txt", kFiller + "\ncard " + b.card("text/notes.txt") + " and key " + b.aws("text/notes.txt") +
                                 "\nbad " + b.bad_card() + "\n");
    b.file("text/bom.txt",
           "\xEF\xBB\xBF"
           "ssn " +
               b.ssn("text/bom.txt") + " caf\xC3\xA9\n");
    b.file("text/utf16le.txt", utf16("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 card " + b.card("text/utf16le.txt") +
                                         "\nssn " + b.ssn("text/utf16le.txt") + "\n",
                                     false));
    b.file("text/utf16be.txt", utf16("na\xC3\xAFve key " + b.aws("text/utf16be.txt") + "\n", true));
    b.file("text/windows-1252.txt", windows1252("Caf\xC3\xA9 \xE2\x82\xAC"
                                                "5 \xE2\x80\x9Cquoted\xE2\x80\x9D card " +
                                                b.card("text/windows-1252.txt") + " \xE2\x80\x94 done\n"));
    b.file("text/latin1.csv", windows1252("name;ville;ssn\nRen\xC3\xA9;Orl\xC3\xA9"
                                          "ans;" +
                                          b.ssn("text/latin1.csv") + "\n"));
    b.file("text/data.csv", "id,name,card\n1,Ann," + b.card("text/data.csv") + "\n2,Bob," + b.bad_card() + "\n");
    b.file("text/data.tsv", "id\tkey\n1\t" + b.aws("text/data.tsv") + "\n");
    b.file("text/data.json", "{\"user\": {\"ssn\": \"" + b.ssn("text/data.json") + "\", \"tags\": [1, 2]}}\n");
    b.file("text/data.xml", "<?xml version=\"1.0\"?>\n<users><user card=\"" + b.card("text/data.xml") +
                                "\"><name>Ann</name></user></users>\n");
    b.file("text/app.log",
           "2024-01-01T10:00:00Z INFO login ok\n2024-01-01T10:00:01Z WARN key=" + b.aws("text/app.log") + "\n");
}

void html(Builder &b) {
    const std::string card = b.card("web/page.html");
    const auto split = pieces(card);
    const std::string ssn = b.ssn("web/page.html");
    // An item split over inline tags, one with its first digit as a
    // character reference, one in a table cell; decoys in script, style and
    // a comment, and a Luhn-failing card in the text.
    const std::string page = "<!DOCTYPE html>\n<html><head><title>Report</title><style>.x{content:\"" +
                             b.unseen_card() + "\"}</style><script>var c = \"" + b.unseen_card() +
                             "\";</script></head>\n<body>\n<p>Card <b>" + split[0] + "</b><span>" + split[1] +
                             "</span><i>" + split[2] + "</i> is on file.</p>\n<!-- " + b.unseen_card() +
                             " -->\n<table><tr><td>SSN</td><td>&#" + std::to_string(static_cast<int>(ssn[0])) + ";" +
                             ssn.substr(1) + "</td></tr></table>\n<p>Key&nbsp;" + b.aws("web/page.html") +
                             " &amp; more, bad " + b.bad_card() + "</p>\n</body></html>\n";
    b.file("web/page.html", page);
}

void pdfs(Builder &b) {
    // Page 1 draws its second line first: reading order puts it back.
    const PdfPage one = {{"then the ssn " + b.ssn("docs/report.pdf"), 72, 680},
                         {"first the card " + b.card("docs/report.pdf"), 72, 720}};
    const PdfPage two = {{kFiller, 72, 720}, {"bad " + b.bad_card(), 72, 700}};
    const PdfPage three = {{"key (in parentheses) " + b.aws("docs/report.pdf"), 72, 720}};
    b.file("docs/report.pdf", pdf({one, two, three}));
}

void office(Builder &b) {
    {
        const std::string path = "docs/memo.docx";
        WordDocument d;
        d.body.push_back({kFiller});
        d.body.push_back(runs("Card ", b.card(path), " is on file."));
        d.body.push_back({"bad ", b.bad_card()});
        d.header.push_back(runs("Header key ", b.aws(path), ""));
        d.footnotes.push_back({"footnote ssn ", b.ssn(path)});
        d.table_rows.push_back({{"name"}, {"card"}});
        d.table_rows.push_back({{"Ann"}, runs("", b.card(path), "")});
        // A text box in mc:Choice and its mc:Fallback copy: read once.
        const std::string boxed = b.ssn(path);
        d.raw_body_xml = "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:t>boxed " + boxed +
                         "</w:t></mc:Choice><mc:Fallback><w:t>boxed " + boxed +
                         "</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"
                         // Tracked deletion: still in the file, so still scanned.
                         "<w:p><w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>deleted " +
                         b.aws(path) + "</w:delText></w:r></w:del></w:p>";
        b.file(path, docx(d));
    }
    {
        // Written to a non-seekable stream: Poco puts data descriptors after members.
        WordDocument d;
        d.body.push_back(runs("streamed card ", b.card("docs/streamed.docx"), "."));
        b.file("docs/streamed.docx", docx(d, false));
    }
    {
        const std::string path = "docs/sheet.xlsx";
        Workbook book;
        const std::string rich = b.card(path);
        book.shared_strings = {"header", "ssn " + b.ssn(path), "card " + rich.substr(0, 7) + "|" + rich.substr(7)};
        book.sheets.push_back({{"s:0", "i:plain", "42"}, {"s:1", "i:key " + b.aws(path), "3.5"}, {"s:2", "s:0"}});
        const std::string inline_card = b.card(path);
        book.sheets.push_back(
            {{"r:" + inline_card.substr(0, 5) + "|" + inline_card.substr(5, 6) + "|" + inline_card.substr(11),
              "i:bad " + b.bad_card(), "s:99"}});
        b.file(path, xlsx(book));
    }
    {
        const std::string path = "docs/deck.pptx";
        Presentation deck;
        deck.slides.push_back({runs("Slide card ", b.card(path), ""), {kFiller}});
        deck.slides.push_back({{"second slide"}});
        deck.notes.push_back({});
        deck.notes.push_back({runs("note ssn ", b.ssn(path), "")});
        b.file(path, pptx(deck));
    }
    {
        const std::string path = "docs/letter.odt";
        const std::string noted = b.card(path);
        b.file(path, odt({{kFiller}, runs("card ", b.card(path), " ok"), {"bad ", b.bad_card()}},
                         "<text:p>ref " + noted +
                             "<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation>"
                             "<text:note-body><text:p>note key " +
                             b.aws(path) + "</text:p></text:note-body></text:note></text:p>"));
    }
    {
        const std::string path = "docs/budget.ods";
        b.file(path, ods({{"name", "ssn"}, {"Ann", b.ssn(path)}, {"Bob", "card " + b.card(path)}}));
    }
    {
        const std::string path = "docs/slides.odp";
        b.file(path, odp({{runs("odp key ", b.aws(path), "")}, {{"two"}, runs("", b.ssn(path), "")}}));
    }
}

void rtf(Builder &b) {
    const std::string path = "docs/letter.rtf";
    const std::string card = b.card(path);
    const std::string ssn = b.ssn(path);
    std::string hex_first;  // the SSN's first digit as \'hh
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\'%02x", static_cast<unsigned char>(ssn[0]));
    hex_first = buf;
    b.file(path,
           "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Helvetica;}}{\\colortbl;\\red0\\green0\\blue0;}"
           "{\\*\\generator Test " +
               b.unseen_card() + ";}{\\info{\\title " + b.unseen_card() +
               "}}\n"
               "\\f0\\fs24 Card " +
               card.substr(0, 7) + "{\\b " + card.substr(7, 5) + "}" + card.substr(12) +
               " caf\\'e9\\par\n"
               "SSN " +
               hex_first + ssn.substr(1) +
               "\\par\n"
               "Key \\u65?" +
               b.aws(path).substr(1) +
               "\\par\n"
               "bad " +
               b.bad_card() + "\\par}\n");
    // The key's leading 'A' is written as \u65 with a '?' fallback, which is dropped.
}

void email(Builder &b) {
    const std::string path = "mail/message.eml";
    WordDocument attached;
    attached.body.push_back(runs("attached card ", b.card(path + "!memo2.docx"), ""));
    const std::string card = b.card(path);
    const std::string alternative_ssn = b.ssn(path);
    b.expect_again(path, "us_ssn", alternative_ssn);  // in the plain and the HTML part
    const std::string html_body =
        "<html><body><p>Same text: ssn " + alternative_ssn + " and key <b>" + b.aws(path) + "</b></p></body></html>";
    const std::string subject_ssn = b.ssn(path);
    const std::string mail =
        "From: Ann <ann@example.com>\r\n"
        "To: Bob <bob@example.com>\r\n"
        "Subject: =?utf-8?Q?Caf=C3=A9_ssn_" +
        subject_ssn +
        "?=\r\n"
        "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
        "Message-ID: <1@example.com>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
        "\r\n"
        "This is a multi-part message in MIME format.\r\n"
        "--outer\r\n"
        "Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
        "\r\n"
        "--alt\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Same text: ssn " +
        alternative_ssn +
        " and key (see the HTML part)\r\n"
        "--alt\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n" +
        base64(html_body) +
        "\r\n"
        "--alt--\r\n"
        "--outer\r\n"
        "Content-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Caf=E9: card " +
        card.substr(0, 9) + "=\r\n" + card.substr(9) +
        " in a soft-broken line\r\n"
        "--outer\r\n"
        "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name=\"memo2.docx\"\r\n"
        "Content-Disposition: attachment; filename=\"memo2.docx\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n" +
        base64(docx(attached)) +
        "\r\n"
        "--outer\r\n"
        "Content-Type: text/plain; name=\"notes.txt\"\r\n"
        "Content-Disposition: attachment; filename*=utf-8''notes.txt\r\n"
        "\r\n"
        "attached key " +
        b.aws(path + "!notes.txt") +
        "\r\n"
        "--outer--\r\n";
    b.file(path, mail);
}

void archives(Builder &b) {
    {
        const std::string zip = "archives/bundle.zip";
        WordDocument memo;
        memo.body.push_back(runs("zipped card ", b.card(zip + "!inner/dir/file.docx"), ""));
        const std::string inner = poco_zip({{"deep.csv", "a,b\n1," + b.ssn(zip + "!inner/more.zip!deep.csv") + "\n"}});
        const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde", 33);
        b.file(zip, poco_zip({{"inner/", ""},
                              {"inner/dir/", ""},
                              {"inner/dir/file.docx", docx(memo)},
                              {"inner/more.zip", inner},
                              {"notes/readme.txt", "key " + b.aws(zip + "!notes/readme.txt") + "\n"},
                              {"images/logo.png", png}}));
    }
    {
        const std::string tgz = "archives/logs.tar.gz";
        b.file(tgz, gzip(tar({{"logs/", ""}, {"logs/app.log", "key=" + b.aws(tgz + "!logs.tar!logs/app.log") + "\n"}}),
                         "logs.tar"));
    }
    {
        const std::string gz = "archives/single.txt.gz";
        b.file(gz, gzip("card " + b.card(gz + "!single.txt") + "\n"));
    }
    {
        const std::string t = "archives/plain.tar";
        b.file(t, tar({{"a/b.txt", "ssn " + b.ssn(t + "!a/b.txt") + "\n"}, {"a/c.json", "{\"x\": 1}\n"}}));
    }
}

}  // namespace

std::vector<CorpusFile> build_corpus(uint32_t seed) {
    Builder b(seed);
    plain_texts(b);
    html(b);
    pdfs(b);
    office(b);
    rtf(b);
    email(b);
    archives(b);
    return b.take();
}

}  // namespace dlpd::test::filetype
