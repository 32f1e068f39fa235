// filetype_bench: extraction throughput of the file-type extractor plugin on
// generated PDF, DOCX, XLSX and ZIP files, with poppler's own pdftotext
// (poppler-utils) run on the same PDFs in the same run as the reference.
// Single-threaded; MB = 10^6 bytes. See bench/README.md.
//
//   filetype_bench [--mb N] [--runs N] [--plugin-dir DIR] [--keep DIR]
//
// For each format, files of that format adding up to about N MB (default 20)
// are generated with the test document writers (tests/filetype), then the
// plugin's extract() is called on each through the C ABI, as the host does,
// with an emitter that counts what comes back. "in MB/s" is input bytes per
// second, "text MB/s" extracted bytes per second; the figure is the median
// of --runs timed passes after one warm-up pass. pdftotext runs once per
// file as a process (its start-up is part of its figure, and is also shown
// on its own: the same command on a one-page PDF).
#include <dlpd/plugin.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "document_writer.hpp"
#include "engine/plugin_instance.hpp"
#include "filetype_plugin_loader.hpp"
#include "engine/plugin_registry.hpp"

extern char **environ;

namespace {

namespace fs = std::filesystem;
namespace docs = dlpd::test::docs;
using Clock = std::chrono::steady_clock;

struct Options {
    double mb = 20;
    int runs = 3;
    std::vector<fs::path> plugin_dirs;
    fs::path keep;  // where the generated files go (default: a temporary folder, removed)
};

// Sentences of ordinary business prose, varied by a fixed PRNG so that
// compression behaves as it does on real documents.
class Prose {
public:
    explicit Prose(uint32_t seed) : rng_(seed) {}
    std::string line(size_t words) {
        static const char *kWords[] = {
            "the",      "quarterly", "report",   "shows",    "revenue",  "growth", "in",      "all",
            "regions",  "customer",  "accounts", "were",     "reviewed", "by",     "finance", "team",
            "before",   "closing",   "invoice",  "payment",  "terms",    "net",    "thirty",  "days",
            "contract", "renewal",   "pending",  "approval", "from",     "legal",  "north",   "south",
            "east",     "west",      "budget",   "forecast", "estimate", "total"};
        std::string s;
        for (size_t i = 0; i < words; ++i) {
            if (i) s += ' ';
            s += kWords[rng_() % (sizeof kWords / sizeof *kWords)];
        }
        if (rng_() % 10 == 0) s += " ref " + std::to_string(100000 + rng_() % 900000);
        return s;
    }
    uint32_t next() { return rng_(); }

private:
    std::mt19937 rng_;
};

struct Corpus {
    std::string format;
    std::vector<std::string> files;
    uint64_t bytes = 0;
};

Corpus make_pdfs(double mb, Prose &prose) {
    Corpus c{"PDF", {}, 0};
    while (c.bytes < mb * 1e6) {
        std::vector<docs::PdfPage> pages(20);
        for (auto &page : pages)
            for (int line = 0; line < 45; ++line) page.push_back({prose.line(12), 60, 740 - 15 * line});
        c.files.push_back(docs::pdf(pages));
        c.bytes += c.files.back().size();
    }
    return c;
}

Corpus make_docx(double mb, Prose &prose) {
    Corpus c{"DOCX", {}, 0};
    while (c.bytes < mb * 1e6) {
        docs::WordDocument d;
        for (int p = 0; p < 2000; ++p) d.body.push_back({prose.line(8), " ", prose.line(6)});
        c.files.push_back(docs::docx(d));
        c.bytes += c.files.back().size();
    }
    return c;
}

Corpus make_xlsx(double mb, Prose &prose) {
    Corpus c{"XLSX", {}, 0};
    while (c.bytes < mb * 1e6) {
        docs::Workbook book;
        for (int i = 0; i < 500; ++i) book.shared_strings.push_back(prose.line(3));
        std::vector<std::vector<std::string>> rows;
        for (int r = 0; r < 5000; ++r)
            rows.push_back({"s:" + std::to_string(prose.next() % 500), std::to_string(prose.next() % 100000),
                            "i:" + prose.line(2), std::to_string(prose.next() % 1000) + ".25"});
        book.sheets.push_back(rows);
        c.files.push_back(docs::xlsx(book));
        c.bytes += c.files.back().size();
    }
    return c;
}

Corpus make_zip(double mb, Prose &prose) {
    Corpus c{"ZIP", {}, 0};
    while (c.bytes < mb * 1e6) {
        docs::Files files;
        for (int f = 0; f < 50; ++f) {
            std::string text;
            for (int l = 0; l < 400; ++l) text += prose.line(10) + "\n";
            files.push_back({"export/part-" + std::to_string(f) + ".csv", text});
        }
        c.files.push_back(docs::poco_zip(files));
        c.bytes += c.files.back().size();
    }
    return c;
}

// Counts what the plugin hands back.
class Counter final : public dlpd::EmitterHandler {
public:
    int32_t on_text(const dlpd_text &t) override {
        text += t.text.size;
        return DLPD_OK;
    }
    int32_t on_blob(const dlpd_blob &b) override {
        blobs += b.data.size;
        return DLPD_OK;
    }
    int32_t on_diagnostic(const dlpd_diagnostic &) override {
        ++diagnostics;
        return DLPD_OK;
    }
    uint64_t text = 0, blobs = 0, diagnostics = 0;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Row {
    std::string what;
    size_t files = 0;
    double in_mb = 0, out_mb = 0, seconds = 0;
    std::string note;
};

void print_row(const Row &r) {
    std::printf("| %-26s | %5zu | %8.1f | %8.1f | %8.3f | %8.1f | %9.1f | %s |\n", r.what.c_str(), r.files, r.in_mb,
                r.out_mb, r.seconds, r.in_mb / r.seconds, r.out_mb / r.seconds, r.note.c_str());
    std::fflush(stdout);
}

Row measure_plugin(const dlpd::PluginInstance &instance, const Corpus &corpus, int runs) {
    const dlpd::LoadedPlugin &p = instance.plugin();
    uint64_t text = 0, blobs = 0, diagnostics = 0;
    auto pass = [&] {
        text = blobs = diagnostics = 0;
        const auto start = Clock::now();
        for (size_t i = 0; i < corpus.files.size(); ++i) {
            const std::string name = "bench-" + std::to_string(i) + "." + corpus.format;
            dlpd_request req{};
            req.struct_size = sizeof req;
            req.data = dlpd::to_dlpd_str(corpus.files[i]);
            req.name = dlpd::to_dlpd_str(name);
            Counter counter;
            p.extractor->extract(instance.raw(), &req, counter.table());
            text += counter.text;
            blobs += counter.blobs;
            diagnostics += counter.diagnostics;
        }
        return std::chrono::duration<double>(Clock::now() - start).count();
    };
    pass();  // warm-up
    std::vector<double> times;
    for (int r = 0; r < runs; ++r) times.push_back(pass());
    Row row{"filetype plugin: " + corpus.format,
            corpus.files.size(),
            corpus.bytes / 1e6,
            (text + blobs) / 1e6,
            median(times),
            ""};
    row.note = blobs > 0 ? "members handed back as blobs" : "text extracted";
    if (diagnostics > 0) row.note += "; " + std::to_string(diagnostics) + " diagnostics";
    return row;
}

int run_process(const std::vector<std::string> &argv) {
    std::vector<char *> args;
    for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    // Quiet: its output would mix with the report.
    posix_spawn_file_actions_t quiet;
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    const int rc = posix_spawnp(&pid, args[0], &quiet, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&quiet);
    if (rc != 0) return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// pdftotext on every file, one process each, text to a file (then measured).
std::optional<Row> measure_pdftotext(const std::vector<fs::path> &files, uint64_t bytes, int runs,
                                     const fs::path &dir) {
    const fs::path out = dir / "pdftotext.txt";
    if (run_process({"pdftotext", "-v"}) < 0) return std::nullopt;
    uint64_t text = 0;
    auto pass = [&] {
        text = 0;
        const auto start = Clock::now();
        for (const auto &f : files) {
            run_process({"pdftotext", "-q", "-enc", "UTF-8", f.string(), out.string()});
            std::error_code ec;
            text += fs::file_size(out, ec);
        }
        return std::chrono::duration<double>(Clock::now() - start).count();
    };
    pass();
    std::vector<double> times;
    for (int r = 0; r < runs; ++r) times.push_back(pass());
    return Row{"pdftotext (poppler-utils)",
               files.size(),
               bytes / 1e6,
               text / 1e6,
               median(times),
               "one process per file, start-up included"};
}

int usage(const char *argv0) {
    std::fprintf(stderr, "usage: %s [--mb N] [--runs N] [--plugin-dir DIR] [--keep DIR]\n", argv0);
    return 2;
}

}  // namespace

int main(int argc, char **argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) return usage(argv[0]);
        if (a == "--mb")
            o.mb = std::stod(argv[++i]);
        else if (a == "--runs")
            o.runs = std::max(1, std::stoi(argv[++i]));
        else if (a == "--plugin-dir")
            o.plugin_dirs.push_back(argv[++i]);
        else if (a == "--keep")
            o.keep = argv[++i];
        else
            return usage(argv[0]);
    }
    dlpd::PluginRegistry registry;
    auto instance = dlpd::bench::load_filetype_plugin(registry, o.plugin_dirs, "filetype_bench");
    if (!instance) return 2;

