// Hostile and broken input, and every limit: each case gets a diagnostic that
// names the item and the reason, nothing crashes or hangs, and whatever else
// the item holds is still scanned. The zip bomb's peak memory is measured on a
// real `dlpd scan` process (getrusage of the child), not by timing.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "containers.hpp"
#include "dispatch.hpp"
#include "document_writer.hpp"
#include "filetype_support.hpp"
#include "type_detection.hpp"

using namespace dlpd;
using namespace dlpd::test::filetype;
namespace docs = dlpd::test::docs;
namespace ft = dlpd::filetype;

namespace {

struct Measured {
    int exit_code = -1;
    long max_rss_kib = 0;
    std::string out, err;
};

// Runs a command line as a child process (exec'd by the shell, so the
// child's peak resident set is the command's own) and reads its peak memory
// from the kernel's accounting.
Measured run_measured(const std::string &command) {
    test::TempDir tmp;
    const auto out = tmp.path() / "out", err = tmp.path() / "err";
    const std::string line = "exec " + command + " >" + test::quote(out.string()) + " 2>" + test::quote(err.string());
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        // A small ASan quarantine, so a sanitizer build measures what the
        // program holds rather than what ASan keeps back.
        std::string asan = std::getenv("ASAN_OPTIONS") != nullptr ? std::getenv("ASAN_OPTIONS") : "";
        asan += (asan.empty() ? "" : ":") + std::string("quarantine_size_mb=4");
        setenv("ASAN_OPTIONS", asan.c_str(), 1);
        execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char *>(nullptr));
        _exit(127);
    }
    int status = 0;
    struct rusage usage {};
    REQUIRE(wait4(pid, &status, 0, &usage) == pid);
    Measured m;
    m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.max_rss_kib = usage.ru_maxrss;
    m.out = test::slurp(out);
    m.err = test::slurp(err);
    return m;
}

std::string random_bytes(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (char &c : s) c = static_cast<char>(rng() & 0xFF);
    return s;
}

// Drives the readers directly with a clock the test controls.
struct DirectRun {
    ft::Limits limits;
    Collected out;
    uint64_t now = 1'000'000'000;
    uint64_t tick = 0;  // added to the clock at every reading
    int32_t run(const std::string &data, const std::string &name, uint64_t host_deadline = 0) {
        ft::MagicPool magic;
        ft::Extraction x(
            limits, out, [this] { return now += tick; }, host_deadline, 0, name);
        return ft::extract_blob(x, magic, data, {});
    }
};

}  // namespace

TEST_CASE("a truncated PDF is reported as damaged, naming the file, and the next file is scanned normally",
          "[hostile]") {
    Engine e;
    Planter p(1);
    const std::string card = p.card();
    const std::string whole = docs::pdf({{{"card " + card, 72, 720}}, {{"page two", 72, 720}}});
    for (size_t cut : {whole.size() / 3, whole.size() / 2, whole.size() - 40, size_t{12}}) {
        const ScanResult r = e.scan(whole.substr(0, cut), "cut.pdf");
        INFO("cut at " << cut << "\n" << describe(r));
        CHECK(has_diagnostic(r, "cut.pdf", DLPD_ERR_CORRUPT_INPUT, "PDF"));
        // One explanation, not a second generic one from the host.
        CHECK(r.diagnostics.size() == 1);
    }
    const ScanResult next = e.scan(whole, "whole.pdf");
    CHECK(hits_of(next) == std::multiset<Hit>{{"whole.pdf", "card", card}});
    CHECK(next.diagnostics.empty());
}

TEST_CASE("a diagnostic about a PDF never quotes the file's content", "[hostile]") {
    Engine e;
    Planter p(13);
    const std::string key = p.aws();
    // A content stream with the key as a bare (unknown) operator: poppler
    // complains about it by name. Same length in, so the offsets still hold.
    std::string pdf = docs::pdf({{{"visible text", 72, 720}, {std::string(20, 'Z'), 72, 700}}});
    const std::string placeholder = "(" + std::string(20, 'Z') + ") Tj";
    const size_t at = pdf.find(placeholder);
    REQUIRE(at != std::string::npos);
    pdf.replace(at, placeholder.size(), key + std::string(placeholder.size() - key.size(), ' '));
    const ScanResult r = e.scan(pdf, "operator.pdf");
    INFO(describe(r));
    CHECK(r.findings.empty());  // an operator is not text
    REQUIRE_FALSE(r.diagnostics.empty());
    CHECK_THAT(r.diagnostics[0].message, Catch::Contains("poppler reported") && Catch::Contains("'...'"));
    for (const auto &d : r.diagnostics) CHECK(d.message.find(key) == std::string::npos);
}

