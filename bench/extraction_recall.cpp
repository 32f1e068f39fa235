// extraction_recall: how many of the words that reference extractors read
// in real-world documents dlpd's file-type extractor reads too. See the
// section "Real-world extraction recall" of bench/README.md.
//
//   extraction_recall [--corpus DIR] [--plugin-dir DIR] [--reference SCRIPT]
//                     [--python PYTHON] [--timeout SECONDS] [--files]
//                     [--min-recall X | --min-recall FORMAT=X]...
//                     [--fail-on-refused]
//
// Every file under DIR (default tests/data/realworld) is one document; its
// format is the name of its first folder under DIR. dlpd's side: the
// filetype plugin's extract() through the C ABI, and again on every nested
// blob it hands back (outer!inner), as the host's scan engine does, up to
// its max_depth; content the plugin declines is taken as text when it has
// no NUL byte in its first 8 KiB, as the host does. Each file runs in a
// child process with a time limit, so a crash or a hang is seen and the run
// goes on. The reference's side: bench/reference_words.py (pdftotext,
// zipfile + xml.etree, email, html.parser, unrtf), run once for the corpus.
//
// Both texts are tokenised the same way: NFKC case folding (ICU), then words
// are runs of letters, digits and combining marks; a Han, kana or Thai
// character is a word of its own (those scripts do not separate words by
// spaces, and the two sides break lines at different places). A file's
// recall is |dlpd words ∩ reference words| / |reference words| over
// multisets; a format's figure is the mean over its files with at least one
// reference word. The reference's document properties (title, author,
// keywords, ...) count in a second figure only ("with properties"); the
// --min-recall floors and "refused" are about the content. A file is refused
// when the reference read words of its content and dlpd gave none, or
// stopped with an error status.
//
// Exit status: 1 when a file crashed or hung, when a format's mean recall is
// below --min-recall, or (with --fail-on-refused) when a file was refused;
// 2 on a usage or set-up error; else 0.
#include <dlpd/plugin.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engine/plugin_instance.hpp"
#include "filetype_plugin_loader.hpp"
#include "engine/plugin_registry.hpp"

extern char **environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
    fs::path corpus = fs::path(DLPD_SOURCE_DIR) / "tests/data/realworld";
    fs::path reference = fs::path(DLPD_SOURCE_DIR) / "bench/reference_words.py";
    std::string python = "python3";
    std::vector<fs::path> plugin_dirs;
    double timeout = 30;
    bool files = false;  // a row per file too
    std::optional<double> min_recall;
    std::map<std::string, double> min_recall_of;
    bool fail_on_refused = false;
};

// The host's limits that shape what is read (host/engine/scan_engine.hpp).
constexpr uint32_t kMaxDepth = 8;

