// engine_bench: throughput of the dlpd scan engine against the original
// system's method (every regex tried one at a time on each message),
// ripgrep (single-pass regex scanning) and Hyperscan (multi-pattern
// matching), on the corpus of corpus_gen and the rule sets of rules_gen, all
// in one process, single-threaded. See bench/README.md.
//
//   engine_bench --corpus FILE --rules DIR [--sets LIST] [--runs N] [--max-seconds S]
//                [--plugin-dir DIR] [--variant SETTINGS]... [--variant-sets LIST] ...
//
// Per rule set, in this order (each engine is built, measured and freed
// before the next, so the RSS figures are those of one engine at a time):
//   dlpd engine      dlpd::PluginRegistry + dlpd::ScanEngine, set_rules from
//                    the YAML pack, engine.scan_text(message) per line; then over
//                    the corpus in pieces of --piece-mb cut at line ends
//   regex plugin     the same plugin called directly through the C ABI
//                    (dlpd_detector.scan on one instance): no host pipeline
//   RuleSet direct   dlpd::regex::RuleSet (the plugin's engine), no ABI
//   Hyperscan        hs_compile_multi, one block-mode database of all
//                    patterns: HS_FLAG_SINGLEMATCH per message, all matches
//                    for the buffers
//   naive            one re2::RE2 per pattern, RE2::PartialMatch of every
//                    pattern on each message (the original system's
//                    method); the buffers: each pattern's matches found one
//                    pattern at a time over 64 KiB blocks. Time-bounded.
//   ripgrep          rg -c -f NAME.rg.txt, whole process, minus the same
//                    command on a one-line file. Time-bounded.
#include <dlpd/plugin.h>
#include <fcntl.h>
#include <re2/re2.h>
#include <re2/set.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/engine_setup.hpp"
#include "engine/plugin_instance.hpp"
#include "engine/plugin_registry.hpp"
#include "engine/rule_pack.hpp"
#include "hyperscan_prefilter.hpp"
#include "rule_set.hpp"
#include "engine/scan_engine.hpp"

#ifdef DLPD_HAVE_HYPERSCAN
#include <hs.h>
#endif

#ifndef DLPD_BENCH_BUILD_TYPE
#define DLPD_BENCH_BUILD_TYPE "unknown"
#endif

extern char **environ;

namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Small helpers

double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
    if (v.empty()) return std::nan("");
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string group(uint64_t v) {
    const std::string digits = std::to_string(v);
    std::string s;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
        s.push_back(digits[i]);
    }
    return s;
}

std::string fixed(double v, int digits) {
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", digits, v);
    return b;
}

// 3 significant digits with k / M suffixes: 519 k, 3.84 M.
std::string rate_text(double v) {
    if (!std::isfinite(v)) return "n/a";
    auto sig = [](double x) { return x >= 100 ? fixed(x, 0) : x >= 10 ? fixed(x, 1) : fixed(x, 2); };
    if (v >= 1e6) return sig(v / 1e6) + " M";
    if (v >= 1e3) return sig(v / 1e3) + " k";
    return sig(v);
}

std::string mbps_text(double v) {
    if (!std::isfinite(v)) return "n/a";
    return v >= 100 ? group(static_cast<uint64_t>(std::llround(v))) : v >= 10 ? fixed(v, 1) : fixed(v, 2);
}

std::string ratio_text(double v) {
    if (!std::isfinite(v) || v <= 0) return "n/a";
    return (v >= 100 ? group(static_cast<uint64_t>(std::llround(v))) : v >= 10 ? fixed(v, 1) : fixed(v, 2)) + "×";
}

std::string seconds_text(double s) {
    if (!std::isfinite(s)) return "n/a";
    return s < 0.1 ? fixed(s * 1000, 1) + " ms" : fixed(s, 2) + " s";
}

std::vector<std::string> split(const std::string &s, char sep) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, sep);)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::string read_file(const fs::path &p) {
    std::ifstream f(p, std::ios::binary);
    if (!f) throw std::runtime_error("cannot read " + p.string());
    std::string s;
    f.seekg(0, std::ios::end);
    s.resize(static_cast<size_t>(f.tellg()));
    f.seekg(0);
    f.read(s.data(), static_cast<std::streamsize>(s.size()));
    return s;
}

// Kilobytes from /proc/self/status (VmRSS, VmHWM).
long proc_status_kb(const char *key) {
    std::ifstream f("/proc/self/status");
    std::string line;
    const size_t n = std::strlen(key);
    while (std::getline(f, line))
        if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':') return std::atol(line.c_str() + n + 1);
    return -1;
}

std::string rss_text() {
    return "RSS " + group(static_cast<uint64_t>(proc_status_kb("VmRSS") / 1024)) + " MB, peak " +
           group(static_cast<uint64_t>(proc_status_kb("VmHWM") / 1024)) + " MB";
}

std::string first_line_of(const fs::path &p) {
    std::ifstream f(p);
    std::string line;
    std::getline(f, line);
    return line;
}

// ---------------------------------------------------------------------------
// Options

struct Options {
    fs::path corpus;
    fs::path truth;
    fs::path rules_dir;
    std::vector<fs::path> plugin_dirs;
    std::vector<std::string> sets = {"syn10", "syn100", "syn1000", "syn10000", "realistic", "starter"};
    int runs = 5;
    double max_seconds = 10;
    double guard_seconds = 20;
    size_t piece_bytes = size_t{8} << 20;
    std::vector<std::string> variants;
    std::vector<std::string> variant_sets = {"realistic"};
    std::string rg = "rg";
    bool hyperscan = true, naive = true, ripgrep = true;
};

[[noreturn]] void usage(const std::string &why) {
    std::fprintf(stderr,
                 "%s\n"
                 "usage: engine_bench --corpus FILE --rules DIR [options]\n"
                 "  --corpus FILE        the corpus (one message per line), from corpus_gen\n"
                 "  --truth FILE         planted items (default CORPUS.truth when it exists)\n"
                 "  --rules DIR          rule sets from rules_gen (NAME.yaml, NAME.txt, NAME.rg.txt)\n"
                 "  --sets LIST          default syn10,syn100,syn1000,syn10000,realistic,starter\n"
                 "  --runs N             timed runs after the cold one, median reported (default 5)\n"
                 "  --max-seconds S      time budget of each slow baseline (naive, rg) per set and mode\n"
                 "                       (default 10); they run on a prefix of the corpus that fits it\n"
                 "  --guard-seconds S    a fast engine's cold pass that takes longer stops there and\n"
                 "                       the runs use that sample (default 20)\n"
                 "  --piece-mb N         buffer mode: corpus in pieces of N MiB cut at line ends (default 8)\n"
                 "  --plugin-dir DIR     where the plugins are (default: the build's lib/dlpd/plugins)\n"
                 "  --variant SETTINGS   also measure the engine with these regex plugin settings,\n"
                 "                       e.g. max_mem_mb=1024,chunk_bytes=65536 (repeatable); rules=bare:\n"
                 "                       the rules without validators, context words, allow patterns\n"
                 "  --variant-sets LIST  the sets the variants run on (default realistic)\n"
                 "  --rg PATH            ripgrep executable (default rg)\n"
                 "  --no-naive, --no-rg, --no-hyperscan   leave a baseline out\n",
                 why.c_str());
    std::exit(2);
}

Options parse(int argc, char **argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage("missing value for " + a);
            return argv[++i];
        };
        if (a == "--corpus")
            o.corpus = value();
        else if (a == "--truth")
            o.truth = value();
        else if (a == "--rules")
            o.rules_dir = value();
        else if (a == "--sets")
            o.sets = split(value(), ',');
        else if (a == "--runs")
            o.runs = std::max(1, std::atoi(value().c_str()));
        else if (a == "--max-seconds")
            o.max_seconds = std::atof(value().c_str());
        else if (a == "--guard-seconds")
            o.guard_seconds = std::atof(value().c_str());
        else if (a == "--piece-mb")
            o.piece_bytes = static_cast<size_t>(std::atof(value().c_str()) * (1 << 20));
        else if (a == "--plugin-dir")
            o.plugin_dirs.push_back(value());
        else if (a == "--variant")
            o.variants.push_back(value());
        else if (a == "--variant-sets")
            o.variant_sets = split(value(), ',');
        else if (a == "--rg")
            o.rg = value();
        else if (a == "--no-naive")
            o.naive = false;
        else if (a == "--no-rg")
            o.ripgrep = false;
        else if (a == "--no-hyperscan")
            o.hyperscan = false;
        else if (a == "-h" || a == "--help")
            usage("engine_bench: throughput of the dlpd engine and its baselines");
        else
            usage("unknown argument " + a);
    }
    if (o.corpus.empty() || o.rules_dir.empty()) usage("--corpus and --rules are required");
    if (o.truth.empty() && fs::exists(o.corpus.string() + ".truth")) o.truth = o.corpus.string() + ".truth";
    if (o.piece_bytes < 4096) usage("--piece-mb is too small");
    if (o.max_seconds <= 0) usage("--max-seconds must be positive");
    return o;
}