TEST_CASE("a zip disguised as a .docx is read as the archive it is, with a warning", "[hostile]") {
    Engine e;
    Planter p(2);
    const std::string key = p.aws();
    const ScanResult r = e.scan(docs::poco_zip({{"notes.txt", "key " + key}}), "report.docx");
    INFO(describe(r));
    // Warned, but not unscanned: every member was read (DLPD_OK at warning).
    CHECK(has_diagnostic(r, "report.docx", DLPD_OK, "it is a plain zip archive"));
    CHECK(hits_of(r) == std::multiset<Hit>{{"report.docx!notes.txt", "aws_key_id", key}});

    // A PDF named .docx, and text named .pdf: read as what they are, with a warning.
    const std::string card = p.card();
    const ScanResult pdf = e.scan(docs::pdf({{{"card " + card, 72, 720}}}), "letter.docx");
    CHECK(
        has_diagnostic(pdf, "letter.docx", DLPD_OK, "named .docx, but the content is application/pdf"));
    CHECK(hits_of(pdf) == std::multiset<Hit>{{"letter.docx", "card", card}});
    CHECK(unscanned_parts(pdf).empty());

    // Unknown binary named like a document cannot be read: unscanned, for
    // the policy (an image named .png is merely skipped, at info level).
    const ScanResult junk = e.scan(random_bytes(4096, 7), "salaries.xlsx");
    INFO(describe(junk));
    CHECK(has_diagnostic(junk, "salaries.xlsx", DLPD_ERR_UNSUPPORTED, "named .xlsx, but the content is"));
    REQUIRE(unscanned_parts(junk).size() == 1);
    CHECK(unscanned_parts(junk)[0].reason == "unsupported");
    const ScanResult noise = e.scan(random_bytes(4096, 7), "noise.bin");
    CHECK(unscanned_parts(noise).empty());
}

TEST_CASE("an empty file is a diagnostic, not an error", "[hostile]") {
    Engine e;
    const ScanResult r = e.scan("", "empty.docx");
    CHECK(r.findings.empty());
    CHECK(has_diagnostic(r, "empty.docx", DLPD_OK, "empty; nothing to scan"));
}

TEST_CASE("random bytes give no findings, even with items inside, and their type is named", "[hostile]") {
    Engine e;
    Planter p(3);
    for (uint32_t seed = 1; seed <= 5; ++seed) {
        std::string noise = random_bytes(64 << 10, seed);
        noise.replace(1000, 40, " card " + p.card() + " key " + p.aws());
        const ScanResult r = e.scan(noise, "noise.bin");
        INFO(describe(r));
        CHECK(r.findings.empty());
        CHECK(has_diagnostic(r, "noise.bin", DLPD_ERR_UNSUPPORTED, "binary content of type application/octet-stream"));
    }
}

TEST_CASE("password-protected content is skipped with a diagnostic, and the rest is scanned", "[hostile]") {
    Engine e;
    Planter p(4);
    const std::string ssn = p.ssn();
    auto locked = docs::stored_member("payroll.txt", "ssn " + p.ssn());
    locked.flags = 1;  // traditional PKWARE encryption
    auto aes = docs::deflated_member("aes.txt", "key " + p.aws());
    aes.method = 99;  // WinZip AES
    aes.flags = 1;
    const ScanResult r =
        e.scan(docs::raw_zip({locked, aes, docs::stored_member("open.txt", "ssn " + ssn)}), "protected.zip");
    INFO(describe(r));
    CHECK(has_diagnostic(r, "protected.zip", DLPD_ERR_ENCRYPTED, "payroll.txt: encrypted (password-protected)"));
    CHECK(has_diagnostic(r, "protected.zip", DLPD_ERR_ENCRYPTED, "aes.txt: encrypted (password-protected)"));
    CHECK(hits_of(r) == std::multiset<Hit>{{"protected.zip!open.txt", "us_ssn", ssn}});

    const ScanResult pdf = e.scan(docs::pdf_encrypted({{{"card " + p.card(), 72, 720}}}), "locked.pdf");
    CHECK(pdf.findings.empty());
    CHECK(has_diagnostic(pdf, "locked.pdf", DLPD_ERR_ENCRYPTED, "encrypted PDF (password-protected)"));

    const ScanResult odt = e.scan(docs::odt_encrypted(), "locked.odt");
    CHECK(odt.findings.empty());
    CHECK(has_diagnostic(odt, "locked.odt", DLPD_ERR_ENCRYPTED, "encrypted (password-protected) OpenDocument"));

    // Each is an unscanned part with its reason, for the policy and for
    // dlpd scan --fail-on-unscanned.
    for (const ScanResult *locked_one : {&r, &pdf, &odt}) {
        INFO(describe(*locked_one));
        const auto parts = unscanned_parts(*locked_one);
        REQUIRE_FALSE(parts.empty());
        for (const auto &part : parts) CHECK(part.reason == "encrypted");
    }
}