std::string read_file(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// --- dlpd's side, in the child ------------------------------------------

class Collector final : public dlpd::EmitterHandler {
public:
    int32_t on_text(const dlpd_text &t) override {
        text.append(dlpd::view(t.text));
        text.push_back('\n');
        return DLPD_OK;
    }
    int32_t on_blob(const dlpd_blob &b) override {
        blobs.push_back({std::string(dlpd::view(b.data)), std::string(dlpd::view(b.name)),
                         std::string(dlpd::view(b.mime_hint))});
        return DLPD_OK;
    }
    int32_t on_diagnostic(const dlpd_diagnostic &d) override {
        if (d.status != DLPD_OK) notes.push_back(dlpd::status_name(d.status) + ": " + std::string(dlpd::view(d.message)));
        return DLPD_OK;
    }
    struct Blob {
        std::string data, name, mime_hint;
    };
    std::string text;
    std::vector<Blob> blobs;
    std::vector<std::string> notes;
};

struct Extracted {
    std::string text;
    int32_t status = DLPD_OK;  // of the top-level call
    std::vector<std::string> notes;  // non-OK statuses of members, and diagnostics
};

void extract_item(const dlpd::PluginInstance &instance, std::string_view data, const std::string &path,
                  uint32_t depth, const std::string &mime_hint, Extracted &out) {
    const dlpd::LoadedPlugin &p = instance.plugin();
    dlpd_request req{};
    req.struct_size = sizeof req;
    req.depth = depth;
    req.data = dlpd::to_dlpd_str(data);
    req.name = dlpd::to_dlpd_str(path);
    req.mime_hint = dlpd::to_dlpd_str(mime_hint);
    Collector c;
    const int32_t status = p.extractor->extract(instance.raw(), &req, c.table());
    if (depth == 0) out.status = status;
    for (auto &n : c.notes) out.notes.push_back(path + ": " + n);
    if (status == DLPD_ERR_UNSUPPORTED) {
        // The host scans such content as it is when it looks like text.
        if (data.substr(0, 8192).find('\0') == std::string_view::npos) {
            out.text.append(data);
            out.text.push_back('\n');
        } else if (depth > 0) {
            out.notes.push_back(path + ": binary, not read");
        }
        if (depth == 0 && data.substr(0, 8192).find('\0') == std::string_view::npos) out.status = DLPD_OK;
        return;
    }
    if (status != DLPD_OK && depth > 0) out.notes.push_back(path + ": " + dlpd::status_name(status));
    out.text += c.text;
    for (const auto &b : c.blobs) {
        if (depth + 1 > kMaxDepth) continue;
        extract_item(instance, b.data, path + "!" + b.name, depth + 1, b.mime_hint, out);
    }
}

// --- tokenising ----------------------------------------------------------

using Words = std::unordered_map<std::string, uint32_t>;

bool single_char_word(UChar32 c) {
    UErrorCode e = U_ZERO_ERROR;
    switch (uscript_getScript(c, &e)) {
        case USCRIPT_HAN:
        case USCRIPT_HIRAGANA:
        case USCRIPT_KATAKANA:
        case USCRIPT_THAI:
        case USCRIPT_LAO:
        case USCRIPT_KHMER:
        case USCRIPT_MYANMAR:
            return true;
        default:
            return false;
    }
}

Words words_of(std::string_view utf8, uint64_t &total) {
    Words w;
    total = 0;
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2 *fold = icu::Normalizer2::getNFKCCasefoldInstance(err);
    // Invalid UTF-8 becomes U+FFFD, which separates words.
    const icu::UnicodeString src = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), utf8.size()));
    icu::UnicodeString folded = U_SUCCESS(err) ? fold->normalize(src, err) : src;
    if (U_FAILURE(err)) folded = src;
    std::string word;
    auto flush = [&] {
        if (!word.empty()) {
            ++w[word];
            ++total;
            word.clear();
        }
    };
    for (int32_t i = 0; i < folded.length();) {
        const UChar32 c = folded.char32At(i);
        i += U16_LENGTH(c);
        const int8_t type = u_charType(c);
        const bool mark = type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
        if (u_isalnum(c) || (mark && !word.empty())) {
            if (single_char_word(c)) {
                flush();
                icu::UnicodeString(c).toUTF8String(word);
                flush();
                continue;
            }
            icu::UnicodeString(c).toUTF8String(word);
        } else {
            flush();
        }
    }
    flush();
    return w;
}

// --- running things ------------------------------------------------------

enum class Outcome { ok, crashed, hung };

struct FileResult {
    std::string format;
    fs::path path;  // relative to the corpus
    Outcome outcome = Outcome::ok;
    std::string crash;  // the signal or exit status
    int32_t status = DLPD_OK;
    std::vector<std::string> notes;
    uint64_t ref_words = 0, dlpd_words = 0, common = 0;
    // The same with the document properties the reference read (title,
    // author, ...) added to its words.
    uint64_t ref_words_props = 0, common_props = 0;
    double recall() const { return ref_words ? double(common) / double(ref_words) : 1.0; }
    double recall_props() const { return ref_words_props ? double(common_props) / double(ref_words_props) : 1.0; }
    bool refused() const {
        return outcome == Outcome::ok && ref_words > 0 && (dlpd_words == 0 || status != DLPD_OK);
    }
    std::vector<std::pair<std::string, uint32_t>> missing;  // most-missed words first
};

