// Accumulates extracted UTF-8 text up to a cap, so a reader never holds more
// text than the extraction may produce. Past the cap, appends are dropped
// and full() says so; the text is cut at a UTF-8 character boundary.
#ifndef DLPD_FILETYPE_TEXT_BUILDER_HPP
#define DLPD_FILETYPE_TEXT_BUILDER_HPP

#include <cstdint>
#include <string>
#include <string_view>

namespace dlpd::filetype {

class TextBuilder {
public:
    explicit TextBuilder(uint64_t cap) : cap_(cap) {}

    void append(std::string_view s) {
        if (full_) return;
        if (text_.size() + s.size() <= cap_) {
            text_.append(s);
            return;
        }
        size_t room = static_cast<size_t>(cap_ - text_.size());
        // Do not cut a multi-byte character in two.
        while (room > 0 && room < s.size() && (static_cast<unsigned char>(s[room]) & 0xC0) == 0x80) --room;
        text_.append(s.substr(0, room));
        full_ = true;
    }
    void push(char c) {
        if (full_) return;
        if (text_.size() >= cap_) {
            full_ = true;
            return;
        }
        text_.push_back(c);
    }
    // Appends a Unicode code point as UTF-8; U+0000 is dropped and invalid
    // ones (surrogates, past U+10FFFF) become U+FFFD.
    void code_point(uint32_t cp) {
        if (full_ || cp == 0) return;
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
        char buf[4];
        size_t n;
        if (cp < 0x80) {
            buf[0] = static_cast<char>(cp);
            n = 1;
        } else if (cp < 0x800) {
            buf[0] = static_cast<char>(0xC0 | (cp >> 6));
            buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
            n = 2;
        } else if (cp < 0x10000) {
            buf[0] = static_cast<char>(0xE0 | (cp >> 12));
            buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
            n = 3;
        } else {
            buf[0] = static_cast<char>(0xF0 | (cp >> 18));
            buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
            n = 4;
        }
        if (text_.size() + n > cap_) {
            full_ = true;
            return;
        }
        text_.append(buf, n);
    }
    // Ends a line (a paragraph, a row), unless the text is empty or already
    // ends with one.
    void line_break() {
        if (!text_.empty() && text_.back() != '\n') push('\n');
    }
    // Separates two fields (cells) on a line.
    void field_break() {
        if (!text_.empty() && text_.back() != '\n' && text_.back() != '\t') push('\t');
    }
    bool ends_with_space() const {
        return text_.empty() || text_.back() == ' ' || text_.back() == '\n' || text_.back() == '\t';
    }

    bool full() const { return full_; }
    bool empty() const { return text_.empty(); }
    size_t size() const { return text_.size(); }
    const std::string &str() const { return text_; }
    std::string take() { return std::move(text_); }

private:
    uint64_t cap_;
    bool full_ = false;
    std::string text_;
};

}  // namespace dlpd::filetype

#endif