TEST_CASE("damaged archives and members are reported, and what can be read is scanned", "[hostile]") {
    Engine e;
    Planter p(5);
    const std::string ssn = p.ssn(), key = p.aws(), card = p.card();

    auto bad_crc = docs::deflated_member("bad-crc.txt", "ssn " + ssn);
    bad_crc.crc ^= 1;
    auto bad_data = docs::deflated_member("bad-data.txt", "x");
    bad_data.payload = std::string("\xff\xff\xff\xff", 4);
    auto wavpack = docs::stored_member("sound.wv", "wvpk");
    wavpack.method = 97;  // WavPack: no reader has it
    const std::string zip =
        docs::raw_zip({bad_crc, bad_data, wavpack, docs::deflated_member("fine.txt", "key " + key)});
    const ScanResult r = e.scan(zip, "damaged.zip");
    INFO(describe(r));
    CHECK(has_diagnostic(r, "damaged.zip", DLPD_ERR_CORRUPT_INPUT, "bad-crc.txt: checksum mismatch"));
    CHECK(has_diagnostic(r, "damaged.zip", DLPD_ERR_CORRUPT_INPUT, "bad-data.txt: the compressed data is invalid"));
    CHECK(has_diagnostic(r, "damaged.zip", DLPD_ERR_UNSUPPORTED, "sound.wv: compressed with a method that cannot be read"));
    CHECK(hits_of(r) ==
          std::multiset<Hit>{{"damaged.zip!bad-crc.txt", "us_ssn", ssn}, {"damaged.zip!fine.txt", "aws_key_id", key}});

    // Cut inside the central directory's end record: reported, and the
    // members are read front to back by their local headers.
    const ScanResult cut = e.scan(zip.substr(0, zip.size() - 10), "cut.zip");
    CHECK(has_diagnostic(cut, "cut.zip", DLPD_ERR_CORRUPT_INPUT, "no end-of-central-directory record"));

    // A docx whose document part is not well-formed: the text before the error counts.
    docs::Files parts = docs::docx_parts({});
    for (auto &[name, content] : parts)
        if (name == "word/document.xml")
            content = "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>card " + card + "</w:t></w:r></w:p><w:p>";
    const ScanResult broken = e.scan(docs::poco_zip(parts), "broken.docx");
    CHECK(has_diagnostic(broken, "broken.docx", DLPD_ERR_CORRUPT_INPUT, "word/document.xml: not well-formed XML"));
    CHECK(hits_of(broken) == std::multiset<Hit>{{"broken.docx", "card", card}});

    // A gzip cut short: the part that decompresses is scanned (all but the
    // last block libarchive's gzip filter was filling, up to 64 KiB).
    const std::string gz = docs::gzip("ssn " + ssn + "\n" + std::string(200000, 'x'));
    const ScanResult short_gz = e.scan(gz.substr(0, gz.size() - 30), "short.gz");
    CHECK(has_diagnostic(short_gz, "short.gz", DLPD_ERR_CORRUPT_INPUT, "gzip: the compressed data ends early"));
    CHECK(hits_of(short_gz) == std::multiset<Hit>{{"short.gz!short", "us_ssn", ssn}});
}

TEST_CASE("a document cannot read files through external entities", "[hostile]") {
    Engine e;
    Planter p(6);
    test::TempDir tmp;
    const std::string key = p.aws();
    const auto secret = tmp.write("secret.txt", "key " + key);
    const std::string card = p.card();
    docs::Files parts = docs::docx_parts({});
    for (auto &[name, content] : parts)
        if (name == "word/document.xml")
            content = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY xxe SYSTEM \"file://" + secret.string() +
                      "\">]><w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>card " + card +
                      " &xxe;</w:t></w:r></w:p></w:body></w:document>";
    const ScanResult xxe = e.scan(docs::poco_zip(parts), "xxe.docx");
    INFO(describe(xxe));
    CHECK(hits_of(xxe) == std::multiset<Hit>{{"xxe.docx", "card", card}});  // the key in the file stays out
}

