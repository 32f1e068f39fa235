#include "html_text.hpp"

#include <array>
#include <cstdint>
#include <string>

#include "text_decoding.hpp"

namespace dlpd::filetype {

namespace {

// HTML's Latin-1 entities, U+00A0 to U+00FF in order.
constexpr std::array<std::string_view, 96> kLatin1Entities = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",    "copy",   "ordf",
    "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn", "sup2",   "sup3",   "acute",  "micro",
    "para",   "middot", "cedil",  "sup1",   "ordm",   "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave",
    "Aacute", "Acirc",  "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",
    "Igrave", "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",
    "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",  "szlig",  "agrave", "aacute",
    "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil", "egrave", "eacute", "ecirc",  "euml",   "igrave",
    "iacute", "icirc",  "iuml",   "eth",    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide",
    "oslash", "ugrave", "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml",
};

struct NamedEntity {
    std::string_view name;
    uint32_t code_point;
};

constexpr std::array<NamedEntity, 44> kOtherEntities = {{
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
    {"euro", 0x20AC},   {"trade", 0x2122},  {"hellip", 0x2026}, {"ndash", 0x2013},  {"mdash", 0x2014},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"sbquo", 0x201A},  {"ldquo", 0x201C},  {"rdquo", 0x201D},
    {"bdquo", 0x201E},  {"bull", 0x2022},   {"dagger", 0x2020}, {"Dagger", 0x2021}, {"permil", 0x2030},
    {"lsaquo", 0x2039}, {"rsaquo", 0x203A}, {"OElig", 0x0152},  {"oelig", 0x0153},  {"Scaron", 0x0160},
    {"scaron", 0x0161}, {"Yuml", 0x0178},   {"fnof", 0x0192},   {"circ", 0x02C6},   {"tilde", 0x02DC},
    {"ensp", 0x2002},   {"emsp", 0x2003},   {"thinsp", 0x2009}, {"zwnj", 0x200C},   {"zwj", 0x200D},
    {"lrm", 0x200E},    {"rlm", 0x200F},    {"minus", 0x2212},  {"larr", 0x2190},   {"rarr", 0x2192},
    {"uarr", 0x2191},   {"darr", 0x2193},   {"harr", 0x2194},   {"NewLine", '\n'},
}};

constexpr std::array<std::string_view, 47> kBlockElements = {
    "address", "article", "aside", "blockquote", "body", "br",       "caption",    "center",  "dd",      "details",
    "dialog",  "dir",     "div",   "dl",         "dt",   "fieldset", "figcaption", "figure",  "footer",  "form",
    "h1",      "h2",      "h3",    "h4",         "h5",   "h6",       "head",       "header",  "hr",      "html",
    "li",      "main",    "menu",  "nav",        "ol",   "p",        "pre",        "section", "summary", "table",
    "tbody",   "thead",   "tfoot", "tr",         "ul",   "option",   "legend",
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Case-insensitive search for an ASCII needle (lower case) from pos.
size_t find_ci(std::string_view s, std::string_view needle, size_t pos) {
    if (needle.empty() || s.size() < needle.size()) return std::string_view::npos;
    for (size_t i = pos; i + needle.size() <= s.size(); ++i) {
        size_t k = 0;
        while (k < needle.size() && lower(s[i + k]) == needle[k]) ++k;
        if (k == needle.size()) return i;
    }
    return std::string_view::npos;
}

// Characters that a reader does not see and that must not split a number:
// soft hyphen, zero-width space/joiners, marks, BOM.
bool is_invisible(uint32_t cp) {
    return cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF || cp == 0x2060;
}

void emit_code_point(uint32_t cp, TextBuilder &out) {
    if (is_invisible(cp)) return;
    // Spaces of every width read as spaces.
    if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F) {
        out.push(' ');
        return;
    }
    // Browsers read &#128;-&#159; as Windows-1252.
    if (cp >= 0x80 && cp <= 0x9F) {
        windows1252_byte(static_cast<unsigned char>(cp), out);
        return;
    }
    out.code_point(cp);
}

class HtmlReader {
public:
    HtmlReader(std::string_view html, TextBuilder &out) : html_(html), out_(out) {}

    void run() {
        size_t i = 0;
        while (i < html_.size() && !out_.full()) {
            const char c = html_[i];
            if (c == '<') {
                i = markup(i);
            } else if (c == '&') {
                i = reference(i);
            } else if (is_space(c)) {
                space(c);
                ++i;
            } else {
                size_t j = i;
                while (j < html_.size() && html_[j] != '<' && html_[j] != '&' && !is_space(html_[j])) ++j;
                visible(html_.substr(i, j - i));
                i = j;
            }
        }
    }

private:
    // Text inside title and textarea: references, no tags.
    void rcdata(std::string_view text, bool preserve) {
        const int saved = pre_;
        if (preserve) ++pre_;
        size_t i = 0;
        while (i < text.size() && !out_.full()) {
            if (text[i] == '&') {
                i = reference_in(text, i);
            } else if (is_space(text[i])) {
                space(text[i]);
                ++i;
            } else {
                size_t j = i;
                while (j < text.size() && text[j] != '&' && !is_space(text[j])) ++j;
                visible(text.substr(i, j - i));
                i = j;
            }
        }
        pre_ = saved;
    }

    void visible(std::string_view s) {
        if (pending_space_ && !out_.ends_with_space()) out_.push(' ');
        pending_space_ = false;
        out_.append(s);
    }

