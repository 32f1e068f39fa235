// The text report: one line per finding on standard output, diagnostics on
// standard error, control characters shown escaped.
#include "report/writers.hpp"

namespace dlpd::report {

namespace {

std::string joined(const std::vector<std::string> &v) {
    std::string out;
    for (const auto &s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

std::string printable(std::string_view s) { return printable_name(s); }

class TextWriter final : public ReportWriter {
public:
    TextWriter(bool reveal, std::ostream &out, std::ostream &err) : reveal_(reveal), out_(out), err_(err) {}
    void finding(const Finding &f) override {
        out_ << printable(f.path) << ':' << f.line << ':' << f.column << ": " << f.severity << ' ' << f.rule << " ("
             << f.detector;
        if (!f.validators.empty()) out_ << ", confirmed by " << joined(f.validators);
        out_ << "; " << f.confidence << " confidence): " << printable(shown(f, reveal_)) << '\n';
    }
    void diagnostic(const Diagnostic &d) override {
        const std::string reason = unscanned_reason(d);
        err_ << "dlpd: " << log_level_name(d.level) << ": " << printable(d.path) << ": " << d.source << ": "
             << printable(d.subject.empty() ? d.message : d.subject + ": " + d.message)
             << (reason.empty() ? "" : " [unscanned: " + reason + "]") << '\n';
    }

private:
    bool reveal_;
    std::ostream &out_;
    std::ostream &err_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_text_writer(bool reveal, std::ostream &out, std::ostream &err) {
    return std::make_unique<TextWriter>(reveal, out, err);
}

}  // namespace dlpd::report

namespace dlpd {

// Control characters in a path or message would let a file name forge
// output lines; show them escaped.
std::string printable_name(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

}  // namespace dlpd