// ---------------------------------------------------------------------------
// The corpus

struct Corpus {
    std::string data;
    std::vector<std::string_view> lines;                  // messages, without their '\n'
    std::vector<std::string_view> pieces;                 // buffer mode: about piece_bytes each, cut after a '\n'
    std::vector<std::string_view> blocks;                 // 64 KiB pieces, for the naive buffer baseline
    std::vector<std::pair<uint64_t, std::string>> truth;  // (0-based line, kind)

    static std::vector<std::string_view> cut(std::string_view all, size_t size) {
        std::vector<std::string_view> out;
        size_t pos = 0;
        while (pos < all.size()) {
            size_t end = std::min(all.size(), pos + size);
            if (end < all.size()) {
                const size_t nl = all.rfind('\n', end - 1);
                if (nl != std::string_view::npos && nl >= pos) end = nl + 1;
            }
            out.push_back(all.substr(pos, end - pos));
            pos = end;
        }
        return out;
    }

    void load(const Options &o) {
        data = read_file(o.corpus);
        std::string_view all(data);
        size_t pos = 0;
        while (pos < all.size()) {
            size_t nl = all.find('\n', pos);
            if (nl == std::string_view::npos) nl = all.size();
            lines.push_back(all.substr(pos, nl - pos));
            pos = nl + 1;
        }
        pieces = cut(all, o.piece_bytes);
        blocks = cut(all, 64 << 10);
        if (!o.truth.empty()) {
            std::ifstream f(o.truth);
            std::string line;
            while (std::getline(f, line)) {
                const auto parts = split(line, '\t');
                if (parts.size() >= 2) truth.emplace_back(std::strtoull(parts[0].c_str(), nullptr, 10) - 1, parts[1]);
            }
        }
    }

    // Bytes in the first n pieces of a list (whole lines, with their '\n').
    static uint64_t bytes_of(const std::vector<std::string_view> &list, size_t n) {
        uint64_t b = 0;
        for (size_t i = 0; i < n && i < list.size(); ++i) b += list[i].size();
        return b;
    }
    uint64_t bytes_of_lines(size_t n) const {
        if (n >= lines.size()) return data.size();
        return static_cast<uint64_t>(lines[n].data() - data.data());
    }
};

// ---------------------------------------------------------------------------
// Measuring

// A cold pass (the first after compiling; it may stop at a deadline, and
// the timed runs then use the same sample), then `runs` timed passes.
struct Measured {
    size_t units = 0;  // messages (per-message mode) or pieces (buffer mode) of each run
    size_t total = 0;
    double cold_s = std::nan("");
    std::vector<double> run_s;
    double median_s() const { return median(run_s); }
    bool sampled() const { return units < total; }
};

// pass(max_units, deadline_seconds) -> units done.
Measured measure(size_t total, int runs, double cold_deadline, int runs_if_sampled,
                 const std::function<size_t(size_t, double)> &pass) {
    Measured m;
    m.total = total;
    double t0 = now();
    m.units = pass(total, cold_deadline);
    m.cold_s = now() - t0;
    if (m.units < total) runs = std::min(runs, runs_if_sampled);
    for (int r = 0; r < runs; ++r) {
        t0 = now();
        pass(m.units, std::numeric_limits<double>::infinity());
        m.run_s.push_back(now() - t0);
    }
    return m;
}

volatile uint64_t g_sink = 0;

// Fast engines whose cold pass hit --guard-seconds get this many runs.
constexpr int kGuarded = 2;

// A loop over units that looks at the clock every (mask + 1) units.
template <class Body>
size_t loop(size_t n, double budget, size_t mask, Body &&body) {
    const double t0 = now();
    for (size_t i = 0; i < n; ++i) {
        body(i);
        if ((i & mask) == mask && now() - t0 > budget) return i + 1;
    }
    return n;
}

// One measured engine in one mode.
struct Row {
    std::string engine;
    double cold = std::nan("");  // messages/s or MB/s
    double rate = std::nan("");  // median of the timed runs
    std::string note;
    bool present = false;
};

struct SetReport {
    std::string name;
    size_t rules = 0;
    std::map<std::string, Row> msg;  // by engine key
    std::map<std::string, Row> buf;
    std::vector<std::pair<std::string, Row>> variant_msg, variant_buf;
    std::map<std::string, std::string> compile;  // by column
    std::vector<std::string> checks;
    std::vector<std::string> recall;  // markdown rows, realistic only
};

Row msg_row(const std::string &engine, const Measured &m, const Corpus &c) {
    Row r;
    r.engine = engine;
    r.present = true;
    const double cold_units = m.units;  // the cold pass covered what the runs cover
    r.cold = cold_units / m.cold_s;
    r.rate = static_cast<double>(m.units) / m.median_s();
    if (m.sampled()) r.note = "first " + group(m.units) + " of " + group(c.lines.size()) + " messages";
    return r;
}

Row buf_row(const std::string &engine, const Measured &m, const std::vector<std::string_view> &list, const Corpus &c) {
    Row r;
    r.engine = engine;
    r.present = true;
    const double mb = static_cast<double>(Corpus::bytes_of(list, m.units)) / 1e6;
    r.cold = mb / m.cold_s;
    r.rate = mb / m.median_s();
    if (m.sampled())
        r.note = "first " + fixed(mb, mb < 10 ? 2 : 0) + " MB of " +
                 fixed(static_cast<double>(c.data.size()) / 1e6, 0) + " MB";
    return r;
}

void print_row(const char *mode, const Row &r, bool mbps) {
    auto f = [&](double v) {
        if (!std::isfinite(v)) return std::string("n/a");
        return mbps ? mbps_text(v) + " MB/s" : rate_text(v) + " msgs/s";
    };
    std::printf("  %-6s %-34s cold %-16s median %-16s %s\n", mode, r.engine.c_str(), f(r.cold).c_str(),
                f(r.rate).c_str(), r.note.c_str());
    std::fflush(stdout);
}

// Per-line results of a per-message pass: (line, rule) pairs per line.
struct LineHits {
    std::vector<uint16_t> pairs;
    uint64_t findings = 0;
    void reset(size_t n) {
        pairs.assign(n, 0);
        findings = 0;
    }
    uint64_t lines_hit(size_t n) const {
        uint64_t k = 0;
        for (size_t i = 0; i < n && i < pairs.size(); ++i) k += pairs[i] != 0;
        return k;
    }
    uint64_t pair_count(size_t n) const {
        uint64_t k = 0;
        for (size_t i = 0; i < n && i < pairs.size(); ++i) k += pairs[i];
        return k;
    }
};

uint16_t distinct(std::vector<std::string_view> &names) {
    std::sort(names.begin(), names.end());
    return static_cast<uint16_t>(std::unique(names.begin(), names.end()) - names.begin());
}

// ---------------------------------------------------------------------------
// The regex plugin through the ABI, without the host pipeline

class CountingEmitter : public dlpd::EmitterHandler {
public:
    int32_t on_finding(const dlpd_finding &f) override {
        ++findings;
        if (collect) names.push_back(dlpd::view(f.rule));
        return DLPD_OK;
    }
    int32_t on_diagnostic(const dlpd_diagnostic &d) override {
        ++diagnostics;
        if (first_diagnostic.empty()) first_diagnostic = std::string(dlpd::view(d.message));
        return DLPD_OK;
    }
    uint64_t findings = 0;
    uint64_t diagnostics = 0;
    std::string first_diagnostic;
    bool collect = false;
    std::vector<std::string_view> names;
};

