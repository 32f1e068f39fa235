// OOXML: Word (document, headers, footers, footnotes, endnotes, comments,
// glossary), Excel (shared and inline strings, cell values, headers and
// footers, comments of both kinds, drawings, sheet and defined names) and
// PowerPoint (slides, notes, comments of both kinds), charts and SmartArt of
// all three, and the document properties (docProps). Parts are found by
// their content type in [Content_Types].xml, or by the names Office gives
// them when that fails.
#include <algorithm>
#include <string>
#include <vector>

#include "office_package.hpp"
#include "text_builder.hpp"

namespace dlpd::filetype {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The parts worth reading, by role.
struct Parts {
    std::vector<const ZipMember *> word_body, word_other;
    std::vector<const ZipMember *> shared_strings, sheets, sheet_comments, workbook, sheet_drawings;
    std::vector<const ZipMember *> slides, slide_notes, slide_comments;
    std::vector<const ZipMember *> charts, diagrams;  // any of the three
    bool empty() const {
        return word_body.empty() && word_other.empty() && sheets.empty() && slides.empty() && slide_notes.empty();
    }
};

// [Content_Types].xml: Override PartName -> ContentType.
class ContentTypes final : public XmlHandler {
public:
    explicit ContentTypes(const Package &package, Parts &parts) : package_(package), parts_(parts) {}
    void start(std::string_view name, const XmlAttributes &a) override {
        if (name != "Override") return;
        std::string part = a.value("PartName");
        if (!part.empty() && part[0] == '/') part.erase(0, 1);
        const ZipMember *m = package_.find(part);
        if (m == nullptr) return;
        const std::string type = a.value("ContentType");
        if (ends_with(type, "wordprocessingml.document.main+xml") ||
            ends_with(type, "wordprocessingml.template.main+xml") ||
            ends_with(type, "ms-word.document.macroEnabled.main+xml") ||
            ends_with(type, "ms-word.template.macroEnabledTemplate.main+xml"))
            parts_.word_body.push_back(m);
        else if (ends_with(type, "wordprocessingml.header+xml") || ends_with(type, "wordprocessingml.footer+xml") ||
                 ends_with(type, "wordprocessingml.footnotes+xml") ||
                 ends_with(type, "wordprocessingml.endnotes+xml") || ends_with(type, "wordprocessingml.comments+xml") ||
                 ends_with(type, "wordprocessingml.document.glossary+xml"))
            parts_.word_other.push_back(m);
        else if (ends_with(type, "spreadsheetml.sharedStrings+xml"))
            parts_.shared_strings.push_back(m);
        else if (ends_with(type, "spreadsheetml.worksheet+xml"))
            parts_.sheets.push_back(m);
        else if (ends_with(type, "spreadsheetml.comments+xml") || ends_with(type, "ms-excel.threadedcomments+xml"))
            parts_.sheet_comments.push_back(m);
        else if (ends_with(type, "spreadsheetml.sheet.main+xml") || ends_with(type, "spreadsheetml.template.main+xml") ||
                 ends_with(type, "ms-excel.sheet.macroEnabled.main+xml") ||
                 ends_with(type, "ms-excel.template.macroEnabled.main+xml"))
            parts_.workbook.push_back(m);
        else if (ends_with(type, "officedocument.drawing+xml"))
            parts_.sheet_drawings.push_back(m);
        else if (ends_with(type, "drawingml.chart+xml"))
            parts_.charts.push_back(m);
        else if (ends_with(type, "drawingml.diagramData+xml"))
            parts_.diagrams.push_back(m);
        else if (ends_with(type, "presentationml.slide+xml"))
            parts_.slides.push_back(m);
        else if (ends_with(type, "presentationml.notesSlide+xml"))
            parts_.slide_notes.push_back(m);
        else if (ends_with(type, "presentationml.comments+xml") || ends_with(type, "ms-powerpoint.comments+xml"))
            parts_.slide_comments.push_back(m);
    }
    void end(std::string_view) override {}
    void characters(std::string_view) override {}

private:
    const Package &package_;
    Parts &parts_;
};

// Text in runs (w:t, a:t, deleted w:delText; p:text of a legacy PowerPoint
// comment, text of an Excel threaded comment), one line per paragraph (w:p,
// a:p), comment or shared string. Runs of a paragraph are joined as they are.
// A paragraph inside another (a text box's w:txbxContent, anchored in the
// paragraph around it) starts a line of its own, so its words do not run into
// the neighbour's. Of an mc:AlternateContent the first mc:Choice is read, and
// the mc:Fallback (the same content for older readers) only when the Choice
// gave no text.
class RunText final : public XmlHandler {
public:
    explicit RunText(TextBuilder &out) : out_(out) {}
    void start(std::string_view name, const XmlAttributes &) override {
        if (skip_ > 0) {
            ++skip_;
            return;
        }
        if (name == "pPr" || name == "rPr") {  // properties: tab stops, never text
            ++skip_;
        } else if (name == "AlternateContent") {
            alternatives_.push_back({out_.size(), false});
        } else if ((name == "Choice" || name == "Fallback") && !alternatives_.empty() && alternatives_.back().taken) {
            ++skip_;
        } else if (name == "t" || name == "delText" || name == "text") {
            in_text_ = true;
        } else if (name == "r") {
            ++in_run_;
        } else if (name == "p") {
            if (in_paragraph_ > 0) out_.line_break();
            ++in_paragraph_;
        } else if (name == "txbxContent" || name == "textbox") {
            out_.line_break();
        } else if (name == "tab" && in_run_ > 0) {  // w:tab elsewhere is a tab stop definition
            out_.push('\t');
        } else if ((name == "br" || name == "cr") && (in_run_ > 0 || in_paragraph_ > 0)) {
            out_.push('\n');
        } else if (name == "noBreakHyphen" && in_run_ > 0) {
            out_.push('-');
        }
    }
    void end(std::string_view name) override {
        if (skip_ > 0) {
            --skip_;
            return;
        }
        if (name == "t" || name == "delText" || name == "text") {
            in_text_ = false;
        } else if (name == "r") {
            if (in_run_ > 0) --in_run_;
        } else if (name == "p") {
            if (in_paragraph_ > 0) --in_paragraph_;
            out_.line_break();
        } else if (name == "txbxContent" || name == "textbox" || name == "comment" || name == "cm" ||
                   name == "threadedComment" || name == "tc") {
            out_.line_break();
        } else if (name == "Choice" || name == "Fallback") {
            if (!alternatives_.empty() && out_.size() > alternatives_.back().size_before)
                alternatives_.back().taken = true;
        } else if (name == "AlternateContent") {
            if (!alternatives_.empty()) alternatives_.pop_back();
        }
    }
    void characters(std::string_view text) override {
        if (skip_ == 0 && in_text_) out_.append(text);
    }

private:
    struct Alternative {
        size_t size_before;
        bool taken;
    };
    TextBuilder &out_;
    std::vector<Alternative> alternatives_;
    int skip_ = 0;
    int in_run_ = 0;
    int in_paragraph_ = 0;
    bool in_text_ = false;
};

// xl/sharedStrings.xml: one string per si, its runs joined; phonetic
// guides (rPh) skipped.
class SharedStrings final : public XmlHandler {
public:
    SharedStrings(std::vector<std::string> &strings, uint64_t cap) : strings_(strings), cap_(cap) {}
    void start(std::string_view name, const XmlAttributes &) override {
        if (skip_ > 0 || name == "rPh") {
            ++skip_;
            return;
        }
        if (name == "si")
            current_.clear();
        else if (name == "t")
            in_text_ = true;
    }
    void end(std::string_view name) override {
        if (skip_ > 0) {
            --skip_;
            return;
        }
        if (name == "t") {
            in_text_ = false;
        } else if (name == "si") {
            strings_.push_back(current_);
            current_.clear();
        }
    }
    void characters(std::string_view text) override {
        if (skip_ > 0 || !in_text_) return;
        if (held_ + text.size() > cap_) return;
        held_ += text.size();
        current_.append(text);
    }

private:
    std::vector<std::string> &strings_;
    uint64_t cap_;
    uint64_t held_ = 0;
    std::string current_;
    int skip_ = 0;
    bool in_text_ = false;
};

// A page header or footer of a sheet without its &-codes (&L, &C, &R start
// the left, centre and right sections; &P, &D, &"font", &12, &KRRGGBB and the
// like are fields and formatting; && is one ampersand). Sections are
// separated by tabs.
std::string header_footer_text(std::string_view codes) {
    std::string out;
    for (size_t i = 0; i < codes.size(); ++i) {
        const char c = codes[i];
        if (c != '&') {
            out.push_back(c);
            continue;
        }
        if (++i >= codes.size()) break;
        const char code = codes[i];
        if (code == '&') {
            out.push_back('&');
        } else if (code == '"') {
            const size_t close = codes.find('"', i + 1);
            if (close == std::string_view::npos) break;
            i = close;
        } else if (code >= '0' && code <= '9') {
            while (i + 1 < codes.size() && codes[i + 1] >= '0' && codes[i + 1] <= '9') ++i;
        } else if (code == 'K') {
            i = std::min(codes.size() - 1, i + 6);
        } else if (code == 'L' || code == 'C' || code == 'R') {
            if (!out.empty() && out.back() != '\t') out.push_back('\t');
        }
    }
    return out;
}

// A worksheet: cells of a row separated by tabs, one row per line. Shared
// strings are looked up, inline strings joined across runs, other values
// (numbers, formula results, booleans) taken as written. Page headers and
// footers follow the cells, one line each.
class Sheet final : public XmlHandler {
public:
    Sheet(const std::vector<std::string> &strings, TextBuilder &out) : strings_(strings), out_(out) {}
    void start(std::string_view name, const XmlAttributes &a) override {
        if (skip_ > 0 || name == "rPh") {
            ++skip_;
            return;
        }
        if (name == "oddHeader" || name == "oddFooter" || name == "evenHeader" || name == "evenFooter" ||
            name == "firstHeader" || name == "firstFooter") {
            in_header_ = true;
            header_.clear();
        } else if (name == "c") {
            type_ = a.value("t");
            value_.clear();
            in_cell_ = true;
        } else if (name == "v" && in_cell_) {
            in_value_ = true;
        } else if (name == "t" && in_cell_) {
            in_inline_ = true;
        }
    }
    void end(std::string_view name) override {
        if (skip_ > 0) {
            --skip_;
            return;
        }
        if (in_header_) {
            in_header_ = false;
            const std::string text = header_footer_text(header_);
            if (text.find_first_not_of(" \t") == std::string::npos) return;
            out_.line_break();
            out_.append(text);
            out_.line_break();
        } else if (name == "v") {
            in_value_ = false;
        } else if (name == "t") {
            in_inline_ = false;
        } else if (name == "c") {
            in_cell_ = false;
            cell();
        } else if (name == "row") {
            out_.line_break();
        }
    }
    void characters(std::string_view text) override {
        if (skip_ > 0) return;
        if (in_header_ && header_.size() < kMaxCell) header_.append(text);
        if ((in_value_ || in_inline_) && value_.size() < kMaxCell) value_.append(text);
    }

private:
    static constexpr size_t kMaxCell = 1 << 20;

