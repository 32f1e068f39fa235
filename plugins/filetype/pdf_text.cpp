#include "pdf_text.hpp"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <climits>
#include <memory>
#include <string>

namespace dlpd::filetype {

namespace {

// After this many pages in a row that poppler cannot create, the page tree
// is taken to be broken and the rest is not tried.
constexpr int kMaxMissingPagesInARow = 100;
// How much of poppler's first message a diagnostic quotes.
constexpr size_t kMaxQuotedMessage = 160;

// poppler's messages for the document being read on this thread. poppler has
// one process-wide error callback; it lands here through a thread-local
// pointer that extract_pdf() sets for the duration of its call.
struct PdfErrors {
    int count = 0;
    std::string first;
};
thread_local PdfErrors *t_errors = nullptr;

bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// A poppler message, without anything quoted from the file (an unknown
// operator's name, a font name: 'X' or "X" after a non-word character) and
// without control characters. Apostrophes inside words ("Couldn't") stay.
std::string scrub(const std::string &message) {
    std::string out;
    for (size_t i = 0; i < message.size() && out.size() < kMaxQuotedMessage; ++i) {
        const char c = message[i];
        const bool opens = (c == '\'' || c == '"') && (i == 0 || !is_word_char(message[i - 1]));
        const size_t close = opens ? message.find(c, i + 1) : std::string::npos;
        if (close != std::string::npos) {
            out.push_back(c);
            out += "...";
            out.push_back(c);
            i = close;
        } else if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) {
            out.push_back(c);
        }
    }
    return out;
}

void on_poppler_error(const std::string &message, void *) {
    if (t_errors == nullptr) return;
    if (t_errors->count++ == 0) t_errors->first = scrub(message);
}

class ErrorScope {
public:
    explicit ErrorScope(PdfErrors &errors) : previous_(t_errors) { t_errors = &errors; }
    ~ErrorScope() { t_errors = previous_; }
    ErrorScope(const ErrorScope &) = delete;
    ErrorScope &operator=(const ErrorScope &) = delete;

private:
    PdfErrors *previous_;
};

}  // namespace

void install_pdf_error_handler() {
    poppler::set_debug_error_function(&on_poppler_error, nullptr);
}

void extract_pdf(Extraction &x, std::string_view data) {
    if (data.size() > static_cast<size_t>(INT_MAX)) {
        x.limit({}, "PDF too large for poppler; not scanned");
        return;
    }
    PdfErrors errors;
    ErrorScope scope(errors);
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(data.data(), static_cast<int>(data.size())));
    if (!doc) {
        x.corrupt({}, "PDF cannot be opened: damaged, truncated or not a PDF" +
                          (errors.first.empty() ? std::string() : " (poppler: " + errors.first + ")"));
        return;
    }
    if (doc->is_locked()) {
        x.encrypted({}, "encrypted PDF (password-protected); not scanned");
        return;
    }
    const int pages = doc->pages();
    int missing_in_a_row = 0;
    for (int i = 0; i < pages; ++i) {
        if (x.stopped() || x.expired()) break;
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (!page) {
            if (++missing_in_a_row >= kMaxMissingPagesInARow) {
                x.corrupt({}, "PDF page tree is damaged: pages from " + std::to_string(i + 2 - missing_in_a_row) +
                                  " on cannot be read");
                break;
            }
            continue;
        }
        missing_in_a_row = 0;
        const poppler::byte_array utf8 =
            page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
        std::string_view text(utf8.data(), utf8.size());
        const std::string location = "page " + std::to_string(i + 1);
        if (text.size() > x.budget_left()) {
            size_t cut = static_cast<size_t>(x.budget_left());
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
            x.emit_text(text.substr(0, cut), location);
            x.budget_exhausted(location);
            break;
        }
        x.charge(text.size(), location);
        if (!x.emit_text(text, location)) break;
    }
    if (errors.count > 0)
        x.corrupt({}, "poppler reported " + std::to_string(errors.count) + " problem" + (errors.count == 1 ? "" : "s") +
                          " reading this PDF (first: " + errors.first +
                          "), so it may be damaged; the text it could read is scanned");
}

}  // namespace dlpd::filetype
