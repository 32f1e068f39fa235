// JSON lines: one object per finding or diagnostic, for scripts. The fields
// are documented in the README (`dlpd scan`, jsonl).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "engine/utf8_text.hpp"
#include "report/writers.hpp"

namespace dlpd::report {

namespace {

void write_line(std::ostream &out, const Poco::JSON::Object &object) {
    std::ostringstream line;
    object.stringify(line);
    line << '\n';
    out << line.str();
}

class JsonLinesWriter final : public ReportWriter {
public:
    JsonLinesWriter(bool reveal, std::ostream &out) : reveal_(reveal), out_(out) {}
    void finding(const Finding &f) override {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("type", "finding");
        o.set("path", valid_utf8(f.path));
        o.set("rule", valid_utf8(f.rule));
        o.set("detector", valid_utf8(f.detector));
        o.set("severity", valid_utf8(f.severity));
        o.set("confidence", valid_utf8(f.confidence));
        o.set("start", f.start);
        o.set("end", f.end);
        o.set("line", f.line);
        o.set("column", f.column);
        o.set("match", valid_utf8(shown(f, reveal_)));
        o.set("masked", !reveal_);
        Poco::JSON::Array validators;
        for (const auto &v : f.validators) validators.add(valid_utf8(v));
        o.set("validators", validators);
        write_line(out_, o);
    }
    void diagnostic(const Diagnostic &d) override {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("type", "diagnostic");
        o.set("path", valid_utf8(d.path));
        o.set("source", valid_utf8(d.source));
        o.set("level", std::string(log_level_name(d.level)));
        o.set("status", d.status);
        o.set("subject", valid_utf8(d.subject));
        o.set("message", valid_utf8(d.message));
        // Why the part was not scanned (encrypted, corrupt, limit,
        // unsupported, failed), or absent when it was.
        if (const std::string reason = unscanned_reason(d); !reason.empty()) o.set("unscanned", reason);
        write_line(out_, o);
    }

private:
    bool reveal_;
    std::ostream &out_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_jsonl_writer(bool reveal, std::ostream &out) {
    return std::make_unique<JsonLinesWriter>(reveal, out);
}

}  // namespace dlpd::report