    Prose prose(20240601);
    std::vector<Corpus> corpora;
    std::fprintf(stderr, "generating about %.0f MB per format...\n", o.mb);
    corpora.push_back(make_pdfs(o.mb, prose));
    corpora.push_back(make_docx(o.mb, prose));
    corpora.push_back(make_xlsx(o.mb, prose));
    corpora.push_back(make_zip(o.mb, prose));

    std::printf("| what | files | in MB | out MB | seconds | in MB/s | out MB/s | note |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (const Corpus &c : corpora) print_row(measure_plugin(*instance, c, o.runs));

    // pdftotext on the same PDFs, from files.
    const bool temporary = o.keep.empty();
    const fs::path dir =
        temporary ? fs::temp_directory_path() / ("filetype-bench-" + std::to_string(getpid())) : o.keep;
    fs::create_directories(dir);
    std::vector<fs::path> pdfs;
    for (size_t i = 0; i < corpora[0].files.size(); ++i) {
        pdfs.push_back(dir / ("doc-" + std::to_string(i) + ".pdf"));
        std::ofstream(pdfs.back(), std::ios::binary) << corpora[0].files[i];
    }
    if (auto row = measure_pdftotext(pdfs, corpora[0].bytes, o.runs, dir)) {
        print_row(*row);
        const fs::path one = dir / "one-page.pdf";
        std::ofstream(one, std::ios::binary) << docs::pdf({{{"one line", 72, 720}}});
        if (auto startup = measure_pdftotext({one}, fs::file_size(one), o.runs, dir)) {
            startup->what = "pdftotext start-up";
            startup->note = "a one-page PDF: the per-process cost in the row above";
            print_row(*startup);
        }
    } else {
        std::printf("| pdftotext | - | - | - | - | - | - | not installed (apt-get install poppler-utils) |\n");
    }
    if (temporary) fs::remove_all(dir);
    return 0;
}