class CountingSink : public dlpd::regex::MatchSink {
public:
    bool on_match(const dlpd::regex::Match &m) override {
        ++matches;
        if (collect) rules.push_back(m.rule_index);
        return true;
    }
    uint64_t matches = 0;
    bool collect = false;
    std::vector<uint32_t> rules;
};

// ---------------------------------------------------------------------------
// Processes (ripgrep)

struct ProcResult {
    double seconds = 0;
    int exit_code = -1;
    long maxrss_kb = 0;
};

ProcResult run_process(const std::vector<std::string> &args, const std::string &out_path, const std::string &err_path) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char *> argv;
    for (const auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    ProcResult r;
    pid_t pid = 0;
    const double t0 = now();
    const int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        r.exit_code = 127;
        return r;
    }
    int status = 0;
    struct rusage ru {};
    wait4(pid, &status, 0, &ru);
    r.seconds = now() - t0;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.maxrss_kb = ru.ru_maxrss;
    return r;
}

std::string shell_quote(const std::string &s) {
    if (s.find_first_of(" '\"\\$`*?") == std::string::npos) return s;
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string command_text(const std::vector<std::string> &args) {
    std::string out;
    for (const auto &a : args) out += (out.empty() ? "" : " ") + shell_quote(a);
    return out;
}

// ---------------------------------------------------------------------------
// The benchmark

// The regex plugin builds its Hyperscan prefilter in the background after
// set_rules and logs when it is ready (or why it is not). Measurements wait
// for that, so they time the steady state a running dlpd reaches.
class PrefilterWatch {
public:
    void install() {
        dlpd::set_log_sink([this](dlpd::LogLevel level, std::string_view component, std::string_view message) {
            std::lock_guard lock(mutex_);
            if (message.find("Hyperscan prefilter ready") != std::string_view::npos ||
                message.find("Hyperscan prefilter built but not used") != std::string_view::npos ||
                message.find("no Hyperscan prefilter") != std::string_view::npos) {
                ++events_;
                last_ = std::string(message);
                cv_.notify_all();
                return;
            }
            if (level >= dlpd::LogLevel::warning)
                std::fprintf(stderr, "dlpd: %.*s: %.*s\n", static_cast<int>(component.size()), component.data(),
                             static_cast<int>(message.size()), message.data());
        });
    }
    uint64_t events() {
        std::lock_guard lock(mutex_);
        return events_;
    }
    // Waits for the next event after `before`; returns its message, or
    // nothing after max_seconds.
    std::optional<std::string> wait_after(uint64_t before, double max_seconds) {
        std::unique_lock lock(mutex_);
        if (!cv_.wait_for(lock, std::chrono::duration<double>(max_seconds), [&] { return events_ > before; }))
            return std::nullopt;
        return last_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    uint64_t events_ = 0;
    std::string last_;
};

PrefilterWatch &prefilter_watch() {
    static PrefilterWatch watch;
    return watch;
}

// After set_rules: when the plugin will build a prefilter, wait for it and
// print how long it took.
void await_prefilter(uint64_t before, bool expected, const std::string &label) {
    if (!expected) return;
    const double t0 = now();
    auto message = prefilter_watch().wait_after(before, 600);
    if (!message) {
        std::printf("  %-41s prefilter not ready after 600 s; measuring without it\n", label.c_str());
        return;
    }
    const bool ready = message->find("prefilter ready") != std::string::npos;
    std::printf("  %-41s %s after %s more\n", label.c_str(), ready ? "Hyperscan prefilter in use" : "no prefilter in use",
                seconds_text(now() - t0).c_str());
    std::printf("      plugin: %s\n", message->c_str());
}

class Bench {
public:
    explicit Bench(Options o) : o_(std::move(o)) {}

    int run() {
        print_header();
        corpus_.load(o_);
        std::printf(
            "corpus: %s, %s bytes, %s messages (mean %.1f bytes), %s planted items; buffer mode: %zu pieces of "
            "up to %zu MiB\n\n",
            o_.corpus.c_str(), group(corpus_.data.size()).c_str(), group(corpus_.lines.size()).c_str(),
            static_cast<double>(corpus_.data.size()) / static_cast<double>(corpus_.lines.size()),
            group(corpus_.truth.size()).c_str(), corpus_.pieces.size(), o_.piece_bytes >> 20);

        if (o_.plugin_dirs.empty()) o_.plugin_dirs = dlpd::default_plugin_dirs();
        for (const auto &d : o_.plugin_dirs) registry_.load_directory(d);
        regex_plugin_ = registry_.find_by_name("regex");
        if (regex_plugin_ == nullptr) {
            std::fprintf(stderr, "engine_bench: the regex plugin is not in");
            for (const auto &d : o_.plugin_dirs) std::fprintf(stderr, " %s", d.c_str());
            std::fprintf(stderr, "\n");
            return 2;
        }
        std::printf("plugins:");
        for (const auto &p : registry_.loaded())
            std::printf(" %s %s (%s)", p->name.c_str(), p->version.c_str(), p->file.c_str());
        std::printf("\n\n");

        char tmpl[] = "/tmp/dlpd-bench-XXXXXX";
        if (mkdtemp(tmpl) == nullptr) {
            std::perror("mkdtemp");
            return 2;
        }
        tmp_ = tmpl;

        for (const auto &set : o_.sets) {
            try {
                run_set(set);
            } catch (const std::exception &e) {
                std::printf("set %s: skipped: %s\n\n", set.c_str(), e.what());
            }
        }
        print_summary();
        std::error_code ec;
        fs::remove_all(tmp_, ec);
        return 0;
    }

private:
    void print_header() {
        struct utsname u {};
        uname(&u);
        std::string cpu = "?";
        {
            std::ifstream f("/proc/cpuinfo");
            std::string line;
            std::string flags;
            while (std::getline(f, line)) {
                if (line.rfind("model name", 0) == 0 && cpu == "?") cpu = line.substr(line.find(':') + 2);
                if (line.rfind("flags", 0) == 0 && flags.empty()) flags = line + " ";
            }
            for (const char *flag : {"avx2", "avx512f", "avx512bw"})
                if (flags.find(std::string(" ") + flag + " ") != std::string::npos) cpu += std::string(" ") + flag;
        }
        std::printf("# engine_bench\n\n");
        std::printf("machine: %s, %ld online CPUs, %s GiB RAM, %s %s; load average at start: %s\n", cpu.c_str(),
                    sysconf(_SC_NPROCESSORS_ONLN),
                    fixed(static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGESIZE)) /
                              (1024.0 * 1024 * 1024),
                          1)
                        .c_str(),
                    u.sysname, u.release, first_line_of("/proc/loadavg").c_str());
        std::printf("build: %s, compiler %s; single thread; MB = 10^6 bytes\n", DLPD_BENCH_BUILD_TYPE, __VERSION__);
#ifdef DLPD_HAVE_HYPERSCAN
        std::printf("Hyperscan %s\n", hs_version());
#else
        std::printf("Hyperscan: not built in (pkg-config libhs was not found when this was configured)\n");
        o_.hyperscan = false;
#endif
        if (o_.ripgrep) {
            const std::string out = (fs::temp_directory_path() / "dlpd-bench-rg-version").string();
            ProcResult r = run_process({o_.rg, "--version"}, out, "/dev/null");
            if (r.exit_code != 0) {
                std::printf("ripgrep: '%s' does not run; no rg column\n", o_.rg.c_str());
                o_.ripgrep = false;
            } else {
                std::printf("%s\n", first_line_of(out).c_str());
            }
            fs::remove(out);
        }
        std::printf(
            "runs: cold pass + median of %d (slow baselines: cold + median of %d, within --max-seconds %g "
            "per set and mode)\n",
            o_.runs, slow_runs(), o_.max_seconds);
    }

    int slow_runs() const {
        return std::min(o_.runs, 3);
    }

    void run_set(const std::string &set) {
        const fs::path yaml = o_.rules_dir / (set + ".yaml");
        const fs::path plain = o_.rules_dir / (set + ".txt");
        const fs::path rg_patterns = o_.rules_dir / (set + ".rg.txt");
        // dlpd's own reader: includes resolved, enable/disable applied, and
        // the pack's value allowlist, which the engine rows install as dlpd does.
        const dlpd::RulePack pack = dlpd::load_pack(yaml);
        const std::vector<dlpd::Rule> &rules = pack.rules;
        allowlist_values_ = pack.allowlist;
        std::vector<std::string> patterns;
        {
            std::ifstream f(plain);
            if (!f) throw std::runtime_error("cannot read " + plain.string());
            for (std::string line; std::getline(f, line);)
                if (!line.empty()) patterns.push_back(line);
        }
        SetReport rep;
        rep.name = set;
        rep.rules = patterns.size();
        size_t with_validators = 0, with_context = 0, with_allow = 0;
        for (const auto &r : rules)
            if (r.enabled) {
                with_validators += !r.validators.empty();
                with_context += !r.context.empty();
                with_allow += !r.allow.empty();
            }
        std::printf("## set %s: %zu rules in %s (%zu enabled regex patterns; enabled rules with validators %zu, "
                    "context words %zu, allow patterns %zu; %zu allowlist values)\n\n",
                    set.c_str(), rules.size(), yaml.c_str(), patterns.size(), with_validators, with_context, with_allow,
                    allowlist_values_.size());

        LineHits engine_hits, plugin_hits;
        engine_hits.reset(corpus_.lines.size());
        plugin_hits.reset(corpus_.lines.size());
        uint64_t engine_buf_findings = 0, plugin_buf_findings = 0;

        engine_modes(rep, rules, {}, "dlpd engine", &engine_hits, &engine_buf_findings);
        if (std::find(o_.variant_sets.begin(), o_.variant_sets.end(), set) != o_.variant_sets.end())
            for (const auto &v : o_.variants) engine_modes(rep, rules, v, "dlpd engine [" + v + "]", nullptr, nullptr);
        plugin_modes(rep, rules, plugin_hits, plugin_buf_findings);
        ruleset_modes(rep, rules);
        set_only_modes(rep, rules);

        std::vector<std::string> checks;
        auto line = [&](const std::string &s) { checks.push_back(s); };
        const size_t n = corpus_.lines.size();
        line("dlpd engine (after validators): lines hit " + group(engine_hits.lines_hit(n)) + ", (line, rule) pairs " +
             group(engine_hits.pair_count(n)) + ", findings " + group(engine_hits.findings) +
             "; buffer mode findings " + group(engine_buf_findings));
        line("regex plugin (before validators): lines hit " + group(plugin_hits.lines_hit(n)) + ", pairs " +
             group(plugin_hits.pair_count(n)) + ", findings " + group(plugin_hits.findings) +
             "; buffer mode findings " + group(plugin_buf_findings));
        if (o_.hyperscan) hyperscan_modes(rep, patterns, plugin_hits, line);
        if (o_.naive) naive_modes(rep, patterns, plugin_hits, line);
        if (o_.ripgrep) ripgrep_mode(rep, rg_patterns, patterns.size(), plugin_hits, line);
        std::printf("\ncross-check, %s:\n", set.c_str());
        for (const auto &c : checks) std::printf("  %s\n", c.c_str());
        rep.checks = checks;

        if (!corpus_.truth.empty() && engine_hits.findings > 0) recall(rep, engine_hits, plugin_hits);
        std::printf("\n  after set %s: %s\n\n", set.c_str(), rss_text().c_str());
        reports_.push_back(std::move(rep));
    }

    // The real path: registry, ScanEngine, set_rules, scan per message and
    // per piece.
    void engine_modes(SetReport &rep, const std::vector<dlpd::Rule> &rules, const std::string &variant,
                      const std::string &label, LineHits *hits, uint64_t *buf_findings) {
        std::map<std::string, dlpd::PluginSettings> settings;
        // `rules=bare` is not a plugin setting: the same rules without their
        // validators, context words and allow patterns (and no value
        // allowlist), to see what issue 13's confirmation steps cost.
        bool bare = false;
        if (!variant.empty()) {
            dlpd::PluginSettings s;
            for (const auto &kv : split(variant, ',')) {
                const size_t eq = kv.find('=');
                if (eq == std::string::npos) throw std::runtime_error("--variant: expected key=value, got " + kv);
                if (kv == "rules=bare") {
                    bare = true;
                    continue;
                }
                s[kv.substr(0, eq)] = {kv.substr(eq + 1)};
            }
            if (!s.empty()) settings["regex"] = s;
        }
        std::vector<dlpd::Rule> bare_rules;
        if (bare) {
            bare_rules = rules;
            for (auto &r : bare_rules) {
                r.validators.clear();
                r.context.clear();
                r.context_required = false;
                r.allow.clear();
            }
        }
        const std::vector<dlpd::Rule> &installed = bare ? bare_rules : rules;
        dlpd::EngineLimits limits;
        limits.max_findings_per_item = std::numeric_limits<uint64_t>::max();
        dlpd::ScanEngine engine(registry_, settings, limits);
        for (const auto &p : engine.startup_problems()) throw std::runtime_error(label + ": " + p);
        if (!allowlist_values_.empty() && !bare) {
            // As dlpd's engine set-up does with the pack's `allowlist:`.
            auto allowlist = std::make_shared<dlpd::ValueAllowlist>();
            allowlist->add_values(allowlist_values_);
            engine.set_value_allowlist(std::move(allowlist));
        }
        const bool expect_prefilter = dlpd::regex::hyperscan_available() && variant.find("prefilter=none") == std::string::npos;
        const uint64_t events_before = prefilter_watch().events();
        double t0 = now();
        const auto problems = engine.set_rules(installed);
        const double compile_s = now() - t0;
        if (!problems.empty()) {
            std::string msg = label + ": set_rules refused the pack:";
            for (size_t i = 0; i < problems.size() && i < 5; ++i) msg += "\n    " + dlpd::describe(problems[i]);
            std::printf("  %s\n", msg.c_str());
            return;
        }
        std::printf("  %-41s set_rules %s\n", label.c_str(), seconds_text(compile_s).c_str());
        await_prefilter(events_before, expect_prefilter, label);
        if (variant.empty()) rep.compile["dlpd"] = seconds_text(compile_s);

        const std::string_view name = "C0123ABCD/1712345678.000100";
        uint64_t diagnostics = 0;
        int pass = 0;
        std::vector<std::string_view> names;
        Measured mm = measure(corpus_.lines.size(), o_.runs, o_.guard_seconds, kGuarded, [&](size_t n, double budget) {
            const bool record = pass++ == 0 && hits != nullptr;
            uint64_t findings = 0;
            const size_t done = loop(n, budget, 1023, [&](size_t i) {
                dlpd::ScanResult r = engine.scan_text(corpus_.lines[i], name);
                findings += r.findings.size();
                diagnostics += r.diagnostics.size();
                if (record && !r.findings.empty()) {
                    names.clear();
                    for (const auto &f : r.findings) names.push_back(f.rule);
                    hits->pairs[i] = distinct(names);
                }
            });
            if (record) hits->findings = findings;
            return done;
        });
        Row r = msg_row(label, mm, corpus_);
        print_row("msg", r, false);
        if (variant.empty())
            rep.msg["engine"] = r;
        else
            rep.variant_msg.emplace_back(variant, r);

        pass = 0;
        Measured mb = measure(corpus_.pieces.size(), o_.runs, o_.guard_seconds, kGuarded, [&](size_t n, double budget) {
            const bool record = pass++ == 0 && buf_findings != nullptr;
            uint64_t findings = 0;
            const size_t done = loop(n, budget, 0, [&](size_t i) {
                dlpd::ScanResult res = engine.scan(corpus_.pieces[i], "corpus");
                findings += res.findings.size();
                diagnostics += res.diagnostics.size();
            });
            if (record) *buf_findings = findings;
            return done;
        });
        Row b = buf_row(label, mb, corpus_.pieces, corpus_);
        b.note = (b.note.empty() ? "" : b.note + "; ") + "cold = first buffer pass, after the message passes";
        print_row("buffer", b, true);
        if (variant.empty())
            rep.buf["engine"] = b;
        else
            rep.variant_buf.emplace_back(variant, b);
        if (diagnostics)
            std::printf("  %s: %s diagnostics during the scans\n", label.c_str(), group(diagnostics).c_str());
        std::printf("  %s: %s\n", label.c_str(), rss_text().c_str());
    }

    // The regex plugin alone, through the C ABI.
    void plugin_modes(SetReport &rep, const std::vector<dlpd::Rule> &rules, LineHits &hits, uint64_t &buf_findings) {
        std::string error;
        auto instance = dlpd::PluginInstance::create(*regex_plugin_, {}, error);
        if (!instance) throw std::runtime_error("regex plugin: " + error);
        const dlpd_detector *det = regex_plugin_->detector;
        std::vector<dlpd_rule> storage;
        for (const auto &r : rules)
            if (r.enabled && r.detector == "regex")
                storage.push_back(
                    dlpd_rule{sizeof(dlpd_rule), 0, dlpd::to_dlpd_str(r.name), dlpd::to_dlpd_str(r.regex)});
        std::vector<const dlpd_rule *> pointers;
        for (const auto &r : storage) pointers.push_back(&r);
        dlpd::DiagnosticCollector diags;
        const uint64_t events_before = prefilter_watch().events();
        double t0 = now();
        const int32_t status = det->set_rules(instance->raw(), pointers.data(), pointers.size(), diags.table());
        const double compile_s = now() - t0;
        if (status != DLPD_OK) {
            std::printf("  regex plugin: set_rules failed (%s)%s%s\n", dlpd::status_name(status).c_str(),
                        diags.messages.empty() ? "" : ": ",
                        diags.messages.empty() ? "" : diags.messages[0].message.c_str());
            return;
        }
        std::printf("  %-41s set_rules %s\n", "regex plugin (C ABI)", seconds_text(compile_s).c_str());
        await_prefilter(events_before, dlpd::regex::hyperscan_available() && !pointers.empty(), "regex plugin (C ABI)");

        CountingEmitter out;
        dlpd_request req{};
        req.struct_size = sizeof req;
        req.name = dlpd::to_dlpd_str("C0123ABCD/1712345678.000100");
        int pass = 0;
        Measured mm = measure(corpus_.lines.size(), o_.runs, o_.guard_seconds, kGuarded, [&](size_t n, double budget) {
            const bool record = pass++ == 0;
            out.collect = record;
            const uint64_t before = out.findings;
            const size_t done = loop(n, budget, 1023, [&](size_t i) {
                req.data = dlpd::to_dlpd_str(corpus_.lines[i]);
                const uint64_t f0 = out.findings;
                det->scan(instance->raw(), &req, out.table());
                if (record && out.findings != f0) {
                    hits.pairs[i] = distinct(out.names);
                    out.names.clear();
                }
            });
            if (record) hits.findings = out.findings - before;
            out.collect = false;
            return done;
        });
        Row r = msg_row("regex plugin (C ABI)", mm, corpus_);
        print_row("msg", r, false);
        rep.msg["plugin"] = r;

        pass = 0;
        Measured mb = measure(corpus_.pieces.size(), o_.runs, o_.guard_seconds, kGuarded, [&](size_t n, double budget) {
            const bool record = pass++ == 0;
            const uint64_t before = out.findings;
            const size_t done = loop(n, budget, 0, [&](size_t i) {
                req.data = dlpd::to_dlpd_str(corpus_.pieces[i]);
                det->scan(instance->raw(), &req, out.table());
            });
            if (record) buf_findings = out.findings - before;
            return done;
        });
        Row b = buf_row("regex plugin (C ABI)", mb, corpus_.pieces, corpus_);
        print_row("buffer", b, true);
        rep.buf["plugin"] = b;
        if (out.diagnostics)
            std::printf("  regex plugin: %s diagnostics, first: %s\n", group(out.diagnostics).c_str(),
                        out.first_diagnostic.c_str());
        std::printf("  regex plugin: %s\n", rss_text().c_str());
    }

    // The plugin's matching engine, called directly (no ABI, no SDK).
    void ruleset_modes(SetReport &rep, const std::vector<dlpd::Rule> &rules) {
        std::vector<dlpd::regex::RuleSource> sources;
        for (const auto &r : rules)
            if (r.enabled && r.detector == "regex") sources.push_back({r.name, r.regex});
        std::vector<dlpd::regex::RuleProblem> problems;
        const dlpd::regex::CompileOptions copts;
        const dlpd::regex::ScanOptions sopts;
        double t0 = now();
        auto set = dlpd::regex::RuleSet::compile(sources, copts, problems);
        const double compile_s = now() - t0;
        if (!set) {
            std::printf("  RuleSet: compile failed: %s\n", problems.empty() ? "?" : problems[0].message.c_str());
            return;
        }
        std::printf("  %-41s compile %s\n", "RuleSet direct (no ABI)", seconds_text(compile_s).c_str());
        CountingSink sink;
        dlpd::regex::ScanStats stats;
        Measured mm = measure(corpus_.lines.size(), o_.runs, o_.guard_seconds, kGuarded, [&](size_t n, double budget) {
            return loop(n, budget, 1023, [&](size_t i) { set->scan(corpus_.lines[i], sopts, sink, &stats); });
        });
        Row r = msg_row("RuleSet direct (no ABI)", mm, corpus_);
        print_row("msg", r, false);
        rep.msg["ruleset"] = r;
        Measured mb = measure(corpus_.pieces.size(), o_.runs, o_.guard_seconds, kGuarded, [&](size_t n, double budget) {
            return loop(n, budget, 0, [&](size_t i) { set->scan(corpus_.pieces[i], sopts, sink, &stats); });
        });
        Row b = buf_row("RuleSet direct (no ABI)", mb, corpus_.pieces, corpus_);
        print_row("buffer", b, true);
        rep.buf["ruleset"] = b;
        if (stats.set_failures)
            std::printf("  RuleSet: the Set's DFA ran out of memory on %s of %s chunks (every rule was run there)\n",
                        group(stats.set_failures).c_str(), group(stats.chunks).c_str());
        std::printf("  RuleSet direct: %s\n", rss_text().c_str());
    }

    // What the plugin's first step costs alone: RE2::Set::Match on each
    // message, built as the plugin builds it (simplified Set patterns,
    // max_mem 256 MiB), once with a match list (RE2 20220601 allocates a
    // SparseSet of the Set's size on every such call) and once without
    // (RE2 then stops at the earliest match). RuleSet::scan makes the call
    // without a list first and asks for the list only when something fired.
    void set_only_modes(SetReport &rep, const std::vector<dlpd::Rule> &rules) {
        RE2::Options opts;
        opts.set_log_errors(false);
        opts.set_max_mem(int64_t{256} << 20);
        RE2::Set set(opts, RE2::UNANCHORED);
        for (const auto &r : rules)
            if (r.enabled && r.detector == "regex" && set.Add(dlpd::regex::set_pattern_for(r.regex), nullptr) < 0)
                return;
        if (!set.Compile()) {
            std::printf("  RE2::Set: compile failed at 256 MiB\n");
            return;
        }
        std::vector<int> fired;
        uint64_t hits = 0;
        Measured with =
            measure(corpus_.lines.size(), o_.runs, o_.guard_seconds, kGuarded, [&](size_t n, double budget) {
                return loop(n, budget, 1023, [&](size_t i) {
                    RE2::Set::ErrorInfo info{};
                    hits += set.Match(corpus_.lines[i], &fired, &info);
                });
            });
        Row a = msg_row("RE2::Set::Match, with match list", with, corpus_);
        print_row("msg", a, false);
        rep.msg["set_list"] = a;
        Measured without =
            measure(corpus_.lines.size(), o_.runs, o_.guard_seconds, kGuarded, [&](size_t n, double budget) {
                return loop(n, budget, 1023, [&](size_t i) { hits += set.Match(corpus_.lines[i], nullptr); });
            });
        Row b = msg_row("RE2::Set::Match, no match list", without, corpus_);
        print_row("msg", b, false);
        rep.msg["set_nolist"] = b;
        g_sink = g_sink + hits;  // keeps the loops from being optimised away
    }

#ifdef DLPD_HAVE_HYPERSCAN
    struct HsDatabase {
        hs_database_t *db = nullptr;
        ~HsDatabase() { hs_free_database(db); }
    };

    // Compiles the accepted patterns into one block-mode database; patterns
    // Hyperscan rejects are left out and counted.
    bool hs_build(const std::vector<std::string> &patterns, unsigned extra_flags, HsDatabase &out, double &seconds,
                  std::vector<std::string> &rejects) {
        std::vector<const char *> exprs;
        std::vector<unsigned> flags, ids;
        for (size_t i = 0; i < patterns.size(); ++i) {
            hs_expr_info_t *info = nullptr;
            hs_compile_error_t *err = nullptr;
            if (hs_expression_info(patterns[i].c_str(), extra_flags, &info, &err) != HS_SUCCESS) {
                rejects.push_back(std::to_string(i + 1) + ": " + (err ? err->message : "?"));
                hs_free_compile_error(err);
                continue;
            }
            std::free(info);
            exprs.push_back(patterns[i].c_str());
            flags.push_back(extra_flags);
            ids.push_back(static_cast<unsigned>(i));
        }
        for (;;) {
            if (exprs.empty()) return false;
            hs_compile_error_t *err = nullptr;
            const double t0 = now();
            const hs_error_t rc =
                hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                                 HS_MODE_BLOCK, nullptr, &out.db, &err);
            seconds = now() - t0;
            if (rc == HS_SUCCESS) return true;
            const int bad = err ? err->expression : -1;
            rejects.push_back((bad >= 0 ? std::to_string(ids[static_cast<size_t>(bad)] + 1) : std::string("set")) +
                              ": " + (err ? err->message : "?"));
            hs_free_compile_error(err);
            if (bad < 0) return false;
            exprs.erase(exprs.begin() + bad);
            flags.erase(flags.begin() + bad);
            ids.erase(ids.begin() + bad);
        }
    }

    struct HsCount {
        uint64_t events = 0;
    };
    static int hs_on_match(unsigned, unsigned long long, unsigned long long, unsigned, void *ctx) {
        ++static_cast<HsCount *>(ctx)->events;
        return 0;
    }

    void hyperscan_modes(SetReport &rep, const std::vector<std::string> &patterns, const LineHits &plugin,
                         const std::function<void(const std::string &)> &check) {
        HsDatabase single, all;
        double single_s = 0, all_s = 0;
        std::vector<std::string> rejects_single, rejects_all;
        const bool ok_single = hs_build(patterns, HS_FLAG_SINGLEMATCH, single, single_s, rejects_single);
        const bool ok_all = hs_build(patterns, 0, all, all_s, rejects_all);
        std::printf("  %-41s compile %s (single-match db), %s (all-matches db); %zu patterns rejected%s%s\n",
                    "Hyperscan", seconds_text(single_s).c_str(), seconds_text(all_s).c_str(), rejects_all.size(),
                    rejects_all.empty() ? "" : ", first: ", rejects_all.empty() ? "" : rejects_all[0].c_str());
        rep.compile["hs"] = seconds_text(single_s) + " + " + seconds_text(all_s);
        rep.compile["hs_rejects"] = std::to_string(rejects_all.size());
        hs_scratch_t *scratch = nullptr;
        if ((ok_single && hs_alloc_scratch(single.db, &scratch) != HS_SUCCESS) ||
            (ok_all && hs_alloc_scratch(all.db, &scratch) != HS_SUCCESS)) {
            std::printf("  Hyperscan: hs_alloc_scratch failed\n");
            return;
        }
        if (ok_single) {
            HsCount count;
            std::vector<uint16_t> pairs(corpus_.lines.size(), 0);
            int pass = 0;
            Measured mm =
                measure(corpus_.lines.size(), o_.runs, o_.guard_seconds, kGuarded, [&](size_t n, double budget) {
                    const bool record = pass++ == 0;
                    return loop(n, budget, 1023, [&](size_t i) {
                        const uint64_t e0 = count.events;
                        hs_scan(single.db, corpus_.lines[i].data(), static_cast<unsigned>(corpus_.lines[i].size()), 0,
                                scratch, &Bench::hs_on_match, &count);
                        if (record && count.events != e0) pairs[i] = static_cast<uint16_t>(count.events - e0);
                    });
                });
            Row r = msg_row("Hyperscan (single-match db)", mm, corpus_);
            print_row("msg", r, false);
            rep.msg["hs"] = r;
            uint64_t lines = 0, total = 0;
            for (uint16_t p : pairs) {
                lines += p != 0;
                total += p;
            }
            const size_t n = corpus_.lines.size();
            check("Hyperscan single-match: lines hit " + group(lines) + ", pairs " + group(total) +
                  " (plugin before validators: " + group(plugin.lines_hit(n)) + ", " + group(plugin.pair_count(n)) +
                  ")" +
                  (rejects_single.empty() ? "" : "; " + std::to_string(rejects_single.size()) + " patterns rejected"));
        }
        if (ok_all) {
            HsCount count;
            int pass = 0;
            uint64_t events = 0;
            Measured mb =
                measure(corpus_.pieces.size(), o_.runs, o_.guard_seconds, kGuarded, [&](size_t n, double budget) {
                    const bool record = pass++ == 0;
                    const uint64_t e0 = count.events;
                    const size_t done = loop(n, budget, 0, [&](size_t i) {
                        hs_scan(all.db, corpus_.pieces[i].data(), static_cast<unsigned>(corpus_.pieces[i].size()), 0,
                                scratch, &Bench::hs_on_match, &count);
                    });
                    if (record) events = count.events - e0;
                    return done;
                });
            Row b = buf_row("Hyperscan (all-matches db)", mb, corpus_.pieces, corpus_);
            print_row("buffer", b, true);
            rep.buf["hs"] = b;
            check("Hyperscan all-matches, buffer mode: " + group(events) + " match events (every end offset)");
        }
        hs_free_scratch(scratch);
        std::printf("  Hyperscan: %s\n", rss_text().c_str());
    }