// dlpd on one file in a child process: text to TEXT, the top-level status
// and the notes to META.
Outcome run_child(const dlpd::PluginInstance &instance, const fs::path &file, const fs::path &text_out,
                  const fs::path &meta_out, double timeout, std::string &crash) {
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = fork();
    if (pid < 0) {
        crash = "fork failed";
        return Outcome::crashed;
    }
    if (pid == 0) {
        const std::string data = read_file(file);
        Extracted e;
        extract_item(instance, data, file.filename().string(), 0, "", e);
        std::ofstream(text_out, std::ios::binary) << e.text;
        std::ofstream meta(meta_out, std::ios::binary);
        meta << e.status << '\n';
        for (const auto &n : e.notes) meta << n << '\n';
        meta.close();
        _exit(0);
    }
    const auto deadline = Clock::now() + std::chrono::duration<double>(timeout);
    int wstatus = 0;
    for (;;) {
        const pid_t r = waitpid(pid, &wstatus, WNOHANG);
        if (r == pid) break;
        if (Clock::now() >= deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &wstatus, 0);
            return Outcome::hung;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (WIFSIGNALED(wstatus)) {
        crash = std::string("signal ") + strsignal(WTERMSIG(wstatus));
        return Outcome::crashed;
    }
    if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
        crash = "exit status " + std::to_string(WEXITSTATUS(wstatus));
        return Outcome::crashed;
    }
    return Outcome::ok;
}