TEST_CASE("an entity-expansion bomb stops at expat's amplification limit", "[hostile]") {
    // Driven below the host: the few MiB of "lol" the parser produces before
    // it stops are not worth a regex scan.
    std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY l0 \"lol lol lol lol lol lol lol lol lol lol\">";
    for (int i = 1; i <= 9; ++i) {
        laughs += "<!ENTITY l" + std::to_string(i) + " \"";
        for (int k = 0; k < 10; ++k) laughs += "&l" + std::to_string(i - 1) + ";";
        laughs += "\">";
    }
    laughs += "]><w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>";
    docs::Files parts = docs::docx_parts({});
    for (auto &[name, content] : parts)
        if (name == "word/document.xml") content = laughs;
    DirectRun run;
    CHECK(run.run(docs::poco_zip(parts), "laughs.docx") == DLPD_ERR_CORRUPT_INPUT);
    INFO(run.out.all_diagnostics());
    CHECK_THAT(run.out.all_diagnostics(),
               Catch::Contains("word/document.xml: not well-formed XML") && Catch::Contains("amplification"));
    // 10^9 "lol"s were asked for; a few MiB came out.
    CHECK(run.out.all_text().size() < (16u << 20));
}

TEST_CASE("a member that expands beyond max_compression_ratio is a bomb: skipped, the others scanned",
          "[hostile][limits]") {
    Engine e;
    Planter p(7);
    const std::string ssn = p.ssn();
    const std::string zip = docs::raw_zip(
        {docs::zero_bomb_member("zeros.bin", uint64_t{64} << 20), docs::deflated_member("after.txt", "ssn " + ssn)});
    const ScanResult r = e.scan(zip, "bomb.zip");
    INFO(describe(r));
    CHECK(has_diagnostic(r, "bomb.zip", DLPD_ERR_LIMIT, "zeros.bin: expands more than max_compression_ratio (250)"));
    CHECK(hits_of(r) == std::multiset<Hit>{{"bomb.zip!after.txt", "us_ssn", ssn}});

    const ScanResult gz = e.scan(docs::gzip_zero_bomb(uint64_t{64} << 20), "zeros.gz");
    CHECK(has_diagnostic(gz, "zeros.gz", DLPD_ERR_LIMIT, "expands more than max_compression_ratio (250)"));
}

TEST_CASE("a 1 GiB zip bomb costs dlpd scan neither 1 GiB of memory nor the time to inflate it",
          "[hostile][limits][memory]") {
    test::TempDir tmp;
    const auto pack = tmp.write("pack.yaml", kPack);
    // The honest bomb declares its size; the liar claims 4 KiB.
    const auto honest = tmp.write("bomb.zip", docs::raw_zip({docs::zero_bomb_member("zeros.bin", uint64_t{1} << 30)}));
    auto lying_member = docs::zero_bomb_member("zeros.bin", uint64_t{1} << 30);
    lying_member.size = 4096;
    const auto liar = tmp.write("liar.zip", docs::raw_zip({lying_member}));
    const auto gz = tmp.write("zeros.gz", docs::gzip_zero_bomb(uint64_t{1} << 30));
    const auto small = tmp.write("small.txt", "nothing here\n");
    REQUIRE(std::filesystem::file_size(liar) < (2u << 20));
    const std::string scan = test::dlpd_command() + " scan --patterns " + test::quote(pack.string()) + " ";

    const Measured baseline = run_measured(scan + test::quote(small.string()));
    REQUIRE(baseline.exit_code == 0);
    const Measured bombs = run_measured(scan + test::quote(honest.string()) + " " + test::quote(liar.string()) + " " +
                                        test::quote(gz.string()));
    INFO(bombs.err);
    CHECK(bombs.exit_code == 0);
    CHECK_THAT(bombs.err,
               Catch::Contains("bomb.zip: filetype: zeros.bin: its 1073741824 bytes would exceed what is left of "
                               "max_extracted_mb (128); not scanned") &&
                   Catch::Contains("liar.zip: filetype: zeros.bin: expands more than max_compression_ratio (250)") &&
                   Catch::Contains("zeros.gz: filetype: expands more than max_compression_ratio (250)"));
    // Inflating any of them would take over 1 GiB; the limits stop each within a few MiB.
    CHECK(bombs.max_rss_kib - baseline.max_rss_kib < 64 * 1024);

    // Without the ratio limit the extraction budget (here 32 MiB) stops the liar instead.
    const Measured budget = run_measured(scan +
                                         "--set filetype.max_compression_ratio=1000000 "
                                         "--set filetype.max_extracted_mb=32 " +
                                         test::quote(liar.string()) + " " + test::quote(gz.string()));
    INFO(budget.err);
    CHECK_THAT(budget.err, Catch::Contains("liar.zip: filetype: zeros.bin: more than max_extracted_mb (32)") &&
                               Catch::Contains("zeros.gz: filetype: more than max_extracted_mb (32)"));
    CHECK(budget.max_rss_kib - baseline.max_rss_kib < 160 * 1024);
}