    void space(char c) {
        if (pre_ > 0) {
            if (c != '\r') out_.push(c == '\f' ? '\n' : c);
        } else {
            pending_space_ = true;
        }
    }

    void block_break() {
        pending_space_ = false;
        out_.line_break();
    }

    size_t reference(size_t i) { return reference_in(html_, i); }

    // s[i] == '&'. Returns the index after what was consumed.
    size_t reference_in(std::string_view s, size_t i) {
        size_t j = i + 1;
        if (j < s.size() && s[j] == '#') {
            ++j;
            const bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
            if (hex) ++j;
            uint64_t cp = 0;
            size_t digits = 0;
            while (j < s.size()) {
                const char d = s[j];
                int v = is_digit(d) ? d - '0' : (hex && lower(d) >= 'a' && lower(d) <= 'f') ? lower(d) - 'a' + 10 : -1;
                if (v < 0) break;
                if (cp <= 0x10FFFF) cp = cp * (hex ? 16 : 10) + static_cast<uint64_t>(v);
                ++digits;
                ++j;
            }
            if (digits == 0) {
                visible("&");
                return i + 1;
            }
            if (j < s.size() && s[j] == ';') ++j;
            reference_text(cp > 0x10FFFF ? 0xFFFD : static_cast<uint32_t>(cp));
            return j;
        }
        size_t k = j;
        while (k < s.size() && k - j < 32 && (is_alpha(s[k]) || is_digit(s[k]))) ++k;
        if (k < s.size() && s[k] == ';' && k > j) {
            TextBuilder decoded(16);
            if (decode_character_reference(s.substr(j, k - j), decoded)) {
                if (decoded.str() == " ") {
                    visible("");
                    out_.push(' ');
                } else if (!decoded.empty()) {
                    visible(decoded.str());
                }
                return k + 1;
            }
        }
        visible("&");
        return i + 1;
    }

    void reference_text(uint32_t cp) {
        TextBuilder decoded(8);
        emit_code_point(cp, decoded);
        if (decoded.str() == " ") {
            visible("");
            out_.push(' ');
        } else if (!decoded.empty()) {
            visible(decoded.str());
        }
    }

    // html_[i] == '<'. Returns the index after the markup.
    size_t markup(size_t i) {
        const std::string_view rest = html_.substr(i);
        if (rest.substr(0, 4) == "<!--") {
            const size_t end = html_.find("-->", i + 4);
            return end == std::string_view::npos ? html_.size() : end + 3;
        }
        if (rest.substr(0, 2) == "<!" || rest.substr(0, 2) == "<?") {
            const size_t end = html_.find('>', i + 2);
            return end == std::string_view::npos ? html_.size() : end + 1;
        }
        size_t k = i + 1;
        const bool closing = k < html_.size() && html_[k] == '/';
        if (closing) ++k;
        if (k >= html_.size() || !is_alpha(html_[k])) {
            visible("<");
            return i + 1;
        }
        std::string name;
        while (k < html_.size() && (is_alpha(html_[k]) || is_digit(html_[k]) || html_[k] == '-' || html_[k] == ':')) {
            if (name.size() < 16) name.push_back(lower(html_[k]));
            ++k;
        }
        // The end of the tag, skipping quoted attribute values.
        char quote = 0;
        while (k < html_.size()) {
            const char c = html_[k];
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                break;
            }
            ++k;
        }
        if (k >= html_.size()) return html_.size();  // an unclosed tag ends the document
        const size_t after = k + 1;
        if (closing) {
            if (name == "pre" && pre_ > 0) --pre_;
            if (is_block(name)) block_break();
            return after;
        }
        if (name == "script" || name == "style") return skip_raw_text(after, name);
        if (name == "title" || name == "textarea") {
            const size_t close = find_ci(html_, "</" + name, after);
            const size_t end = close == std::string_view::npos ? html_.size() : close;
            block_break();
            rcdata(html_.substr(after, end - after), name == "textarea");
            block_break();
            if (close == std::string_view::npos) return html_.size();
            const size_t gt = html_.find('>', close);
            return gt == std::string_view::npos ? html_.size() : gt + 1;
        }
        if (name == "td" || name == "th") {
            pending_space_ = false;
            out_.field_break();
        } else if (is_block(name)) {
            block_break();
        }
        if (name == "pre") ++pre_;
        return after;
    }

    size_t skip_raw_text(size_t from, const std::string &name) {
        const size_t close = find_ci(html_, "</" + name, from);
        if (close == std::string_view::npos) return html_.size();
        const size_t gt = html_.find('>', close);
        return gt == std::string_view::npos ? html_.size() : gt + 1;
    }

    static bool is_block(const std::string &name) {
        for (auto b : kBlockElements)
            if (name == b) return true;
        return false;
    }

    std::string_view html_;
    TextBuilder &out_;
    int pre_ = 0;
    bool pending_space_ = false;
};

}  // namespace

bool decode_character_reference(std::string_view name, TextBuilder &out) {
    for (size_t i = 0; i < kLatin1Entities.size(); ++i) {
        if (kLatin1Entities[i] == name) {
            emit_code_point(static_cast<uint32_t>(0xA0 + i), out);
            return true;
        }
    }
    for (const auto &e : kOtherEntities) {
        if (e.name == name) {
            emit_code_point(e.code_point, out);
            return true;
        }
    }
    return false;
}

void html_to_text(std::string_view html, TextBuilder &out) {
    HtmlReader(html, out).run();
}

}  // namespace dlpd::filetype
