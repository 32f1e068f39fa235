#include "rtf_text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "text_decoding.hpp"

namespace dlpd::filetype {

namespace {

// Destinations whose content is not document text.
constexpr std::array<std::string_view, 22> kSkippedDestinations = {
    "fonttbl",    "colortbl",  "stylesheet",         "info",      "pict",         "object",    "objdata",
    "fldinst",    "themedata", "colorschememapping", "datastore", "latentstyles", "listtable", "listoverridetable",
    "rsidtbl",    "generator", "xmlnstbl",           "mmathPr",   "pgdsctbl",     "revtbl",    "filetbl",
    "nonshppict",
};

// Groups nest at most this deep in the state stack; deeper groups share
// their parent's state (RTF from real programs stays far below).
constexpr size_t kMaxTrackedDepth = 1024;

struct GroupState {
    bool skip = false;
    int uc = 1;  // characters that follow a \uN as its fallback
};

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

class RtfReader {
public:
    RtfReader(std::string_view rtf, TextBuilder &out) : rtf_(rtf), out_(out) { stack_.push_back({}); }

    void run() {
        size_t i = 0;
        while (i < rtf_.size() && !out_.full()) {
            const char c = rtf_[i];
            if (c == '{') {
                open_group();
                ++i;
            } else if (c == '}') {
                close_group();
                ++i;
            } else if (c == '\\') {
                i = control(i + 1);
            } else if (c == '\r' || c == '\n') {
                ++i;
            } else {
                character(static_cast<unsigned char>(c));
                ++i;
            }
        }
    }

private:
    GroupState &state() { return stack_.back(); }

    void open_group() {
        if (stack_.size() >= kMaxTrackedDepth) {
            ++untracked_depth_;
        } else {
            stack_.push_back(stack_.back());
        }
        group_start_ = true;
    }

    void close_group() {
        group_start_ = false;
        if (untracked_depth_ > 0) {
            --untracked_depth_;
        } else if (stack_.size() > 1) {
            stack_.pop_back();
        }
        pending_fallback_ = 0;
    }

    // A character of text (or of a \uN fallback, which is dropped).
    void character(unsigned char c) {
        group_start_ = false;
        if (pending_fallback_ > 0) {
            --pending_fallback_;
            return;
        }
        if (state().skip) return;
        windows1252_byte(c, out_);
    }

    void unicode(int32_t value) {
        group_start_ = false;
        if (!state().skip) {
            uint32_t cp = static_cast<uint32_t>(value < 0 ? value + 65536 : value);
            if (cp == 0xA0) cp = ' ';
            out_.code_point(cp);
        }
        pending_fallback_ = state().uc;
    }

    void emit(char c) {
        if (!state().skip) out_.push(c);
    }

    // After a backslash at i. Returns the index after the control.
    size_t control(size_t i) {
        if (i >= rtf_.size()) return i;
        const char c = rtf_[i];
        if (!is_alpha(c)) return symbol(i);
        size_t j = i;
        while (j < rtf_.size() && is_alpha(rtf_[j]) && j - i < 32) ++j;
        const std::string_view word = rtf_.substr(i, j - i);
        bool has_param = false;
        bool negative = false;
        int64_t param = 0;
        if (j < rtf_.size() && rtf_[j] == '-' && j + 1 < rtf_.size() && is_digit(rtf_[j + 1])) {
            negative = true;
            ++j;
        }
        size_t digits = 0;
        while (j < rtf_.size() && is_digit(rtf_[j])) {
            if (digits < 10) param = param * 10 + (rtf_[j] - '0');
            ++digits;
            ++j;
        }
        has_param = digits > 0;
        if (negative) param = -param;
        if (j < rtf_.size() && rtf_[j] == ' ') ++j;  // the delimiter belongs to the word
        return word_(word, has_param, param, j);
    }

    size_t symbol(size_t i) {
        const char c = rtf_[i];
        const bool at_group_start = group_start_;
        group_start_ = false;
        switch (c) {
            case '\'': {
                if (i + 2 < rtf_.size()) {
                    const int hi = hex_value(rtf_[i + 1]);
                    const int lo = hex_value(rtf_[i + 2]);
                    if (hi >= 0 && lo >= 0) {
                        character(static_cast<unsigned char>(hi * 16 + lo));
                        return i + 3;
                    }
                }
                return i + 1;
            }
            case '*':
                if (at_group_start) state().skip = true;
                return i + 1;
            case '~':
                if (pending_fallback_ > 0)
                    --pending_fallback_;
                else
                    emit(' ');
                return i + 1;
            case '_':
                emit('-');
                return i + 1;
            case '-':  // optional hyphen: invisible
                return i + 1;
            case '\r':
            case '\n':
                if (!state().skip) out_.line_break();
                return i + 1;
            case '\\':
            case '{':
            case '}':
                character(static_cast<unsigned char>(c));
                return i + 1;
            default:
                return i + 1;
        }
    }

    size_t word_(std::string_view word, bool has_param, int64_t param, size_t next) {
        const bool at_group_start = group_start_;
        group_start_ = false;
        if (word == "bin") {
            // \binN: N raw bytes follow.
            const uint64_t n = has_param && param > 0 ? static_cast<uint64_t>(param) : 0;
            return next + static_cast<size_t>(std::min<uint64_t>(n, rtf_.size() - next));
        }
        if (at_group_start) {
            for (auto d : kSkippedDestinations)
                if (word == d) state().skip = true;
        }
        if (word == "u" && has_param) {
            unicode(static_cast<int32_t>(param));
            return next;
        }
        if (word == "uc" && has_param) {
            state().uc = static_cast<int>(std::min<int64_t>(std::max<int64_t>(param, 0), 8));
            return next;
        }
        if (state().skip) return next;
        if (word == "par" || word == "line" || word == "sect" || word == "page" || word == "row") {
            out_.line_break();
        } else if (word == "tab") {
            out_.push('\t');
        } else if (word == "cell") {
            out_.field_break();
        } else if (word == "emdash") {
            out_.code_point(0x2014);
        } else if (word == "endash") {
            out_.code_point(0x2013);
        } else if (word == "bullet") {
            out_.code_point(0x2022);
        } else if (word == "lquote") {
            out_.code_point(0x2018);
        } else if (word == "rquote") {
            out_.code_point(0x2019);
        } else if (word == "ldblquote") {
            out_.code_point(0x201C);
        } else if (word == "rdblquote") {
            out_.code_point(0x201D);
        }
        return next;
    }

    std::string_view rtf_;
    TextBuilder &out_;
    std::vector<GroupState> stack_;
    size_t untracked_depth_ = 0;
    int pending_fallback_ = 0;
    bool group_start_ = false;
};

}  // namespace

void rtf_to_text(std::string_view rtf, TextBuilder &out) {
    RtfReader(rtf, out).run();
}

}  // namespace dlpd::filetype
