#include "html_text.hpp"
#include "text_decoding.hpp"

#include <gumbo.h>
#include <unicode/ucnv.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace dlpd::filetype {

namespace {

constexpr std::array<std::string_view, 47> kBlockElements = {
    "address", "article", "aside", "blockquote", "body", "br",       "caption",    "center",  "dd",      "details",
    "dialog",  "dir",     "div",   "dl",         "dt",   "fieldset", "figcaption", "figure",  "footer",  "form",
    "h1",      "h2",      "h3",    "h4",         "h5",   "h6",       "head",       "header",  "hr",      "html",
    "li",      "main",    "menu",  "nav",        "ol",   "p",        "pre",        "section", "summary", "table",
    "tbody",   "thead",   "tfoot", "tr",         "ul",   "option",   "legend",
};

// Block elements by gumbo tag, built once.
const std::array<bool, GUMBO_TAG_LAST + 1> &block_tags() {
    static const std::array<bool, GUMBO_TAG_LAST + 1> table = [] {
        std::array<bool, GUMBO_TAG_LAST + 1> t{};
        for (int tag = 0; tag < GUMBO_TAG_LAST; ++tag) {
            const std::string_view name = gumbo_normalized_tagname(static_cast<GumboTag>(tag));
            for (auto b : kBlockElements)
                if (name == b) t[static_cast<size_t>(tag)] = true;
        }
        t[GUMBO_TAG_TITLE] = true;
        t[GUMBO_TAG_TEXTAREA] = true;
        return t;
    }();
    return table;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Characters that a reader does not see and that must not split a number:
// soft hyphen, zero-width space/joiners, marks, word joiner, BOM.
bool is_invisible(uint32_t cp) {
    return cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF || cp == 0x2060;
}

// Spaces of every width read as spaces (and, like &nbsp;, are not collapsed).
bool is_wide_space(uint32_t cp) {
    return cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F;
}

class HtmlWalker {
public:
    explicit HtmlWalker(TextBuilder &out) : out_(out) {}

    // Iterative, so deeply nested markup does not exhaust the stack.
    void walk(const GumboNode *root) {
        struct Frame {
            const GumboNode *node;
            unsigned next;  // the next child to visit
        };
        std::vector<Frame> stack;
        enter(root, stack);
        while (!stack.empty() && !out_.full()) {
            Frame &f = stack.back();
            const GumboVector &children = f.node->v.element.children;
            if (f.next < children.length) {
                const auto *child = static_cast<const GumboNode *>(children.data[f.next++]);
                enter(child, stack);
            } else {
                leave(f.node);
                stack.pop_back();
            }
        }
    }

private:
    template <typename Stack>
    void enter(const GumboNode *node, Stack &stack) {
        switch (node->type) {
            case GUMBO_NODE_TEXT:
            case GUMBO_NODE_CDATA:
            case GUMBO_NODE_WHITESPACE:
                text(node->v.text.text);
                return;
            case GUMBO_NODE_COMMENT:
                return;
            case GUMBO_NODE_DOCUMENT:
                stack.push_back({node, 0});
                return;
            case GUMBO_NODE_ELEMENT:
            case GUMBO_NODE_TEMPLATE:
                break;
        }
        const GumboElement &e = node->v.element;
        if (e.tag == GUMBO_TAG_SCRIPT || e.tag == GUMBO_TAG_STYLE) return;
        if (e.tag == GUMBO_TAG_TD || e.tag == GUMBO_TAG_TH) {
            pending_space_ = false;
            out_.field_break();
        } else if (block_tags()[e.tag]) {
            block_break();
        }
        attributes(e);
        if (e.tag == GUMBO_TAG_PRE || e.tag == GUMBO_TAG_TEXTAREA) ++pre_;
        stack.push_back({node, 0});
    }

    void leave(const GumboNode *node) {
        if (node->type == GUMBO_NODE_DOCUMENT) return;
        const GumboElement &e = node->v.element;
        if ((e.tag == GUMBO_TAG_PRE || e.tag == GUMBO_TAG_TEXTAREA) && pre_ > 0) --pre_;
        // The document's own end adds no empty line.
        if (block_tags()[e.tag] && e.tag != GUMBO_TAG_HTML && e.tag != GUMBO_TAG_BODY) block_break();
    }

    // What a reader sees of an element besides its content: meta
    // description and keywords, alt and title texts, input values.
    void attributes(const GumboElement &e) {
        if (e.tag == GUMBO_TAG_META) {
            const GumboAttribute *name = gumbo_get_attribute(&e.attributes, "name");
            if (name == nullptr) name = gumbo_get_attribute(&e.attributes, "property");
            const GumboAttribute *content = gumbo_get_attribute(&e.attributes, "content");
            if (name != nullptr && content != nullptr) {
                std::string n;
                for (const char *p = name->value; *p != '\0'; ++p) n.push_back(lower(*p));
                if (n == "description" || n == "keywords" || n == "og:description" || n == "og:title") {
                    block_break();
                    attribute_text(content->value);
                    block_break();
                }
            }
            return;
        }
        for (const char *attr : {"alt", "title"})
            if (const GumboAttribute *a = gumbo_get_attribute(&e.attributes, attr)) attribute_text(a->value);
        if (e.tag == GUMBO_TAG_INPUT)
            if (const GumboAttribute *a = gumbo_get_attribute(&e.attributes, "value")) attribute_text(a->value);
    }

    // An attribute's text, apart from the text around it.
    void attribute_text(const char *value) {
        if (*value == '\0') return;
        const int saved = pre_;
        pre_ = 0;
        pending_space_ = true;
        text(value);
        pending_space_ = true;
        pre_ = saved;
    }

    void text(std::string_view s) {
        size_t i = 0;
        while (i < s.size() && !out_.full()) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (is_space(static_cast<char>(c))) {
                space(static_cast<char>(c));
                ++i;
                continue;
            }
            if (c < 0x80) {
                size_t j = i;
                while (j < s.size() && static_cast<unsigned char>(s[j]) < 0x80 && !is_space(s[j])) ++j;
                visible(s.substr(i, j - i));
                i = j;
                continue;
            }
            // gumbo's text is UTF-8, but not every byte it passes through is
            // (a fuzzer found one in an attribute): a sequence that does not
            // hold together is dropped a byte at a time, never copied.
            const size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
            bool whole = n != 0 && i + n <= s.size();
            for (size_t k = 1; whole && k < n; ++k) whole = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
            if (!whole || !is_valid_utf8(s.substr(i, n))) {
                ++i;
                continue;
            }
            uint32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
            for (size_t k = 1; k < n; ++k) cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
            if (is_wide_space(cp)) {
                visible("");
                out_.push(' ');
            } else if (!is_invisible(cp)) {
                visible(s.substr(i, n));
            }
            i += n;
        }
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

    TextBuilder &out_;
    int pre_ = 0;
    bool pending_space_ = false;
};

// Case-insensitive search for an ASCII needle (lower case) from pos.
size_t find_ci(std::string_view s, std::string_view needle, size_t pos) {
    for (size_t i = pos; i + needle.size() <= s.size(); ++i) {
        size_t k = 0;
        while (k < needle.size() && lower(s[i + k]) == needle[k]) ++k;
        if (k == needle.size()) return i;
    }
    return std::string_view::npos;
}

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == ':';
}

// Elements that never hold others (void), or that close themselves when a
// sibling starts (p, li, td, ...): neither makes the tree deeper in practice.
bool adds_no_depth(std::string_view name) {
    static constexpr std::array<std::string_view, 34> kFlat = {
        "area", "base",  "br",    "col",      "embed",    "hr",    "img",   "input", "link",  "meta",  "param", "source",
        "track", "wbr",  "p",     "li",       "dt",       "dd",    "tr",    "td",    "th",    "option", "optgroup",
        "thead", "tbody", "tfoot", "colgroup", "caption", "rb",    "rt",    "rp",    "rtc",   "frame", "keygen"};
    for (auto f : kFlat)
        if (name.size() == f.size() && find_ci(name, f, 0) == 0) return true;
    return false;
}

// gumbo (0.10.1, Debian 12) has no depth limit, and its tree builder
// searches the stack of open elements for every tag: 100,000 nested <div>
// (500 KB) took 58 s in a release build, 20,000 took 1.7 s. Start tags
// past kMaxHtmlDepth open elements are blanked before parsing (the text
// between them stays), as browsers cap their trees too. Returns the input
// untouched, without a copy, when nothing is that deep.
constexpr size_t kMaxHtmlDepth = 400;

std::string_view cap_nesting(std::string_view html, std::string &copy) {
    size_t depth = 0;
    bool copied = false;
    for (size_t i = 0; i < html.size(); ++i) {
        if (html[i] != '<' || i + 1 >= html.size()) continue;
        if (html.compare(i, 4, "<!--") == 0) {
            const size_t end = html.find("-->", i + 4);
            if (end == std::string_view::npos) break;
            i = end + 2;
            continue;
        }
        const bool closing = html[i + 1] == '/';
        size_t n = i + (closing ? 2 : 1);
        const size_t name_start = n;
        while (n < html.size() && is_name_char(html[n])) ++n;
        if (n == name_start) continue;  // "<" as text, "<!doctype", "<?xml"
        const std::string_view name = html.substr(name_start, n - name_start);
        size_t end = n;
        for (char quote = 0; end < html.size(); ++end) {
            const char c = html[end];
            if (quote) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                break;
            }
        }
        if (end >= html.size()) break;
        if (closing) {
            if (!adds_no_depth(name) && depth > 0) --depth;
        } else if (html[end - 1] != '/' && !adds_no_depth(name)) {
            if (depth >= kMaxHtmlDepth) {
                if (!copied) copy.assign(html), copied = true;
                for (size_t k = i; k <= end; ++k) copy[k] = ' ';
            } else {
                ++depth;
            }
            // Raw text: what follows <script>/<style> up to its end tag is not markup.
            for (std::string_view raw : {std::string_view("script"), std::string_view("style")})
                if (name.size() == raw.size() && find_ci(name, raw, 0) == 0) {
                    const size_t close = find_ci(html, std::string("</") + std::string(raw), end);
                    if (close != std::string_view::npos) end = close - 1;
                }
        }
        i = end;
    }
    return copied ? std::string_view(copy) : html;
}

}  // namespace