int run_process(const std::vector<std::string> &argv) {
    std::vector<char *> args;
    for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid;
    if (posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// At most about n bytes, cut at a character boundary.
std::string shorten(const std::string &s, size_t n) {
    if (s.size() <= n) return s;
    size_t cut = n - 3;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "...";
}

int usage(const char *argv0) {
    std::fprintf(stderr,
                 "usage: %s [--corpus DIR] [--plugin-dir DIR] [--reference SCRIPT] [--python PYTHON]\n"
                 "          [--timeout SECONDS] [--files] [--min-recall X | --min-recall FORMAT=X]...\n"
                 "          [--fail-on-refused]\n",
                 argv0);
    return 2;
}

}  // namespace

int main(int argc, char **argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--files") {
            o.files = true;
            continue;
        }
        if (a == "--fail-on-refused") {
            o.fail_on_refused = true;
            continue;
        }
        if (i + 1 >= argc) return usage(argv[0]);
        const std::string v = argv[++i];
        if (a == "--corpus")
            o.corpus = v;
        else if (a == "--plugin-dir")
            o.plugin_dirs.push_back(v);
        else if (a == "--reference")
            o.reference = v;
        else if (a == "--python")
            o.python = v;
        else if (a == "--timeout")
            o.timeout = std::stod(v);
        else if (a == "--min-recall") {
            const auto eq = v.find('=');
            if (eq == std::string::npos)
                o.min_recall = std::stod(v);
            else
                o.min_recall_of[v.substr(0, eq)] = std::stod(v.substr(eq + 1));
        } else
            return usage(argv[0]);
    }
    dlpd::PluginRegistry registry;
    auto instance = dlpd::bench::load_filetype_plugin(registry, o.plugin_dirs, "extraction_recall");
    if (!instance) return 2;

    // The corpus: every file under a format folder, but the folder's notes.
    std::vector<FileResult> results;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(o.corpus, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_regular_file()) continue;
        const fs::path rel = fs::relative(it->path(), o.corpus);
        if (std::distance(rel.begin(), rel.end()) < 2) continue;  // SOURCES.md and the like
        FileResult r;
        r.format = rel.begin()->string();
        r.path = rel;
        results.push_back(std::move(r));
    }
    if (ec || results.empty()) {
        std::fprintf(stderr, "extraction_recall: no documents under %s\n", o.corpus.c_str());
        return 2;
    }
    std::sort(results.begin(), results.end(),
              [](const FileResult &a, const FileResult &b) { return a.path < b.path; });

    const fs::path work = fs::temp_directory_path() / ("extraction-recall-" + std::to_string(getpid()));
    fs::create_directories(work);
    {
        std::ofstream list(work / "list.tsv", std::ios::binary);
        for (const auto &r : results) list << r.format << '\t' << (o.corpus / r.path).string() << '\n';
    }
    std::fprintf(stderr, "extraction_recall: %zu documents; the reference extractors first...\n", results.size());
    if (run_process({o.python, o.reference.string(), "--batch", (work / "list.tsv").string(), work.string()}) != 0) {
        std::fprintf(stderr, "extraction_recall: %s %s failed\n", o.python.c_str(), o.reference.c_str());
        fs::remove_all(work);
        return 2;
    }

    for (size_t n = 0; n < results.size(); ++n) {
        FileResult &r = results[n];
        const fs::path text = work / (std::to_string(n) + ".dlpd");
        const fs::path meta = work / (std::to_string(n) + ".meta");
        r.outcome = run_child(*instance, o.corpus / r.path, text, meta, o.timeout, r.crash);
        uint64_t total = 0;
        const std::string ref_text = read_file(work / (std::to_string(n) + ".txt"));
        const Words ref = words_of(ref_text, total);
        r.ref_words = total;
        const Words ref_props = words_of(ref_text + "\n" + read_file(work / (std::to_string(n) + ".meta.txt")), total);
        r.ref_words_props = total;
        if (r.outcome != Outcome::ok) continue;
        {
            std::ifstream m(meta);
            std::string line;
            if (std::getline(m, line)) r.status = std::stoi(line);
            while (std::getline(m, line)) r.notes.push_back(line);
        }
        const Words got = words_of(read_file(text), total);
        r.dlpd_words = total;
        for (const auto &[word, count] : ref) {
            const auto it = got.find(word);
            const uint32_t have = it == got.end() ? 0 : it->second;
            r.common += std::min(have, count);
            if (have < count) r.missing.emplace_back(word, count - have);
        }
        for (const auto &[word, count] : ref_props) {
            const auto it = got.find(word);
            r.common_props += std::min(it == got.end() ? 0 : it->second, count);
        }
        std::sort(r.missing.begin(), r.missing.end(),
                  [](const auto &a, const auto &b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    }
    fs::remove_all(work);

    auto missing_of = [](const FileResult &r, size_t n) {
        std::string s;
        for (size_t i = 0; i < r.missing.size() && i < n; ++i) {
            if (i) s += ' ';
            s += shorten(r.missing[i].first, 24);
            if (r.missing[i].second > 1) s += "×" + std::to_string(r.missing[i].second);
        }
        return s;
    };
    auto describe = [&](const FileResult &r) {
        if (r.outcome == Outcome::crashed) return "CRASH (" + r.crash + ")";
        if (r.outcome == Outcome::hung) return std::string("HANG (killed after the time limit)");
        std::string s = r.status != DLPD_OK ? dlpd::status_name(r.status) : "";
        if (!r.notes.empty()) s += (s.empty() ? "" : "; ") + shorten(r.notes.front(), 90);
        return s;
    };

    if (o.files) {
        std::printf("| file | ref words | dlpd words | recall | with properties | dlpd | missing (most-missed first) |\n");
        std::printf("|---|---:|---:|---:|---:|---|---|\n");
        auto figure = [](uint64_t words, double recall) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.3f", recall);
            return words ? std::string(buf) : std::string("-");
        };
        for (const auto &r : results)
            std::printf("| %s | %llu | %llu | %s | %s | %s | %s |\n", r.path.c_str(), (unsigned long long)r.ref_words,
                        (unsigned long long)r.dlpd_words, figure(r.ref_words, r.recall()).c_str(),
                        figure(r.ref_words_props, r.recall_props()).c_str(), describe(r).c_str(),
                        shorten(missing_of(r, 8), 100).c_str());
        std::printf("\n");
    }

    // Per format.
    std::map<std::string, std::vector<const FileResult *>> by_format;
    for (const auto &r : results) by_format[r.format].push_back(&r);
    std::printf("| format | files | with ref words | mean recall | with properties | refused | crashed | hung | worst files (recall: most-missed words) |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    int failures = 0;
    size_t all_files = 0, all_counted = 0, all_counted_props = 0, all_refused = 0, all_crashed = 0, all_hung = 0;
    double all_sum = 0, all_sum_props = 0;
    std::vector<std::string> problems;
    for (const auto &[format, files] : by_format) {
        size_t counted = 0, counted_props = 0, refused = 0, crashed = 0, hung = 0;
        double sum = 0, sum_props = 0;
        std::vector<const FileResult *> worst;
        for (const FileResult *r : files) {
            if (r->outcome == Outcome::crashed) ++crashed;
            if (r->outcome == Outcome::hung) ++hung;
            if (r->outcome != Outcome::ok) {
                problems.push_back(r->path.string() + ": " + describe(*r));
                continue;
            }
            if (r->refused()) {
                ++refused;
                problems.push_back(r->path.string() + ": refused (" +
                                   (r->status != DLPD_OK ? dlpd::status_name(r->status) : "no words") + ", " +
                                   std::to_string(r->ref_words) + " reference words)");
            }
            if (r->ref_words_props > 0) {
                ++counted_props;
                sum_props += r->recall_props();
            }
            if (r->ref_words == 0) continue;
            ++counted;
            sum += r->recall();
            worst.push_back(r);
        }
        std::sort(worst.begin(), worst.end(),
                  [](const FileResult *a, const FileResult *b) { return a->recall() < b->recall(); });
        std::string w;
        for (size_t i = 0; i < worst.size() && i < 3 && worst[i]->recall() < 1.0; ++i) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.3f", worst[i]->recall());
            if (!w.empty()) w += "; ";
            w += worst[i]->path.filename().string() + " " + buf + ": " + missing_of(*worst[i], 4);
        }
        const double mean = counted ? sum / double(counted) : 1.0;
        const double mean_props = counted_props ? sum_props / double(counted_props) : 1.0;
        std::printf("| %s | %zu | %zu | %.3f | %.3f | %zu | %zu | %zu | %s |\n", format.c_str(), files.size(), counted,
                    mean, mean_props, refused, crashed, hung, w.c_str());
        all_files += files.size();
        all_counted += counted;
        all_sum += sum;
        all_counted_props += counted_props;
        all_sum_props += sum_props;
        all_refused += refused;
        all_crashed += crashed;
        all_hung += hung;
        std::optional<double> floor = o.min_recall;
        if (auto it = o.min_recall_of.find(format); it != o.min_recall_of.end()) floor = it->second;
        if (floor && mean < *floor) {
            std::fprintf(stderr, "extraction_recall: %s: mean recall %.3f is below %.3f\n", format.c_str(), mean,
                         *floor);
            ++failures;
        }
    }
    std::printf("| all | %zu | %zu | %.3f | %.3f | %zu | %zu | %zu | |\n", all_files, all_counted,
                all_counted ? all_sum / double(all_counted) : 1.0,
                all_counted_props ? all_sum_props / double(all_counted_props) : 1.0, all_refused, all_crashed,
                all_hung);
    if (!problems.empty()) {
        std::printf("\n");
        for (const auto &p : problems) std::printf("- %s\n", p.c_str());
    }
    if (all_crashed + all_hung > 0) {
        std::fprintf(stderr, "extraction_recall: %zu crashed, %zu hung\n", all_crashed, all_hung);
        ++failures;
    }
    if (o.fail_on_refused && all_refused > 0) {
        std::fprintf(stderr, "extraction_recall: %zu files refused that a reference reads\n", all_refused);
        ++failures;
    }
    return failures ? 1 : 0;
}
