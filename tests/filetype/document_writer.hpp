// Writes the documents the file-type tests, fuzz seeds and benchmark run on,
// from nothing but strings: zips through Poco::Zip::Compress (a third-party
// writer, so our reader is checked against it) or through a small writer of
// our own for hostile variants (encrypted flags, odd methods, bombs); PDFs as
// hand-written PDF syntax with computed xref offsets; OOXML and ODF parts as
// XML text. No binary fixture comes from anywhere else.
#ifndef DLPD_TESTS_FILETYPE_DOCUMENT_WRITER_HPP
#define DLPD_TESTS_FILETYPE_DOCUMENT_WRITER_HPP

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dlpd::test::docs {

using Files = std::vector<std::pair<std::string, std::string>>;  // name, content

// --- zip ---------------------------------------------------------------------

// A zip written by Poco::Zip::Compress. Names ending in '/' are directories.
// seekable=false makes Poco write data descriptors after each member.
// store: names of members written without compression.
std::string poco_zip(const Files &files, bool seekable = true, const std::vector<std::string> &store = {});

// One member for the raw writer: what the central directory and the local
// header say, and the bytes that follow the local header.
struct RawMember {
    std::string name;
    uint16_t method = 8;
    uint16_t flags = 0;
    std::string payload;  // compressed bytes as stored
    uint32_t crc = 0;
    uint64_t size = 0;  // uncompressed size as declared
};
RawMember stored_member(std::string name, const std::string &content);
RawMember deflated_member(std::string name, const std::string &content);
std::string raw_zip(const std::vector<RawMember> &members);

// A member that inflates to `bytes` zeros from about bytes/1000 of input
// (deflate's best ratio), built without ever holding the output.
RawMember zero_bomb_member(std::string name, uint64_t bytes);

// --- gzip and tar --------------------------------------------------------------

std::string gzip(const std::string &content, const std::string &name = {});
// A gzip stream of `bytes` zeros, built like zero_bomb_member.
std::string gzip_zero_bomb(uint64_t bytes);
std::string tar(const Files &files);

// --- Office ----------------------------------------------------------------------

// A paragraph is a list of runs; a run's text is written as is (escaped).
using Paragraph = std::vector<std::string>;

struct WordDocument {
    std::vector<Paragraph> body;
    std::vector<Paragraph> header;                   // word/header1.xml when not empty
    std::vector<Paragraph> footnotes;                // word/footnotes.xml when not empty
    std::vector<std::vector<Paragraph>> table_rows;  // one paragraph per cell
    std::string raw_body_xml;                        // appended inside w:body as is (for special cases)
    Files embedded;                                  // word/embeddings/NAME
    // A text box anchored in the last body paragraph, as Word writes it: a
    // wps shape in mc:Choice and the same text in a VML mc:Fallback.
    std::vector<Paragraph> text_box;
    std::string title;  // docProps/core.xml dc:title when not empty
};
Files docx_parts(const WordDocument &doc);
std::string docx(const WordDocument &doc, bool seekable = true);

struct Workbook {
    std::vector<std::string> shared_strings;  // referenced by cells "s:N"
    // sheets -> rows -> cells: "s:N" (shared string N), "i:TEXT" (inline
    // string), "r:A|B|C" (inline rich string of runs), or a number.
    std::vector<std::vector<std::vector<std::string>>> sheets;
    // Of the first sheet: its page header and footer with their &-codes as
    // written ("&LLeft&CPage &P&RRight"), a legacy comment, a threaded
    // comment, and a text box in its drawing; each written when not empty.
    std::string header, footer, comment, threaded_comment, text_box;
};
std::string xlsx(const Workbook &book);

struct Presentation {
    std::vector<std::vector<Paragraph>> slides;
    std::vector<std::vector<Paragraph>> notes;  // notes of slide i, when present
    // Comments on the first slide: ppt/comments/comment1.xml (p:text) and
    // ppt/comments/modernComment_*.xml (p188:txBody), each when not empty.
    std::string legacy_comment, modern_comment;
};
std::string pptx(const Presentation &deck);

// ODF: paragraphs with spans; rows of cells; slides of paragraphs.
std::string odt(const std::vector<Paragraph> &paragraphs, const std::string &extra_body_xml = {});
std::string ods(const std::vector<std::vector<std::string>> &rows);
std::string odp(const std::vector<std::vector<Paragraph>> &slides);
// A text document with a table (rows of cells of paragraphs) after its
// paragraphs and meta.xml user-defined properties (name, value).
struct TextDocument {
    std::vector<Paragraph> paragraphs;
    std::vector<std::vector<std::vector<std::string>>> table;
    Files user_defined;
};
std::string odt(const TextDocument &doc);
// An ODF package whose manifest declares encryption.
std::string odt_encrypted();

// --- PDF -------------------------------------------------------------------------

struct PdfLine {
    std::string text;  // Latin-1 text (WinAnsiEncoding); (, ) and \ are escaped
    int x = 72;
    int y = 720;
};
using PdfPage = std::vector<PdfLine>;
std::string pdf(const std::vector<PdfPage> &pages);
// A PDF whose standard security handler wants a password we do not have.
std::string pdf_encrypted(const std::vector<PdfPage> &pages);

// --- text encodings ----------------------------------------------------------------

std::string utf16(const std::string &ascii_or_utf8, bool big_endian, bool bom = true);
// UTF-8 to Windows-1252 (characters it lacks become '?').
std::string windows1252(const std::string &utf8);

std::string xml_escape(const std::string &s);

}  // namespace dlpd::test::docs

#endif
