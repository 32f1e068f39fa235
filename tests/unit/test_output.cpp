// What people and scripts see: masking, JSON escaping, and the three formats.
#include <catch2/catch.hpp>

#include <sstream>

#include "engine/masking.hpp"
#include "engine/utf8_text.hpp"
#include "report/report_writer.hpp"

using namespace dlpd;

TEST_CASE("masking hides every letter and digit but the last four of long secrets", "[output]") {
    CHECK(mask_secret("4111 1111 1111 1111") == "**** **** **** 1111");
    CHECK(mask_secret("AKIAIOSFODNN7EXAMPLE") == "****************MPLE");
    CHECK(mask_secret("123-45-6789") == "***-**-****");  // fewer than 12: nothing shown
    CHECK(mask_secret("pässwörd") == "********");
    CHECK(mask_secret("a\nb") == "* *");
    const std::string long_secret(500, 'x');
    const std::string masked = mask_secret(long_secret);
    CHECK(masked.size() == kMaxMaskedChars + 3);
    CHECK(masked.find('x') == std::string::npos);  // the visible tail lies beyond the cut
}

TEST_CASE("invalid UTF-8 is replaced, valid UTF-8 kept as it is", "[output]") {
    CHECK(valid_utf8("caf\xc3\xa9 \xf0\x9f\x94\x91") == "caf\xc3\xa9 \xf0\x9f\x94\x91");
    CHECK(valid_utf8("bad \xff byte") == "bad \xef\xbf\xbd byte");
    CHECK(valid_utf8("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a UTF-16 surrogate
    CHECK(valid_utf8("\xc0\xaf") == "\xef\xbf\xbd\xef\xbf\xbd");                    // overlong '/'
    CHECK(valid_utf8("cut \xe2\x82") == "cut \xef\xbf\xbd\xef\xbf\xbd");             // truncated sequence
}

TEST_CASE("JSON lines escape quotes and control characters, and invalid UTF-8 never breaks the output",
          "[output]") {
    Finding f;
    f.path = std::string("a\"b\\c\n\t\x01 bad \xff.txt");
    f.rule = "r";
    f.detector = "regex";
    f.severity = "low";
    f.match = "x";
    std::ostringstream out, err;
    auto w = make_report_writer(ReportFormat::jsonl, true, out, err, {});
    w->finding(f);
    w->finish();
    CHECK(out.str().find(R"("path":"a\"b\\c\n\t\u0001 bad )" "\xef\xbf\xbd" R"(.txt")") != std::string::npos);
}

namespace {
Finding sample() {
    Finding f;
    f.path = "dir/a.txt";
    f.rule = "visa";
    f.detector = "regex";
    f.severity = "high";
    f.start = 10;
    f.end = 29;
    f.line = 2;
    f.column = 5;
    f.match = "4111 1111 1111 1111";
    f.validators = {"luhn"};
    return f;
}
}  // namespace

TEST_CASE("jsonl carries every documented field, masked unless revealed", "[output]") {
    std::ostringstream out, err;
    auto w = make_report_writer(ReportFormat::jsonl, false, out, err, {});
    w->finding(sample());
    w->diagnostic(Diagnostic{"b.pdf", "filetype", LogLevel::warning, -6, "", "truncated PDF"});
    w->finish();
    CHECK(out.str() ==
          R"({"type":"finding","path":"dir/a.txt","rule":"visa","detector":"regex","severity":"high","confidence":"medium","start":10,"end":29,"line":2,"column":5,"match":"**** **** **** 1111","masked":true,"validators":["luhn"]})"
          "\n"
          R"({"type":"diagnostic","path":"b.pdf","source":"filetype","level":"warning","status":-6,"subject":"","message":"truncated PDF","unscanned":"corrupt"})"
          "\n");
    std::ostringstream revealed;
    make_report_writer(ReportFormat::jsonl, true, revealed, err, {})->finding(sample());
    CHECK_THAT(revealed.str(), Catch::Contains(R"("match":"4111 1111 1111 1111","masked":false)"));
}

TEST_CASE("text output puts findings on stdout and diagnostics on stderr, escaping control characters",
          "[output]") {
    std::ostringstream out, err;
    auto w = make_report_writer(ReportFormat::text, false, out, err, {});
    Finding f = sample();
    f.path = "evil\nname.txt";
    w->finding(f);
    w->diagnostic(Diagnostic{"x.bin", "dlpd", LogLevel::info, -4, "", "binary"});
    CHECK(out.str() == "evil\\x0aname.txt:2:5: high visa (regex, confirmed by luhn; medium confidence): **** **** **** 1111\n");
    CHECK(err.str() == "dlpd: info: x.bin: dlpd: binary\n");
}

TEST_CASE("SARIF output is a 2.1.0 log with rules, results and notifications", "[output]") {
    std::ostringstream out, err;
    std::vector<Rule> rules(1);
    rules[0].name = "visa";
    rules[0].description = "Visa card";
    rules[0].severity = "high";
    auto w = make_report_writer(ReportFormat::sarif, false, out, err, rules);
    w->finding(sample());
    w->diagnostic(Diagnostic{"b.pdf", "filetype", LogLevel::warning, -6, "", "truncated"});
    w->finish();
    const std::string s = out.str();
    CHECK_THAT(s, Catch::Contains(R"("version":"2.1.0")") && Catch::Contains(R"("rules":[{"id":"visa")") &&
                      Catch::Contains(R"("ruleId":"visa","level":"error")") &&
                      Catch::Contains(R"("region":{"startLine":2,"startColumn":5,"byteOffset":10,"byteLength":19})") &&
                      Catch::Contains(R"("toolExecutionNotifications":[{"level":"warning")"));
    CHECK(s.find("4111 1111 1111 1111") == std::string::npos);
}