void html_to_text(std::string_view html, TextBuilder &out) {
    std::string capped_copy;
    html = cap_nesting(html, capped_copy);
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 0;  // parse errors are not kept: no memory spent on them
    std::unique_ptr<GumboOutput, void (*)(GumboOutput *)> parsed(
        gumbo_parse_with_options(&options, html.data(), html.size()),
        [](GumboOutput *o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
    if (!parsed) return;
    HtmlWalker(out).walk(parsed->document);
}

std::string html_declared_charset(std::string_view data) {
    // The prescan of HTML's encoding sniffing: only the first 1024 bytes.
    std::string head;
    for (const char c : data.substr(0, 1024))
        if (c != '\0') head.push_back(c);
    size_t pos = 0;
    while ((pos = find_ci(head, "<meta", pos)) != std::string::npos) {
        const size_t end = head.find('>', pos);
        const std::string_view tag =
            std::string_view(head).substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        pos += 5;
        const size_t cs = find_ci(tag, "charset", 0);
        if (cs == std::string_view::npos) continue;
        size_t i = cs + 7;
        while (i < tag.size() && is_space(tag[i])) ++i;
        if (i >= tag.size() || tag[i] != '=') continue;
        ++i;
        while (i < tag.size() && (is_space(tag[i]) || tag[i] == '"' || tag[i] == '\'')) ++i;
        size_t j = i;
        while (j < tag.size() && !is_space(tag[j]) && tag[j] != '"' && tag[j] != '\'' && tag[j] != ';' &&
               tag[j] != '/')
            ++j;
        std::string name;
        for (const char c : tag.substr(i, j - i)) name.push_back(lower(c));
        if (name.empty()) continue;
        if (name == "utf-8" || name == "utf8") return "UTF-8";
        // As browsers do: these are read as their superset; a declared UTF-16
        // in a document that has no BOM is UTF-8.
        if (name == "iso-8859-1" || name == "latin1" || name == "us-ascii" || name == "ascii") return "windows-1252";
        if (name.rfind("utf-16", 0) == 0) return "UTF-8";
        UErrorCode status = U_ZERO_ERROR;
        UConverter *c = ucnv_open(name.c_str(), &status);
        if (U_FAILURE(status) || c == nullptr) return {};
        ucnv_close(c);
        return name;
    }
    return {};
}

}  // namespace dlpd::filetype
