#include "rtf_text.hpp"

#include <algorithm>
#include <array>
#include <unicode/ucnv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
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
    bool font_table = false;  // inside \fonttbl: \fN \fcharsetM define fonts
    int uc = 1;               // characters that follow a \uN as its fallback
    int code_page = 0;        // of the current font; 0: the document's (\ansicpgN)
};

// \fcharsetN to a Windows code page (the values RTF writers use).
int charset_code_page(int64_t charset) {
    switch (charset) {
        case 0:
        case 1:
            return 1252;
        case 77:
            return 10000;
        case 128:
            return 932;
        case 129:
            return 949;
        case 130:
            return 1361;
        case 134:
            return 936;
        case 136:
            return 950;
        case 161:
            return 1253;
        case 162:
            return 1254;
        case 163:
            return 1258;
        case 177:
            return 1255;
        case 178:
            return 1256;
        case 186:
            return 1257;
        case 204:
            return 1251;
        case 222:
            return 874;
        case 238:
            return 1250;
        case 254:
            return 437;
        default:
            return 0;  // symbol fonts and the unknown: the document's code page
    }
}

// ICU's name for a Windows code page.
std::string code_page_converter(int cp) {
    switch (cp) {
        case 932:
            return "windows-31j";
        case 936:
            return "windows-936";
        case 949:
            return "windows-949";
        case 950:
            return "windows-950";
        case 437:
            return "ibm-437";
        case 10000:
            return "macintosh";
        default:
            return "windows-" + std::to_string(cp);
    }
}

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
        run_tokens();
        flush_bytes();
    }

    void run_tokens() {
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
        flush_bytes();
        if (stack_.size() >= kMaxTrackedDepth) {
            ++untracked_depth_;
        } else {
            stack_.push_back(stack_.back());
        }
        group_start_ = true;
    }

    void close_group() {
        flush_bytes();
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
        if (c < 0x80 && bytes_.empty()) {
            unicode_pending_flush();
            out_.push(static_cast<char>(c));
            return;
        }
        // Bytes of the current code page are decoded together: a double-byte
        // character of 932/936/949/950 comes as two \'hh.
        unicode_pending_flush();
        if (!bytes_.empty() && bytes_page_ != current_code_page()) flush_bytes();
        bytes_page_ = current_code_page();
        bytes_.push_back(static_cast<char>(c));
    }

    int current_code_page() { return state().code_page != 0 ? state().code_page : document_code_page_; }

    void flush_bytes() {
        if (bytes_.empty()) return;
        auto &conv = converters_[bytes_page_];
        if (!conv) {
            UErrorCode status = U_ZERO_ERROR;
            conv.reset(ucnv_open(code_page_converter(bytes_page_).c_str(), &status));
            if (U_FAILURE(status)) conv.reset();
        }
        if (!conv) {
            for (const char b : bytes_) windows1252_byte(static_cast<unsigned char>(b), out_);
        } else {
            ucnv_reset(conv.get());
            std::vector<UChar> units(bytes_.size() * 2 + 4);
            UErrorCode status = U_ZERO_ERROR;
            const int32_t n = ucnv_toUChars(conv.get(), units.data(), static_cast<int32_t>(units.size()),
                                            bytes_.data(), static_cast<int32_t>(bytes_.size()), &status);
            if (U_SUCCESS(status)) {
                for (int32_t k = 0; k < n; ++k) {
                    uint32_t u = units[static_cast<size_t>(k)];
                    if (u >= 0xD800 && u <= 0xDBFF && k + 1 < n && units[static_cast<size_t>(k) + 1] >= 0xDC00 &&
                        units[static_cast<size_t>(k) + 1] <= 0xDFFF) {
                        u = 0x10000 + ((u - 0xD800) << 10) + (units[static_cast<size_t>(++k)] - 0xDC00u);
                    }
                    out_.code_point(u == 0xA0 ? ' ' : u);
                }
            }
        }
        bytes_.clear();
    }

    // A \uN high surrogate waits for its low half; anything else ends the wait.
    void unicode_pending_flush() {
        if (high_surrogate_ == 0) return;
        out_.code_point(0xFFFD);
        high_surrogate_ = 0;
    }

    void unicode(int32_t value) {
        group_start_ = false;
        flush_bytes();
        if (!state().skip) {
            uint32_t cp = static_cast<uint32_t>(value < 0 ? value + 65536 : value) & 0xFFFF;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unicode_pending_flush();
                high_surrogate_ = cp;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF && high_surrogate_ != 0) {
                out_.code_point(0x10000 + ((high_surrogate_ - 0xD800) << 10) + (cp - 0xDC00));
                high_surrogate_ = 0;
            } else {
                unicode_pending_flush();
                if (cp == 0xA0) cp = ' ';
                out_.code_point(cp);
            }
        }
        pending_fallback_ = state().uc;
    }

    void emit(char c) {
        if (state().skip) return;
        flush_bytes();
        unicode_pending_flush();
        out_.push(c);
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
                if (!state().skip) {
                    flush_bytes();
                    out_.line_break();
                }
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
        if (word == "fonttbl") state().font_table = true;
        if (state().font_table) {
            // \f N ... \fcharset M (or \cpg M) defines font N's code page.
            if (word == "f" && has_param) defining_font_ = param;
            if (word == "fcharset" && has_param) font_pages_[defining_font_] = charset_code_page(param);
            if (word == "cpg" && has_param) font_pages_[defining_font_] = static_cast<int>(param);
            return next;
        }
        if (word == "ansicpg" && has_param && param > 0 && param < 100000) {
            document_code_page_ = static_cast<int>(param);
            return next;
        }
        if (word == "f" && has_param) {
            flush_bytes();
            const auto it = font_pages_.find(param);
            state().code_page = it != font_pages_.end() ? it->second : 0;
            return next;
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
        if (word == "par" || word == "line" || word == "sect" || word == "page" || word == "row" || word == "tab" ||
            word == "cell" || word == "emdash" || word == "endash" || word == "bullet" || word == "lquote" ||
            word == "rquote" || word == "ldblquote" || word == "rdblquote") {
            flush_bytes();
            unicode_pending_flush();
        }
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

    struct ConverterClose {
        void operator()(UConverter *c) const { ucnv_close(c); }
    };

    std::string_view rtf_;
    TextBuilder &out_;
    std::map<int64_t, int> font_pages_;  // font number to code page
    int64_t defining_font_ = -1;
    int document_code_page_ = 1252;
    std::map<int, std::unique_ptr<UConverter, ConverterClose>> converters_;
    std::string bytes_;  // \'hh bytes not yet decoded, of bytes_page_
    int bytes_page_ = 1252;
    uint32_t high_surrogate_ = 0;
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
