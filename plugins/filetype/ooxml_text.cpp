// OOXML: Word (document, headers, footers, footnotes, endnotes, comments),
// Excel (shared and inline strings, cell values, comments) and PowerPoint
// (slides, notes, comments). Parts are found by their content type in
// [Content_Types].xml, or by the names Office gives them when that fails.
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
    std::vector<const ZipMember *> shared_strings, sheets, sheet_comments;
    std::vector<const ZipMember *> slides, slide_notes, slide_comments;
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
                 ends_with(type, "wordprocessingml.endnotes+xml") || ends_with(type, "wordprocessingml.comments+xml"))
            parts_.word_other.push_back(m);
        else if (ends_with(type, "spreadsheetml.sharedStrings+xml"))
            parts_.shared_strings.push_back(m);
        else if (ends_with(type, "spreadsheetml.worksheet+xml"))
            parts_.sheets.push_back(m);
        else if (ends_with(type, "spreadsheetml.comments+xml"))
            parts_.sheet_comments.push_back(m);
        else if (ends_with(type, "presentationml.slide+xml"))
            parts_.slides.push_back(m);
        else if (ends_with(type, "presentationml.notesSlide+xml"))
            parts_.slide_notes.push_back(m);
        else if (ends_with(type, "presentationml.comments+xml"))
            parts_.slide_comments.push_back(m);
    }
    void end(std::string_view) override {}
    void characters(std::string_view) override {}

private:
    const Package &package_;
    Parts &parts_;
};

// Text in runs (w:t, a:t, deleted w:delText), one line per paragraph (w:p,
// a:p), Excel comment or shared string. Runs of a paragraph are joined as
// they are. mc:Fallback repeats mc:Choice, so it is skipped.
class RunText final : public XmlHandler {
public:
    explicit RunText(TextBuilder &out) : out_(out) {}
    void start(std::string_view name, const XmlAttributes &) override {
        if (skip_ > 0 || name == "Fallback") {
            ++skip_;
            return;
        }
        if (name == "t" || name == "delText") {
            in_text_ = true;
        } else if (name == "r") {
            ++in_run_;
        } else if (name == "p") {
            ++in_paragraph_;
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
        if (name == "t" || name == "delText") {
            in_text_ = false;
        } else if (name == "r") {
            if (in_run_ > 0) --in_run_;
        } else if (name == "p") {
            if (in_paragraph_ > 0) --in_paragraph_;
            out_.line_break();
        } else if (name == "comment") {
            out_.line_break();
        }
    }
    void characters(std::string_view text) override {
        if (skip_ == 0 && in_text_) out_.append(text);
    }

private:
    TextBuilder &out_;
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

// A worksheet: cells of a row separated by tabs, one row per line. Shared
// strings are looked up, inline strings joined across runs, other values
// (numbers, formula results, booleans) taken as written.
class Sheet final : public XmlHandler {
public:
    Sheet(const std::vector<std::string> &strings, TextBuilder &out) : strings_(strings), out_(out) {}
    void start(std::string_view name, const XmlAttributes &a) override {
        if (skip_ > 0 || name == "rPh") {
            ++skip_;
            return;
        }
        if (name == "c") {
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
        if (name == "v") {
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
        if (skip_ == 0 && (in_value_ || in_inline_) && value_.size() < kMaxCell) value_.append(text);
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
    int skip_ = 0;
    bool in_cell_ = false;
    bool in_value_ = false;
    bool in_inline_ = false;
};

void by_convention(const Package &package, Parts &parts) {
    if (const ZipMember *m = package.find("word/document.xml")) parts.word_body.push_back(m);
    for (auto prefix : {"word/header", "word/footer", "word/footnotes", "word/endnotes", "word/comments"})
        for (const ZipMember *m : package.parts(prefix, ".xml"))
            if (m->name.find('/', 5) == std::string::npos) parts.word_other.push_back(m);
    if (const ZipMember *m = package.find("xl/sharedStrings.xml")) parts.shared_strings.push_back(m);
    parts.sheets = package.parts("xl/worksheets/sheet", ".xml");
    parts.sheet_comments = package.parts("xl/comments", ".xml");
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
                    &parts.slides, &parts.slide_notes, &parts.slide_comments})
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

    run_text_parts(package, parts.slides);
    run_text_parts(package, parts.slide_notes);
    run_text_parts(package, parts.slide_comments);

    for (auto prefix : {"word/embeddings/", "xl/embeddings/", "ppt/embeddings/"}) {
        if (x.stopped()) return;
        package.emit_embedded(prefix);
    }
}

}  // namespace dlpd::filetype