    void cell() {
        std::string_view text = value_;
        if (type_ == "s") {
            uint64_t index = 0;
            bool number = !value_.empty();
            for (char c : value_) {
                if (c < '0' || c > '9' || index > strings_.size()) {
                    number = false;
                    break;
                }
                index = index * 10 + static_cast<uint64_t>(c - '0');
            }
            text = number && index < strings_.size() ? std::string_view(strings_[index]) : std::string_view{};
        }
        if (text.empty()) return;
        out_.field_break();
        out_.append(text);
    }

    const std::vector<std::string> &strings_;
    TextBuilder &out_;
    std::string type_;
    std::string value_;
    std::string header_;
    int skip_ = 0;
    bool in_header_ = false;
    bool in_cell_ = false;
    bool in_value_ = false;
    bool in_inline_ = false;
};

// xl/workbook.xml: sheet names, one a line, and defined names with what
// they stand for ("name: formula").
class WorkbookNames final : public XmlHandler {
public:
    explicit WorkbookNames(TextBuilder &out) : out_(out) {}
    void start(std::string_view name, const XmlAttributes &a) override {
        if (name == "sheet") {
            out_.line_break();
            out_.append("sheet: ");
            out_.append(a.value("name"));
            out_.line_break();
        } else if (name == "definedName") {
            in_name_ = true;
            out_.line_break();
            out_.append(a.value("name"));
            out_.append(": ");
        }
    }
    void end(std::string_view name) override {
        if (name != "definedName") return;
        in_name_ = false;
        out_.line_break();
    }
    void characters(std::string_view text) override {
        if (in_name_) out_.append(text);
    }

private:
    TextBuilder &out_;
    bool in_name_ = false;
};

void by_convention(const Package &package, Parts &parts) {
    if (const ZipMember *m = package.find("word/document.xml")) parts.word_body.push_back(m);
    for (auto prefix : {"word/header", "word/footer", "word/footnotes", "word/endnotes", "word/comments"})
        for (const ZipMember *m : package.parts(prefix, ".xml")) {
            // commentsExtended, commentsIds and commentsExtensible hold ids and dates, not text.
            const bool comment_metadata = m->name.rfind("word/comments", 0) == 0 && m->name != "word/comments.xml";
            if (m->name.find('/', 5) == std::string::npos && !comment_metadata) parts.word_other.push_back(m);
        }
    if (const ZipMember *m = package.find("word/glossary/document.xml")) parts.word_other.push_back(m);
    if (const ZipMember *m = package.find("xl/sharedStrings.xml")) parts.shared_strings.push_back(m);
    parts.sheets = package.parts("xl/worksheets/sheet", ".xml");
    parts.sheet_comments = package.parts("xl/comments", ".xml");
    for (const ZipMember *m : package.parts("xl/threadedComments/", ".xml")) parts.sheet_comments.push_back(m);
    if (const ZipMember *m = package.find("xl/workbook.xml")) parts.workbook.push_back(m);
    parts.sheet_drawings = package.parts("xl/drawings/drawing", ".xml");
    for (auto prefix : {"word/charts/chart", "xl/charts/chart", "ppt/charts/chart"})
        for (const ZipMember *m : package.parts(prefix, ".xml")) parts.charts.push_back(m);
    for (auto prefix : {"word/diagrams/data", "xl/diagrams/data", "ppt/diagrams/data"})
        for (const ZipMember *m : package.parts(prefix, ".xml")) parts.diagrams.push_back(m);
    parts.slides = package.parts("ppt/slides/slide", ".xml");
    parts.slide_notes = package.parts("ppt/notesSlides/notesSlide", ".xml");
    parts.slide_comments = package.parts("ppt/comments/", ".xml");
}

void sort_parts(std::vector<const ZipMember *> &v) {
    std::sort(v.begin(), v.end(),
              [](const ZipMember *a, const ZipMember *b) { return natural_less(a->name, b->name); });
}

// Parses each part with a RunText handler and emits its text.
void run_text_parts(Package &package, const std::vector<const ZipMember *> &list) {
    Extraction &x = package.extraction();
    for (const ZipMember *part : list) {
        if (x.stopped()) return;
        TextBuilder text(x.limits().max_extracted_bytes);
        RunText handler(text);
        if (package.parse(*part, handler) && !x.emit_text(text.str(), part->name)) return;
    }
}

// A chart's text: titles and labels (a:t) and the cached values it draws
// (c:v: category names, series names, numbers), each on a line of its own.
// The values are a copy of sheet cells, but a chart pasted into a document
// or slide has no sheet beside it: its cache is all there is.
class ChartText final : public XmlHandler {
public:
    explicit ChartText(TextBuilder &out) : out_(out) {}
    void start(std::string_view name, const XmlAttributes &) override {
        if (name == "t" || name == "v") in_text_ = true;
    }
    void end(std::string_view name) override {
        if (name == "t" || name == "v") in_text_ = false;
        if (name == "v" || name == "p") out_.line_break();
    }
    void characters(std::string_view text) override {
        if (in_text_) out_.append(text);
    }

private:
    TextBuilder &out_;
    bool in_text_ = false;
};

template <typename Handler, typename... Args>
void text_parts(Package &package, const std::vector<const ZipMember *> &list, Args &...args) {
    Extraction &x = package.extraction();
    for (const ZipMember *part : list) {
        if (x.stopped()) return;
        TextBuilder text(x.limits().max_extracted_bytes);
        Handler handler(args..., text);
        if (package.parse(*part, handler) && !x.emit_text(text.str(), part->name)) return;
    }
}

// docProps: the core properties people fill in, the company and manager of
// app.xml, and every custom property's value, one "label: value" a line.
void extract_properties(Package &package) {
    Extraction &x = package.extraction();
    const PropertyText::Names core = {{"title", "title"},           {"subject", "subject"},
                                      {"creator", "creator"},       {"keywords", "keywords"},
                                      {"description", "description"}, {"lastModifiedBy", "lastModifiedBy"},
                                      {"category", "category"},     {"contentStatus", "contentStatus"}};
    const PropertyText::Names app = {{"Company", "company"}, {"Manager", "manager"}};
    const PropertyText::Names custom = {{"property", ""}};
    for (const auto &[name, names] : {std::pair{"docProps/core.xml", &core}, std::pair{"docProps/app.xml", &app},
                                      std::pair{"docProps/custom.xml", &custom}}) {
        if (x.stopped()) return;
        const ZipMember *part = package.find(name);
        if (part == nullptr) continue;
        TextBuilder text(x.limits().max_extracted_bytes);
        PropertyText handler(*names, text);
        if (package.parse(*part, handler) && !text.empty() && !x.emit_text(text.str(), part->name)) return;
    }
}

}  // namespace