#else
    void hyperscan_modes(SetReport &, const std::vector<std::string> &, const LineHits &,
                         const std::function<void(const std::string &)> &) {}
#endif

    // The original system's method: every regex, one at a time.
    void naive_modes(SetReport &rep, const std::vector<std::string> &patterns, const LineHits &plugin,
                     const std::function<void(const std::string &)> &check) {
        RE2::Options opts;
        opts.set_log_errors(false);
        std::vector<std::unique_ptr<RE2>> res;
        size_t rejected = 0;
        double t0 = now();
        for (const auto &p : patterns) {
            auto re = std::make_unique<RE2>(p, opts);
            if (re->ok())
                res.push_back(std::move(re));
            else
                ++rejected;
        }
        const double compile_s = now() - t0;
        rep.compile["naive"] = seconds_text(compile_s);
        std::printf("  %-41s compile %s (%zu RE2 objects%s)\n", "naive (every regex, one at a time)",
                    seconds_text(compile_s).c_str(), res.size(),
                    rejected ? (", " + std::to_string(rejected) + " rejected").c_str() : "");

        const int runs = slow_runs();
        const double budget = o_.max_seconds / (runs + 1);
        uint64_t lines_hit = 0, pairs = 0;
        int pass = 0;
        Measured mm = measure(corpus_.lines.size(), runs, budget, runs, [&](size_t n, double b) {
            const bool record = pass++ == 0;
            return loop(n, b, 0, [&](size_t i) {
                bool hit = false;
                for (const auto &re : res)
                    if (RE2::PartialMatch(corpus_.lines[i], *re)) {
                        hit = true;
                        if (record) ++pairs;
                    }
                if (record && hit) ++lines_hit;
            });
        });
        Row r = msg_row("naive RE2 loop", mm, corpus_);
        print_row("msg", r, false);
        rep.msg["naive"] = r;
        check("naive, first " + group(mm.units) + " messages: lines hit " + group(lines_hit) + ", pairs " +
              group(pairs) + " (plugin before validators, same messages: " + group(plugin.lines_hit(mm.units)) + ", " +
              group(plugin.pair_count(mm.units)) + ")");

        uint64_t matches = 0;
        pass = 0;
        Measured mb = measure(corpus_.blocks.size(), runs, budget, runs, [&](size_t n, double b) {
            const bool record = pass++ == 0;
            return loop(n, b, 0, [&](size_t i) {
                const std::string_view text = corpus_.blocks[i];
                const re2::StringPiece whole(text.data(), text.size());
                re2::StringPiece m;
                for (const auto &re : res) {
                    size_t pos = 0;
                    while (pos <= text.size() && re->Match(whole, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
                        if (record) ++matches;
                        const size_t end = static_cast<size_t>(m.data() - text.data()) + m.size();
                        pos = end > pos ? end : pos + 1;
                    }
                }
            });
        });
        Row b = buf_row("naive RE2 loop", mb, corpus_.blocks, corpus_);
        print_row("buffer", b, true);
        rep.buf["naive"] = b;
        check("naive, buffer mode (64 KiB blocks), first " +
              fixed(static_cast<double>(Corpus::bytes_of(corpus_.blocks, mb.units)) / 1e6, 2) +
              " MB: " + group(matches) + " matches");
        std::printf("  naive: %s\n", rss_text().c_str());
    }

    // ripgrep as a whole process, minus its start-up and compile.
    void ripgrep_mode(SetReport &rep, const fs::path &patterns, size_t n_patterns, const LineHits &plugin,
                      const std::function<void(const std::string &)> &check) {
        const int runs = slow_runs();
        auto args_for = [&](const std::string &file) {
            return std::vector<std::string>{
                o_.rg, "--no-config", "--threads",       "1", "-c", "--regex-size-limit", "2G", "--dfa-size-limit",
                "2G",  "-f",          patterns.string(), file};
        };
        const std::string err = (tmp_ / "rg.err").string();
        const std::string out = (tmp_ / "rg.out").string();
        auto timed = [&](const std::string &file, int n, ProcResult &last) {
            std::vector<double> t;
            for (int i = 0; i < n; ++i) {
                last = run_process(args_for(file), "/dev/null", err);
                rg_maxrss_kb_ = std::max(rg_maxrss_kb_, last.maxrss_kb);
                if (last.exit_code > 1) return std::nan("");
                t.push_back(last.seconds);
            }
            return median(t);
        };
        auto fail = [&](const ProcResult &r) {
            const std::string why = first_line_of(err);
            std::printf("  ripgrep: exit %d: %s\n", r.exit_code, why.c_str());
            check("rg: failed (exit " + std::to_string(r.exit_code) + "): " + why);
            rep.compile["rg"] = "failed";
        };

        // Start-up + compile: the same command on a one-line file.
        const fs::path one_line = tmp_ / "one_line.txt";
        {
            std::ofstream f(one_line, std::ios::binary);
            f << corpus_.lines.front() << '\n';
        }
        ProcResult last;
        const double startup = timed(one_line.string(), runs, last);
        if (!std::isfinite(startup)) return fail(last);
        rep.compile["rg"] = seconds_text(startup);

        // Calibrate on a 200 kB prefix, then choose the prefix that fits the budget.
        auto write_prefix = [&](uint64_t bytes) -> std::pair<fs::path, size_t> {
            size_t k = 0;
            while (k < corpus_.lines.size() && corpus_.bytes_of_lines(k + 1) <= bytes) ++k;
            k = std::max<size_t>(k, 1);
            if (k >= corpus_.lines.size()) return {o_.corpus, corpus_.lines.size()};
            const fs::path p = tmp_ / ("prefix_" + std::to_string(k) + ".txt");
            std::ofstream f(p, std::ios::binary);
            f.write(corpus_.data.data(), static_cast<std::streamsize>(corpus_.bytes_of_lines(k)));
            return {p, k};
        };
        auto [calib_file, calib_lines] = write_prefix(200000);
        ProcResult calib = run_process(args_for(calib_file.string()), "/dev/null", err);
        rg_maxrss_kb_ = std::max(rg_maxrss_kb_, calib.maxrss_kb);
        if (calib.exit_code > 1) return fail(calib);
        const double calib_scan = std::max(calib.seconds - startup, 1e-4);
        const double rate = static_cast<double>(corpus_.bytes_of_lines(calib_lines)) / calib_scan;  // bytes/s
        const double per_run = o_.max_seconds / (runs + 1);
        auto [file, k] = write_prefix(static_cast<uint64_t>(rate * per_run));
        const double total = timed(file.string(), runs, last);
        if (!std::isfinite(total)) return fail(last);
        // One more run for the count (stdout kept).
        ProcResult counted = run_process(args_for(file.string()), out, err);
        const uint64_t rg_lines = std::strtoull(first_line_of(out).c_str(), nullptr, 10);
        const double bytes = static_cast<double>(corpus_.bytes_of_lines(k));
        const double scan_s = total - startup;
        Row r;
        r.engine = "ripgrep -c -f, (?-u)";
        r.present = true;
        r.rate = scan_s > 0 ? bytes / 1e6 / scan_s : std::nan("");
        r.cold = std::nan("");
        if (k < corpus_.lines.size())
            r.note = "first " + fixed(bytes / 1e6, bytes < 1e7 ? 2 : 0) + " MB of " +
                     fixed(static_cast<double>(corpus_.data.size()) / 1e6, 0) + " MB";
        r.note += std::string(r.note.empty() ? "" : "; ") + "whole process " + seconds_text(total) + " − start-up " +
                  seconds_text(startup);
        print_row("buffer", r, true);
        rep.buf["rg"] = r;
        if (file == o_.corpus)
            std::printf("  rg command: %s\n", command_text(args_for(o_.corpus.string())).c_str());
        else
            std::printf("  rg command: %s   (PREFIX: head -n %zu %s)\n", command_text(args_for("PREFIX")).c_str(), k,
                        shell_quote(o_.corpus.string()).c_str());
        check("rg -c, first " + group(k) + " lines: lines hit " + group(rg_lines) + " (exit " +
              std::to_string(counted.exit_code) + "; plugin before validators, same lines: " +
              group(plugin.lines_hit(k)) + ")" + (n_patterns ? "" : " (no patterns)"));
        std::error_code ec;
        if (file != o_.corpus) fs::remove(file, ec);
        if (calib_file != o_.corpus) fs::remove(calib_file, ec);
    }

    void recall(SetReport &rep, const LineHits &engine, const LineHits &plugin) {
        std::map<std::string, std::array<uint64_t, 3>> by_kind;  // planted, engine hit, plugin hit
        std::vector<uint8_t> planted_line(corpus_.lines.size(), 0);
        for (const auto &[line, kind] : corpus_.truth) {
            if (line >= corpus_.lines.size()) continue;
            auto &k = by_kind[kind];
            ++k[0];
            k[1] += engine.pairs[line] != 0;
            k[2] += plugin.pairs[line] != 0;
            planted_line[line] = 1;
        }
        uint64_t other_engine = 0, other_plugin = 0;
        for (size_t i = 0; i < corpus_.lines.size(); ++i) {
            if (planted_line[i]) continue;
            other_engine += engine.pairs[i] != 0;
            other_plugin += plugin.pairs[i] != 0;
        }
        std::printf("\n  planted items, lines with a finding (set %s):\n", rep.name.c_str());
        std::printf("  | kind | planted | dlpd engine (after validators) | regex plugin (before validators) |\n");
        std::printf("  |---|---|---|---|\n");
        for (const auto &[kind, k] : by_kind) {
            std::string row = "| " + kind + " | " + group(k[0]) + " | " + group(k[1]) + " | " + group(k[2]) + " |";
            std::printf("  %s\n", row.c_str());
            rep.recall.push_back(row);
        }
        std::string row =
            "| (lines without a planted item) | 0 | " + group(other_engine) + " | " + group(other_plugin) + " |";
        std::printf("  %s\n", row.c_str());
        rep.recall.push_back(row);
    }

    void print_summary() {
        std::printf("# summary\n\n");
        auto ratio = [](const Row &a, const Row *b) {
            return b && b->present ? ratio_text(a.rate / b->rate) : std::string("n/a");
        };
        auto get = [](const std::map<std::string, Row> &m, const char *k) -> const Row * {
            auto it = m.find(k);
            return it == m.end() || !it->second.present ? nullptr : &it->second;
        };
        auto cell = [](const Row *r, bool mbps) {
            if (!r) return std::string("n/a");
            std::string s = mbps ? mbps_text(r->rate) : rate_text(r->rate);
            if (!r->note.empty() && r->note.rfind("first", 0) == 0) s += " *";
            return s;
        };
        auto cold = [](const Row *r, bool mbps) {
            if (!r) return std::string("n/a");
            return mbps ? mbps_text(r->cold) : rate_text(r->cold);
        };

        std::printf("## per message (messages/s, median; cold = first pass after compiling)\n\n");
        std::printf(
            "| set | rules | dlpd engine | (cold) | regex plugin, C ABI | RuleSet direct | naive RE2 loop | "
            "Hyperscan | engine ÷ naive | engine ÷ Hyperscan |\n");
        std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
        for (const auto &rep : reports_) {
            const Row *e = get(rep.msg, "engine");
            std::printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", rep.name.c_str(),
                        group(rep.rules).c_str(), cell(e, false).c_str(), cold(e, false).c_str(),
                        cell(get(rep.msg, "plugin"), false).c_str(), cell(get(rep.msg, "ruleset"), false).c_str(),
                        cell(get(rep.msg, "naive"), false).c_str(), cell(get(rep.msg, "hs"), false).c_str(),
                        e ? ratio(*e, get(rep.msg, "naive")).c_str() : "n/a",
                        e ? ratio(*e, get(rep.msg, "hs")).c_str() : "n/a");
        }
        std::printf("\n## per message, where the time goes (ns per message, median)\n\n");
        std::printf(
            "| set | dlpd engine | regex plugin, C ABI | RuleSet direct | RE2::Set::Match with match list | "
            "RE2::Set::Match, no list | Hyperscan | host share | ABI+SDK share |\n");
        std::printf("|---|---|---|---|---|---|---|---|---|\n");
        for (const auto &rep : reports_) {
            auto ns = [&](const char *k) {
                const Row *r = get(rep.msg, k);
                return r ? 1e9 / r->rate : std::nan("");
            };
            auto t = [](double v) { return std::isfinite(v) ? fixed(v, 0) : std::string("n/a"); };
            const double e = ns("engine"), p = ns("plugin"), r = ns("ruleset");
            std::printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", rep.name.c_str(), t(e).c_str(),
                        t(p).c_str(), t(r).c_str(), t(ns("set_list")).c_str(), t(ns("set_nolist")).c_str(),
                        t(ns("hs")).c_str(), std::isfinite(e - p) ? (fixed(100 * (e - p) / e, 0) + "%").c_str() : "n/a",
                        std::isfinite(p - r) ? (fixed(100 * (p - r) / e, 0) + "%").c_str() : "n/a");
        }
        std::printf(
            "\nhost share = (engine − plugin) ÷ engine: ScanEngine::scan around the plugin call; "
            "ABI+SDK share = (plugin − RuleSet) ÷ engine.\n");

        std::printf("\n## large buffers (MB/s, median; pieces of %zu MiB)\n\n", o_.piece_bytes >> 20);
        std::printf(
            "| set | rules | dlpd engine | regex plugin, C ABI | RuleSet direct | naive RE2 loop | Hyperscan | "
            "ripgrep | engine ÷ naive | engine ÷ Hyperscan | engine ÷ ripgrep |\n");
        std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (const auto &rep : reports_) {
            const Row *e = get(rep.buf, "engine");
            std::printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", rep.name.c_str(),
                        group(rep.rules).c_str(), cell(e, true).c_str(), cell(get(rep.buf, "plugin"), true).c_str(),
                        cell(get(rep.buf, "ruleset"), true).c_str(), cell(get(rep.buf, "naive"), true).c_str(),
                        cell(get(rep.buf, "hs"), true).c_str(), cell(get(rep.buf, "rg"), true).c_str(),
                        e ? ratio(*e, get(rep.buf, "naive")).c_str() : "n/a",
                        e ? ratio(*e, get(rep.buf, "hs")).c_str() : "n/a",
                        e ? ratio(*e, get(rep.buf, "rg")).c_str() : "n/a");
        }
        std::printf("\n\\* measured on a prefix of the corpus (time-bounded); the per-set output says how much.\n");

        bool any_variant = false;
        for (const auto &rep : reports_) any_variant |= !rep.variant_msg.empty();
        if (any_variant) {
            std::printf("\n## dlpd engine with other regex plugin settings\n\n");
            std::printf(
                "| set | settings | messages/s | (cold) | MB/s | msgs ÷ naive | msgs ÷ Hyperscan | MB/s ÷ "
                "Hyperscan |\n|---|---|---|---|---|---|---|---|\n");
            for (const auto &rep : reports_) {
                const Row *e = get(rep.msg, "engine");
                const Row *eb = get(rep.buf, "engine");
                if (e)
                    std::printf("| %s | (defaults) | %s | %s | %s | %s | %s | %s |\n", rep.name.c_str(),
                                cell(e, false).c_str(), cold(e, false).c_str(), cell(eb, true).c_str(),
                                ratio(*e, get(rep.msg, "naive")).c_str(), ratio(*e, get(rep.msg, "hs")).c_str(),
                                eb ? ratio(*eb, get(rep.buf, "hs")).c_str() : "n/a");
                for (size_t i = 0; i < rep.variant_msg.size(); ++i) {
                    const Row &m = rep.variant_msg[i].second;
                    const Row *b = i < rep.variant_buf.size() ? &rep.variant_buf[i].second : nullptr;
                    std::printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n", rep.name.c_str(),
                                rep.variant_msg[i].first.c_str(), cell(&m, false).c_str(), cold(&m, false).c_str(),
                                cell(b, true).c_str(), ratio(m, get(rep.msg, "naive")).c_str(),
                                ratio(m, get(rep.msg, "hs")).c_str(),
                                b ? ratio(*b, get(rep.buf, "hs")).c_str() : "n/a");
                }
            }
        }

        std::printf("\n## compile (rule set load)\n\n");
        std::printf(
            "| set | rules | dlpd set_rules | naive: RE2 objects | Hyperscan: single-match + all-matches db | "
            "Hyperscan rejects | rg start-up + compile |\n|---|---|---|---|---|---|---|\n");
        for (const auto &rep : reports_) {
            auto c = [&](const char *k) {
                auto it = rep.compile.find(k);
                return it == rep.compile.end() ? std::string("n/a") : it->second;
            };
            std::printf("| %s | %s | %s | %s | %s | %s | %s |\n", rep.name.c_str(), group(rep.rules).c_str(),
                        c("dlpd").c_str(), c("naive").c_str(), c("hs").c_str(), c("hs_rejects").c_str(),
                        c("rg").c_str());
        }

        std::printf("\n## cross-check\n\n");
        for (const auto &rep : reports_) {
            std::printf("%s:\n", rep.name.c_str());
            for (const auto &c : rep.checks) std::printf("- %s\n", c.c_str());
            if (!rep.recall.empty()) {
                std::printf(
                    "\n| kind | planted | dlpd engine (after validators) | regex plugin (before validators) |\n"
                    "|---|---|---|---|\n");
                for (const auto &r : rep.recall) std::printf("%s\n", r.c_str());
            }
            std::printf("\n");
        }
        std::printf("peak RSS: engine_bench %s MB (corpus and line index included); largest rg process %s MB\n",
                    group(static_cast<uint64_t>(proc_status_kb("VmHWM") / 1024)).c_str(),
                    group(static_cast<uint64_t>(rg_maxrss_kb_ / 1024)).c_str());
        std::printf("load average at the end: %s\n", first_line_of("/proc/loadavg").c_str());
    }

    Options o_;
    Corpus corpus_;
    dlpd::PluginRegistry registry_;
    const dlpd::LoadedPlugin *regex_plugin_ = nullptr;
    fs::path tmp_;
    long rg_maxrss_kb_ = 0;
    std::vector<SetReport> reports_;
    std::vector<std::string> allowlist_values_;  // the current set's pack `allowlist:`
};

}  // namespace

int main(int argc, char **argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    prefilter_watch().install();
    try {
        Bench bench(parse(argc, argv));
        return bench.run();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "engine_bench: %s\n", e.what());
        return 2;
    }
}