TEST_CASE("members beyond max_members are not read, and the limit is named", "[hostile][limits]") {
    Engine e({{"filetype", {{"max_members", {"3"}}}}});
    Planter p(8);
    docs::Files files;
    std::multiset<Hit> want;
    for (int i = 0; i < 10; ++i) {
        const std::string ssn = p.ssn();
        files.push_back({"m" + std::to_string(i) + ".txt", "ssn " + ssn});
        if (i < 3) want.insert({"many.zip!m" + std::to_string(i) + ".txt", "us_ssn", ssn});
    }
    const ScanResult r = e.scan(docs::poco_zip(files), "many.zip");
    INFO(describe(r));
    CHECK(hits_of(r) == want);
    CHECK(has_diagnostic(r, "many.zip", DLPD_ERR_LIMIT, "the archive has 10 members; only the first 3 (max_members)"));
}

TEST_CASE("containers nested deeper than max_depth are not opened", "[hostile][limits]") {
    Engine e;
    Planter p(9);
    const std::string shallow = p.ssn(), deep = p.ssn();
    std::string inner = docs::poco_zip({{"deep.txt", "ssn " + deep}});
    std::string path = "level7.zip";
    for (int level = 6; level >= 1; --level) {
        docs::Files files = {{"level" + std::to_string(level + 1) + ".zip", inner}};
        if (level == 1) files.push_back({"top.txt", "ssn " + shallow});
        inner = docs::poco_zip(files);
    }
    const ScanResult r = e.scan(inner, "level1.zip");
    INFO(describe(r));
    CHECK(hits_of(r) == std::multiset<Hit>{{"level1.zip!top.txt", "us_ssn", shallow}});
    CHECK(has_diagnostic(r, "level1.zip!level2.zip!level3.zip!level4.zip!level5.zip!level6.zip", DLPD_ERR_LIMIT,
                         "deeper than max_depth (5); not opened"));
}

TEST_CASE("the extraction budget ends that branch, and what came before is scanned", "[hostile][limits]") {
    Engine e({{"filetype", {{"max_extracted_mb", {"1"}}}}});
    Planter p(10);
    const std::string first = p.ssn(), last = p.ssn();
    std::string big = random_bytes(1536 << 10, 11);
    for (char &c : big) c = static_cast<char>('a' + static_cast<unsigned char>(c) % 26);
    const ScanResult r =
        e.scan(docs::poco_zip({{"a.txt", "ssn " + first}, {"big.txt", big}, {"z.txt", "ssn " + last}}), "budget.zip");
    INFO(describe(r));
    CHECK(has_diagnostic(r, "budget.zip", DLPD_ERR_LIMIT,
                         "big.txt: its 1572864 bytes would exceed what is left of max_extracted_mb (1)"));
    // The member that does not fit is skipped; the smaller ones around it are not.
    CHECK(hits_of(r) ==
          std::multiset<Hit>{{"budget.zip!a.txt", "us_ssn", first}, {"budget.zip!z.txt", "us_ssn", last}});

    // A member that lies about its size is stopped at the budget, and ends the archive.
    auto liar = docs::deflated_member("liar.txt", big);
    liar.size = 10;
    const ScanResult lie = e.scan(docs::raw_zip({docs::stored_member("a.txt", "ssn " + first), liar}), "liar.zip");
    CHECK(has_diagnostic(lie, "liar.zip", DLPD_ERR_LIMIT, "liar.txt: more than max_extracted_mb (1) extracted"));
    CHECK(hits_of(lie) == std::multiset<Hit>{{"liar.zip!a.txt", "us_ssn", first}});
}

