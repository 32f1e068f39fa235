// Every format the extractor reads, generated here with planted items: each
// planted item is found, under the right (member) path, and nothing else is
// reported — not the decoys, not the duplicates a format carries.
#include <catch2/catch.hpp>

#include <regex>

#include "corpus.hpp"

using namespace dlpd;
using namespace dlpd::test::filetype;

namespace {

std::multiset<Hit> parse_jsonl_findings(const std::string &out, const std::string &strip_prefix) {
    static const std::regex finding(R"re(^\{"type":"finding","path":"([^"]*)","rule":"([^"]*)".*"match":"([^"]*)")re");
    std::multiset<Hit> got;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        std::smatch m;
        if (!std::regex_search(line, m, finding)) continue;
        std::string path = m[1];
        if (path.rfind(strip_prefix, 0) == 0) path = path.substr(strip_prefix.size());
        got.insert({path, m[2], m[3]});
    }
    return got;
}

}  // namespace

TEST_CASE("every planted item in every format is found, and nothing else", "[corpus]") {
    Engine e;
    const auto corpus = build_corpus(20240601);
    REQUIRE(corpus.size() > 25);
    size_t planted = 0;
    for (const auto &file : corpus) {
        const ScanResult r = e.scan(file.bytes, file.name);
        const std::multiset<Hit> want(file.expected.begin(), file.expected.end());
        INFO(file.name << " diagnostics:\n" << describe(r));
        CHECK(hits_of(r) == want);
        // Well-formed documents raise no warnings (binary members are info).
        for (const auto &d : r.diagnostics) CHECK(d.level < LogLevel::warning);
        planted += want.size();
    }
    CHECK(planted > 50);
}

TEST_CASE("the same corpus through dlpd scan: member paths in findings, diagnostics as records of their own",
          "[corpus][cli]") {
    test::TempDir dir;
    const auto pack = dir.write("pack.yaml", kPack);
    test::TempDir corpus_dir;
    std::multiset<Hit> want;
    for (const auto &file : build_corpus(7)) {
        corpus_dir.write(file.name, file.bytes);
        want.insert(file.expected.begin(), file.expected.end());
    }
    const auto r = test::run(test::dlpd_command() + " scan --format jsonl --reveal --patterns " +
                             test::quote(pack.string()) + " " + test::quote(corpus_dir.path().string()));
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(parse_jsonl_findings(r.out, corpus_dir.path().string() + "/") == want);
    // Member paths name the archive chain.
    CHECK_THAT(r.out, Catch::Contains("bundle.zip!inner/dir/file.docx\"") &&
                          Catch::Contains("bundle.zip!inner/more.zip!deep.csv\"") &&
                          Catch::Contains("logs.tar.gz!logs.tar!logs/app.log\"") &&
                          Catch::Contains("message.eml!memo2.docx\""));
    // The PNG in the bundle is a diagnostic record naming its type, not a finding.
    CHECK_THAT(r.out, Catch::Contains("{\"type\":\"diagnostic\",\"path\":\"" + corpus_dir.path().string() +
                                      "/archives/bundle.zip!images/logo.png\",\"source\":\"filetype\"") &&
                          Catch::Contains("binary content of type image/png"));

    // Text format: findings on standard output with member paths, the
    // diagnostic on standard error.
    const auto text = test::run(test::dlpd_command() + " scan --patterns " + test::quote(pack.string()) + " " +
                                test::quote((corpus_dir.path() / "archives" / "bundle.zip").string()));
    CHECK(text.exit_code == 1);
    CHECK_THAT(text.out, Catch::Contains("bundle.zip!inner/dir/file.docx:1:"));
    CHECK_THAT(text.err, Catch::Contains("bundle.zip!images/logo.png: filetype: binary content of type image/png"));
    CHECK(text.out.find("logo.png") == std::string::npos);
}
