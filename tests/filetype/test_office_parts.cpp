// Every part of an Office document that holds text a person wrote: text
// boxes, comments of every kind, page headers and footers, drawings, table
// cells with several paragraphs, and the document properties. Each secret is
// found through the real plugin and engine, and words of neighbouring
// paragraphs stay apart so \b-anchored rules still match.
#include <catch2/catch.hpp>

#include <set>

#include "dispatch.hpp"
#include "document_writer.hpp"
#include "filetype_support.hpp"
#include "type_detection.hpp"

using namespace dlpd::filetype;
namespace docs = dlpd::test::docs;
using dlpd::test::filetype::Collected;
using dlpd::test::filetype::extract;
using dlpd::test::filetype::Engine;
using dlpd::test::filetype::Planter;

namespace {

std::set<std::string> matches(const Engine &e, const std::string &data, const std::string &name) {
    const dlpd::ScanResult r = e.scan(data, name);
    INFO(dlpd::test::filetype::describe(r));
    for (const auto &d : r.diagnostics) CHECK(d.level < dlpd::LogLevel::warning);
    std::set<std::string> out;
    for (const auto &f : r.findings) out.insert(f.match);
    return out;
}

std::string text_of(const std::string &data, const std::string &name) {
    return extract(data, name).all_text();
}

}  // namespace

TEST_CASE("DOCX: a text box is a paragraph of its own, read once, and its number is found", "[office][docx]") {
    Planter plant(1701);
    const std::string card = plant.card();
    docs::WordDocument d;
    d.body.push_back({"Lorem ipsum aliquyam"});
    d.text_box.push_back({card});
    const std::string bytes = docs::docx(d);
    const std::string text = text_of(bytes, "box.docx");
    CHECK_THAT(text, Catch::Contains("aliquyam\n" + card + "\n"));
    // mc:Choice and mc:Fallback carry the same box: one of them is read.
    CHECK(text.find(card) == text.rfind(card));
    Engine e;
    CHECK(matches(e, bytes, "box.docx") == std::set<std::string>{card});
}

TEST_CASE("DOCX: a text box only in mc:Fallback is still read", "[office][docx]") {
    Planter plant(1702);
    const std::string ssn = plant.ssn();
    docs::WordDocument d;
    d.raw_body_xml = "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing/></mc:Choice>"
                     "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>" +
                     ssn + "</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
                           "</mc:AlternateContent></w:r></w:p>";
    Engine e;
    CHECK(matches(e, docs::docx(d), "fallback.docx") == std::set<std::string>{ssn});
}

TEST_CASE("DOCX: the core title is read as a property line", "[office][docx][metadata]") {
    Planter plant(1703);
    const std::string card = plant.card();
    docs::WordDocument d;
    d.body.push_back({"body"});
    d.title = card;
    const std::string bytes = docs::docx(d);
    CHECK_THAT(text_of(bytes, "titled.docx"), Catch::Contains("title: " + card + "\n") && Catch::Contains("creator: Ann"));
    Engine e;
    CHECK(matches(e, bytes, "titled.docx") == std::set<std::string>{card});
}

TEST_CASE("PPTX: legacy and modern comments are read", "[office][pptx]") {
    Planter plant(1704);
    const std::string legacy = plant.aws(), modern = plant.card();
    docs::Presentation deck;
    deck.slides.push_back({{"slide"}});
    deck.legacy_comment = "legacy " + legacy;
    deck.modern_comment = "modern " + modern;
    Engine e;
    CHECK(matches(e, docs::pptx(deck), "commented.pptx") == std::set<std::string>{legacy, modern});
}

TEST_CASE("XLSX: page header and footer without &-codes, comments of both kinds and a drawing's text box",
          "[office][xlsx]") {
    Planter plant(1705);
    const std::string in_header = plant.ssn(), in_footer = plant.card(), in_comment = plant.aws(),
                      in_thread = plant.ssn(), in_box = plant.card();
    docs::Workbook book;
    book.sheets.push_back({{"i:cell"}});
    // &C starts the centre section right before the number, &P is a field:
    // without the codes removed, "C123-45-6789" would not match \b...
    book.header = "&L&\"Arial,Bold\"&12Left&C" + in_header + "&RPage &P of &N";
    book.footer = "&LFooter &&&K00FF00" + in_footer;
    book.comment = in_comment;
    book.threaded_comment = "thread " + in_thread;
    book.text_box = "box " + in_box;
    const std::string bytes = docs::xlsx(book);
    const std::string text = text_of(bytes, "paged.xlsx");
    CHECK_THAT(text, Catch::Contains("Left\t" + in_header + "\tPage  of \n") &&
                         Catch::Contains("Footer &" + in_footer + "\n") && Catch::Contains("sheet: Sheet1"));
    Engine e;
    CHECK(matches(e, bytes, "paged.xlsx") == std::set<std::string>{in_header, in_footer, in_comment, in_thread, in_box});
}

TEST_CASE("ODF: paragraphs in one table cell end lines, and a card between them is found", "[office][odf]") {
    Planter plant(1706);
    const std::string card = plant.card();
    docs::TextDocument doc;
    doc.paragraphs.push_back({"before"});
    // No space around the number but the paragraph ends: "Aanstelling4111..." would not match \b.
    doc.table.push_back({{"Aanstelling", card, "Opheffing"}, {"next"}});
    const std::string bytes = docs::odt(doc);
    CHECK_THAT(text_of(bytes, "cell.odt"), Catch::Contains("Aanstelling\n" + card + "\nOpheffing\tnext"));
    Engine e;
    CHECK(matches(e, bytes, "cell.odt") == std::set<std::string>{card});
}

TEST_CASE("ODF: a user-defined property in meta.xml is read", "[office][odf][metadata]") {
    Planter plant(1707);
    const std::string card = plant.card();
    docs::TextDocument doc;
    doc.paragraphs.push_back({"body"});
    doc.user_defined.push_back({"Account", card});
    const std::string bytes = docs::odt(doc);
    CHECK_THAT(text_of(bytes, "meta.odt"), Catch::Contains("Account: " + card + "\n") &&
                                               Catch::Contains("initial-creator: Ann"));
    Engine e;
    CHECK(matches(e, bytes, "meta.odt") == std::set<std::string>{card});
}
