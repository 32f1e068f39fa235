// ODF (OpenDocument: odt, ods, odp, odg): the text of content.xml (body,
// tables, notes, annotations, frames, slides), styles.xml (headers and
// footers), embedded objects ("Object 1/content.xml") and the document
// properties (meta.xml). An encrypted package is
// reported and skipped.
#include <algorithm>
#include <string>

#include "office_package.hpp"
#include "text_builder.hpp"

namespace dlpd::filetype {

namespace {

// Spaces a single text:s may stand for; more is padding, not text.
constexpr uint64_t kMaxRepeatedSpaces = 64;

// Text is inside text:p and text:h; spans, links and the like are inline.
// Whitespace in the XML collapses to one space (ODF writes real spaces as
// text:s). Every paragraph and heading ends a line, also inside a table cell,
// a list, a frame's text box, a note or an annotation (office:annotation), so
// the words of two paragraphs never run together; a paragraph inside another
// (a note's body, a text box anchored in it) starts a line of its own. Table
// cells are separated by tabs (the last paragraph of a cell does not end the
// row's line) and rows end lines. Footnote citations ("1") are skipped so
// they do not run into the text before them.
class OdfText final : public XmlHandler {
public:
    explicit OdfText(TextBuilder &out) : out_(out) {}
    void start(std::string_view name, const XmlAttributes &a) override {
        if (skip_ > 0 || name == "note-citation") {
            ++skip_;
            return;
        }
        if (name == "p" || name == "h") {
            if (in_paragraph_ > 0) out_.line_break();
            pending_space_ = false;
            ++in_paragraph_;
        } else if (name == "table-cell" || name == "covered-table-cell") {
            ++in_cell_;
        } else if (in_paragraph_ > 0 && name == "s") {
            const std::string c = a.value("c");
            uint64_t n = 0;
            for (char d : c) {
                if (d < '0' || d > '9') break;
                n = std::min<uint64_t>(n * 10 + static_cast<uint64_t>(d - '0'), kMaxRepeatedSpaces);
            }
            flush();
            for (uint64_t i = 0; i < std::max<uint64_t>(n, 1); ++i) out_.push(' ');
        } else if (in_paragraph_ > 0 && name == "tab") {
            flush();
            out_.push('\t');
        } else if (in_paragraph_ > 0 && name == "line-break") {
            flush();
            pending_space_ = false;
            out_.push('\n');
        }
    }
    void end(std::string_view name) override {
        if (skip_ > 0) {
            --skip_;
            return;
        }
        if (name == "p" || name == "h") {
            if (in_paragraph_ > 0) --in_paragraph_;
            pending_space_ = false;
            // The last paragraph of a cell ends the cell's field, not the line.
            if (in_paragraph_ == 0 && in_cell_ > 0)
                pending_line_ = true;
            else
                out_.line_break();
        } else if (name == "table-cell" || name == "covered-table-cell") {
            if (in_cell_ > 0) --in_cell_;
            pending_space_ = false;
            pending_line_ = false;
            out_.field_break();
        } else if (name == "table-row") {
            pending_line_ = false;
            out_.line_break();
        }
    }
    void characters(std::string_view text) override {
        if (skip_ > 0 || in_paragraph_ == 0) return;
        size_t i = 0;
        while (i < text.size()) {
            const char c = text[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pending_space_ = true;
                ++i;
                continue;
            }
            size_t j = i;
            while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' && text[j] != '\r') ++j;
            flush();
            out_.append(text.substr(i, j - i));
            i = j;
        }
    }

private:
    // Before text: the line a cell's earlier paragraph ended, and the space
    // the XML's whitespace stood for.
    void flush() {
        if (pending_line_) out_.line_break();
        pending_line_ = false;
        if (pending_space_ && !out_.ends_with_space()) out_.push(' ');
        pending_space_ = false;
    }

    TextBuilder &out_;
    int skip_ = 0;
    int in_paragraph_ = 0;
    int in_cell_ = 0;
    bool pending_space_ = false;
    bool pending_line_ = false;
};

bool is_encrypted(Package &package) {
    const ZipMember *manifest = package.find("META-INF/manifest.xml");
    if (manifest == nullptr) return false;
    MemberData data;
    if (!package.read(*manifest, data)) return false;
    return data.data().find("encryption-data") != std::string_view::npos;
}

}  // namespace

void extract_odf(Package &package) {
    Extraction &x = package.extraction();
    if (is_encrypted(package)) {
        x.encrypted({}, "encrypted (password-protected) OpenDocument file; not scanned");
        return;
    }
    std::vector<const ZipMember *> parts;
    if (const ZipMember *content = package.find("content.xml")) parts.push_back(content);
    if (const ZipMember *styles = package.find("styles.xml")) parts.push_back(styles);
    for (const ZipMember *m : package.parts("Object ", "/content.xml")) parts.push_back(m);
    if (package.find("content.xml") == nullptr)
        x.corrupt({}, "an OpenDocument package without content.xml; only its other parts are scanned");
    for (const ZipMember *part : parts) {
        if (x.stopped()) return;
        TextBuilder text(x.limits().max_extracted_bytes);
        OdfText handler(text);
        if (package.parse(*part, handler) && !x.emit_text(text.str(), part->name)) return;
    }
    // meta.xml: the properties people fill in and every user-defined one
    // (named by its meta:name), one "label: value" a line.
    if (const ZipMember *meta = package.find("meta.xml"); meta != nullptr && !x.stopped()) {
        const PropertyText::Names names = {{"title", "title"},
                                           {"subject", "subject"},
                                           {"description", "description"},
                                           {"keyword", "keyword"},
                                           {"initial-creator", "initial-creator"},
                                           {"creator", "creator"},
                                           {"user-defined", ""}};
        TextBuilder text(x.limits().max_extracted_bytes);
        PropertyText handler(names, text);
        if (package.parse(*meta, handler) && !text.empty()) x.emit_text(text.str(), meta->name);
    }
}

}  // namespace dlpd::filetype
