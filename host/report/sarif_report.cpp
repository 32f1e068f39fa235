// SARIF 2.1.0 for code-scanning tools: one document, written when the scan
// ends, with the enabled rules, the results and the tool's notifications.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "engine/utf8_text.hpp"
#include "report/writers.hpp"

#ifndef DLPD_VERSION_STRING
#define DLPD_VERSION_STRING "0.0.0"
#endif

namespace dlpd::report {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr int kKeyOrder = Poco::JSON_PRESERVE_KEY_ORDER;

const char *sarif_level(const std::string &severity) {
    if (severity == "critical" || severity == "high") return "error";
    if (severity == "medium") return "warning";
    return "note";
}

Object::Ptr object() { return new Object(kKeyOrder); }

Object::Ptr text_message(const std::string &text) {
    auto o = object();
    o->set("text", valid_utf8(text));
    return o;
}

// [{"physicalLocation":{"artifactLocation":{"uri":path}, "region":region}}]
Array::Ptr location(const std::string &path, Object::Ptr region) {
    auto artifact = object();
    artifact->set("uri", valid_utf8(path));
    auto physical = object();
    physical->set("artifactLocation", artifact);
    if (region) physical->set("region", region);
    auto loc = object();
    loc->set("physicalLocation", physical);
    Array::Ptr locations = new Array;
    locations->add(loc);
    return locations;
}

class SarifWriter final : public ReportWriter {
public:
    SarifWriter(bool reveal, std::ostream &out, const std::vector<Rule> &rules)
        : reveal_(reveal), out_(out), rules_(rules), results_(new Array), notifications_(new Array) {}
    void finding(const Finding &f) override {
        auto region = object();
        region->set("startLine", f.line);
        region->set("startColumn", f.column);
        region->set("byteOffset", f.start);
        region->set("byteLength", f.end - f.start);
        auto properties = object();
        properties->set("detector", valid_utf8(f.detector));
        properties->set("severity", valid_utf8(f.severity));
        properties->set("confidence", valid_utf8(f.confidence));
        auto r = object();
        r->set("ruleId", valid_utf8(f.rule));
        r->set("level", std::string(sarif_level(f.severity)));
        r->set("message", text_message("Sensitive data (" + f.rule + "): " + shown(f, reveal_)));
        r->set("locations", location(f.path, region));
        r->set("properties", properties);
        results_->add(r);
    }
    void diagnostic(const Diagnostic &d) override {
        auto n = object();
        n->set("level", std::string(d.level == LogLevel::error     ? "error"
                                    : d.level == LogLevel::warning ? "warning"
                                                                   : "note"));
        n->set("message", text_message(d.source + ": " + (d.subject.empty() ? d.message : d.subject + ": " + d.message)));
        n->set("locations", location(d.path, nullptr));
        notifications_->add(n);
    }
    void finish() override {
        Array::Ptr rules = new Array;
        for (const Rule &rule : rules_) {
            if (!rule.enabled) continue;
            auto level = object();
            level->set("level", std::string(sarif_level(rule.severity)));
            auto properties = object();
            properties->set("severity", valid_utf8(rule.severity));
            auto r = object();
            r->set("id", valid_utf8(rule.name));
            r->set("shortDescription", text_message(rule.description.empty() ? rule.name : rule.description));
            r->set("defaultConfiguration", level);
            r->set("properties", properties);
            rules->add(r);
        }
        auto driver = object();
        driver->set("name", "dlpd");
        driver->set("version", DLPD_VERSION_STRING);
        driver->set("rules", rules);
        auto tool = object();
        tool->set("driver", driver);
        auto invocation = object();
        invocation->set("executionSuccessful", true);
        invocation->set("toolExecutionNotifications", notifications_);
        Array::Ptr invocations = new Array;
        invocations->add(invocation);
        auto run = object();
        run->set("tool", tool);
        run->set("invocations", invocations);
        run->set("results", results_);
        Array::Ptr runs = new Array;
        runs->add(run);
        Object doc(kKeyOrder);
        doc.set("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        doc.set("version", "2.1.0");
        doc.set("runs", runs);
        doc.stringify(out_);
        out_ << '\n';
    }

private:
    bool reveal_;
    std::ostream &out_;
    const std::vector<Rule> &rules_;
    Array::Ptr results_;
    Array::Ptr notifications_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_sarif_writer(bool reveal, std::ostream &out, const std::vector<Rule> &rules) {
    return std::make_unique<SarifWriter>(reveal, out, rules);
}

}  // namespace dlpd::report
