#include "report_writer.hpp"

#include "json_text.hpp"
#include "masking.hpp"

#ifndef DLPD_VERSION_STRING
#define DLPD_VERSION_STRING "0.0.0"
#endif

namespace dlpd {

namespace {

std::string shown(const Finding &f, bool reveal) { return reveal ? f.match : mask_secret(f.match); }

std::string joined(const std::vector<std::string> &v) {
    std::string out;
    for (const auto &s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

// Control characters in a path or message would let a file name forge
// output lines; show them escaped.
std::string printable(std::string_view s) {
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

class TextWriter final : public ReportWriter {
public:
    TextWriter(bool reveal, std::ostream &out, std::ostream &err) : reveal_(reveal), out_(out), err_(err) {}
    void finding(const Finding &f) override {
        out_ << printable(f.path) << ':' << f.line << ':' << f.column << ": " << f.severity << ' ' << f.rule << " ("
             << f.detector;
        if (!f.validators.empty()) out_ << ", confirmed by " << joined(f.validators);
        out_ << "): " << printable(shown(f, reveal_)) << '\n';
    }
    void diagnostic(const Diagnostic &d) override {
        err_ << "dlpd: " << log_level_name(d.level) << ": " << printable(d.path) << ": " << d.source << ": "
             << printable(d.subject.empty() ? d.message : d.subject + ": " + d.message) << '\n';
    }

private:
    bool reveal_;
    std::ostream &out_;
    std::ostream &err_;
};

void append_finding_fields(std::string &line, const Finding &f, bool reveal) {
    line += "\"path\":";
    append_json_string(line, f.path);
    line += ",\"rule\":";
    append_json_string(line, f.rule);
    line += ",\"detector\":";
    append_json_string(line, f.detector);
    line += ",\"severity\":";
    append_json_string(line, f.severity);
    line += ",\"start\":" + std::to_string(f.start) + ",\"end\":" + std::to_string(f.end) +
            ",\"line\":" + std::to_string(f.line) + ",\"column\":" + std::to_string(f.column) + ",\"match\":";
    append_json_string(line, shown(f, reveal));
    line += ",\"masked\":";
    line += reveal ? "false" : "true";
    line += ",\"validators\":[";
    for (size_t i = 0; i < f.validators.size(); ++i) {
        if (i) line += ',';
        append_json_string(line, f.validators[i]);
    }
    line += "]";
}

class JsonLinesWriter final : public ReportWriter {
public:
    JsonLinesWriter(bool reveal, std::ostream &out) : reveal_(reveal), out_(out) {}
    void finding(const Finding &f) override {
        std::string line = "{\"type\":\"finding\",";
        append_finding_fields(line, f, reveal_);
        line += "}\n";
        out_ << line;
    }
    void diagnostic(const Diagnostic &d) override {
        std::string line = "{\"type\":\"diagnostic\",\"path\":";
        append_json_string(line, d.path);
        line += ",\"source\":";
        append_json_string(line, d.source);
        line += ",\"level\":";
        append_json_string(line, log_level_name(d.level));
        line += ",\"status\":" + std::to_string(d.status) + ",\"subject\":";
        append_json_string(line, d.subject);
        line += ",\"message\":";
        append_json_string(line, d.message);
        line += "}\n";
        out_ << line;
    }

private:
    bool reveal_;
    std::ostream &out_;
};

const char *sarif_level(const std::string &severity) {
    if (severity == "critical" || severity == "high") return "error";
    if (severity == "medium") return "warning";
    return "note";
}

class SarifWriter final : public ReportWriter {
public:
    SarifWriter(bool reveal, std::ostream &out, const std::vector<Rule> &rules)
        : reveal_(reveal), out_(out), rules_(rules) {}
    void finding(const Finding &f) override {
        std::string r = results_.empty() ? "" : ",";
        r += "{\"ruleId\":";
        append_json_string(r, f.rule);
        r += ",\"level\":\"";
        r += sarif_level(f.severity);
        r += "\",\"message\":{\"text\":";
        append_json_string(r, "Sensitive data (" + f.rule + "): " + shown(f, reveal_));
        r += "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":";
        append_json_string(r, f.path);
        r += "},\"region\":{\"startLine\":" + std::to_string(f.line) + ",\"startColumn\":" +
             std::to_string(f.column) + ",\"byteOffset\":" + std::to_string(f.start) +
             ",\"byteLength\":" + std::to_string(f.end - f.start) + "}}}],\"properties\":{\"detector\":";
        append_json_string(r, f.detector);
        r += ",\"severity\":";
        append_json_string(r, f.severity);
        r += "}}";
        results_ += r;
    }
    void diagnostic(const Diagnostic &d) override {
        std::string n = notifications_.empty() ? "" : ",";
        n += "{\"level\":\"";
        n += d.level == LogLevel::error ? "error" : d.level == LogLevel::warning ? "warning" : "note";
        n += "\",\"message\":{\"text\":";
        append_json_string(n, d.source + ": " + (d.subject.empty() ? d.message : d.subject + ": " + d.message));
        n += "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":";
        append_json_string(n, d.path);
        n += "}}}]}";
        notifications_ += n;
    }
    void finish() override {
        std::string doc = "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
                          "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"dlpd\",\"version\":\"" DLPD_VERSION_STRING
                          "\",\"rules\":[";
        bool first = true;
        for (const Rule &rule : rules_) {
            if (!rule.enabled) continue;
            if (!first) doc += ',';
            first = false;
            doc += "{\"id\":";
            append_json_string(doc, rule.name);
            doc += ",\"shortDescription\":{\"text\":";
            append_json_string(doc, rule.description.empty() ? rule.name : rule.description);
            doc += "},\"defaultConfiguration\":{\"level\":\"";
            doc += sarif_level(rule.severity);
            doc += "\"},\"properties\":{\"severity\":";
            append_json_string(doc, rule.severity);
            doc += "}}";
        }
        doc += "]}},\"invocations\":[{\"executionSuccessful\":true,\"toolExecutionNotifications\":[" +
               notifications_ + "]}],\"results\":[" + results_ + "]}]}\n";
        out_ << doc;
    }

private:
    bool reveal_;
    std::ostream &out_;
    const std::vector<Rule> &rules_;
    std::string results_;
    std::string notifications_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_report_writer(ReportFormat format, bool reveal, std::ostream &out,
                                                 std::ostream &err, const std::vector<Rule> &rules) {
    switch (format) {
    case ReportFormat::text: return std::make_unique<TextWriter>(reveal, out, err);
    case ReportFormat::jsonl: return std::make_unique<JsonLinesWriter>(reveal, out);
    case ReportFormat::sarif: return std::make_unique<SarifWriter>(reveal, out, rules);
    }
    return nullptr;
}

}  // namespace dlpd