void extract_ooxml(Package &package) {
    Extraction &x = package.extraction();
    Parts parts;
    if (const ZipMember *types = package.find("[Content_Types].xml")) {
        ContentTypes handler(package, parts);
        package.parse(*types, handler);
    }
    if (parts.empty()) by_convention(package, parts);
    for (auto *v : {&parts.word_body, &parts.word_other, &parts.shared_strings, &parts.sheets, &parts.sheet_comments,
                    &parts.workbook, &parts.sheet_drawings, &parts.slides, &parts.slide_notes, &parts.slide_comments,
                    &parts.charts, &parts.diagrams})
        sort_parts(*v);
    if (parts.empty()) {
        x.corrupt({}, "an Office Open XML package with no document, worksheet or slide part; no text extracted");
    }

    run_text_parts(package, parts.word_body);
    run_text_parts(package, parts.word_other);

    std::vector<std::string> strings;
    for (const ZipMember *part : parts.shared_strings) {
        SharedStrings handler(strings, x.limits().max_extracted_bytes);
        package.parse(*part, handler);
    }
    for (const ZipMember *part : parts.sheets) {
        if (x.stopped()) break;
        TextBuilder text(x.limits().max_extracted_bytes);
        Sheet handler(strings, text);
        if (package.parse(*part, handler) && !x.emit_text(text.str(), part->name)) break;
    }
    run_text_parts(package, parts.sheet_comments);
    run_text_parts(package, parts.sheet_drawings);
    text_parts<WorkbookNames>(package, parts.workbook);

    run_text_parts(package, parts.slides);
    run_text_parts(package, parts.slide_notes);
    run_text_parts(package, parts.slide_comments);

    text_parts<ChartText>(package, parts.charts);
    run_text_parts(package, parts.diagrams);
    extract_properties(package);

    for (auto prefix : {"word/embeddings/", "xl/embeddings/", "ppt/embeddings/"}) {
        if (x.stopped()) return;
        package.emit_embedded(prefix);
    }
}

}  // namespace dlpd::filetype