TEST_CASE("the host's budget for a whole item spans its nested blobs", "[hostile][limits]") {
    EngineLimits limits;
    limits.max_extracted_bytes = 100 << 10;
    Engine e({}, limits);
    Planter p(12);
    const std::string first = p.ssn();
    const std::string filler(60 << 10, 'x');
    const std::string inner = docs::poco_zip({{"b.txt", filler + " ssn " + p.ssn()}});
    const ScanResult r =
        e.scan(docs::poco_zip({{"a.txt", "ssn " + first + " " + filler}, {"inner.zip", inner}}), "outer.zip");
    INFO(describe(r));
    CHECK(has_diagnostic(r, "outer.zip!inner.zip", DLPD_ERR_LIMIT, "more than max_extracted_bytes (102400)"));
    CHECK(hits_of(r) == std::multiset<Hit>{{"outer.zip!a.txt", "us_ssn", first}});
}

TEST_CASE("time limits: the plugin's max_seconds and the host's deadline end the extraction", "[hostile][limits]") {
    docs::Files files;
    for (int i = 0; i < 20; ++i) files.push_back({"m" + std::to_string(i) + ".txt", "member " + std::to_string(i)});
    const std::string zip = docs::poco_zip(files);
    {
        // Every look at the clock costs a second; the limit is five.
        DirectRun run;
        run.limits.max_nanoseconds = 5'000'000'000;
        run.tick = 1'000'000'000;
        CHECK(run.run(zip, "slow.zip") == DLPD_ERR_LIMIT);
        CHECK(run.out.blobs.size() < 20);
        CHECK_THAT(run.out.all_diagnostics(), Catch::Contains("time limit reached (max_seconds 5"));
    }
    {
        // The host's deadline has already passed.
        DirectRun run;
        CHECK(run.run(zip, "late.zip", 1) == DLPD_ERR_LIMIT);
        CHECK(run.out.blobs.empty());
        CHECK_THAT(run.out.all_diagnostics(), Catch::Contains("the host's deadline"));
    }
}

TEST_CASE("inputs the fuzzers found are kept and stay harmless", "[hostile][fuzz]") {
    Engine e;
    size_t files = 0;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(DLPD_TEST_FUZZ_REGRESSIONS)) {
        if (!entry.is_regular_file()) continue;
        const std::string data = test::slurp(entry.path());
        INFO(entry.path());
        for (const std::string name : {"regression.bin", "regression.zip", "regression.docx", "regression.pdf"})
            e.scan(data, name);  // must not crash, hang or throw
        ++files;
    }
    CHECK(files > 0);
}

TEST_CASE("dlpd scan --fail-on-unscanned fails a run that could not read a file, and says which and why",
          "[hostile][cli][unscannable]") {
    test::TempDir tmp;
    const auto pack = tmp.write("pack.yaml", kPack);
    Planter p(9);
    const auto locked = tmp.write("in/locked.pdf", docs::pdf_encrypted({{{"card " + p.card(), 72, 720}}}));
    const auto fine = tmp.write("in/fine.txt", "nothing here\n");
    const std::string scan = test::dlpd_command() + " scan --patterns " + test::quote(pack.string()) + " ";

    // Without the flag an unreadable file is a diagnostic, as before.
    const Measured plain = run_measured(scan + test::quote((tmp.path() / "in").string()));
    INFO(plain.err);
    CHECK(plain.exit_code == 0);
    CHECK_THAT(plain.err, Catch::Contains("locked.pdf: filetype: encrypted PDF (password-protected); not scanned "
                                          "[unscanned: encrypted]"));

    const Measured failing =
        run_measured(scan + "--fail-on-unscanned " + test::quote((tmp.path() / "in").string()));
    INFO(failing.err);
    CHECK(failing.exit_code == 3);
    CHECK_THAT(failing.err, Catch::Contains("1 part(s) not scanned: " + locked.string() + " (encrypted)"));

    // Findings still win: exit 1.
    tmp.write("in/card.txt", "card " + p.card() + "\n");
    CHECK(run_measured(scan + "--fail-on-unscanned " + test::quote((tmp.path() / "in").string())).exit_code == 1);

    // A readable file alone passes with the flag.
    CHECK(run_measured(scan + "--fail-on-unscanned " + test::quote(fine.string())).exit_code == 0);

    // JSON lines name the reason in a field of its own.
    const Measured jsonl = run_measured(scan + "--format jsonl " + test::quote(locked.string()));
    CHECK_THAT(jsonl.out, Catch::Contains("\"unscanned\":\"encrypted\""));
}
