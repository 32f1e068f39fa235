#include "hyperscan_prefilter.hpp"

#include <atomic>
#include <chrono>
#include <cstring>

#ifdef DLPD_REGEX_HAVE_HYPERSCAN
#include <hs/hs.h>
#include <re2/re2.h>
#include <re2/set.h>
#endif

namespace dlpd::regex {

std::optional<std::string> hyperscan_copy_of(const std::string &re2_pattern, std::string &why) {
    const std::string p = set_pattern_for(re2_pattern);
    std::string out;
    out.reserve(p.size() + 16);
    bool in_class = false;
    for (size_t i = 0; i < p.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(p[i]);
        // RE2 folds case across Unicode; Hyperscan without UCP only across
        // ASCII. Non-ASCII anywhere could therefore be missed.
        if (c >= 0x80) {
            why = "non-ASCII characters in the pattern";
            return std::nullopt;
        }
        if (c == '\\' && i + 1 < p.size()) {
            const char e = p[i + 1];
            ++i;
            switch (e) {
            // RE2's \s is [\t\n\f\r ]; Hyperscan's also takes \v. Spell out
            // RE2's meaning so both engines agree.
            case 's':
                out += in_class ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]";
                continue;
            case 'S':
                if (in_class) {
                    why = "\\S inside a character class";
                    return std::nullopt;
                }
                out += "[^\\t\\n\\f\\r ]";
                continue;
            case 'p':
            case 'P':
            case 'C':
            case 'X':
            case 'R':
                why = std::string("\\") + e + " has no exact Hyperscan equivalent";
                return std::nullopt;
            default:
                out += '\\';
                out += e;
                continue;
            }
        }
        if (in_class) {
            if (c == ']') in_class = false;
            out += static_cast<char>(c);
            continue;
        }
        if (c == '[') {
            in_class = true;
            out += '[';
            // A ] (or ^]) right after [ is a literal, not the end.
            if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
            if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];
            continue;
        }
        if (c == '(' && p.compare(i, 3, "(?U") == 0) {
            why = "the (?U) flag";
            return std::nullopt;
        }
        out += static_cast<char>(c);
    }
    return out;
}

#ifndef DLPD_REGEX_HAVE_HYPERSCAN

bool hyperscan_available() { return false; }

std::shared_ptr<const Prefilter> build_hyperscan_prefilter(const std::vector<RuleSource> &, const CompileOptions &,
                                                           PrefilterReport &report) {
    report.reasons.push_back("this build of the regex plugin has no Hyperscan");
    return nullptr;
}

#else

bool hyperscan_available() { return true; }

namespace {

// Valid UTF-8, as Hyperscan's UTF-8 mode requires of its input. ASCII runs
// are checked eight bytes at a time.
bool valid_utf8(std::string_view s) {
    const unsigned char *p = reinterpret_cast<const unsigned char *>(s.data());
    const unsigned char *end = p + s.size();
    while (p < end) {
        if (end - p >= 8) {
            uint64_t word;
            std::memcpy(&word, p, 8);
            if ((word & 0x8080808080808080ull) == 0) {
                p += 8;
                continue;
            }
        }
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
        if (n == 0 || static_cast<size_t>(end - p) < n) return false;
        for (size_t k = 1; k < n; ++k)
            if ((p[k] & 0xC0) != 0x80) return false;
        if (c == 0xE0 && p[1] < 0xA0) return false;
        if (c == 0xED && p[1] >= 0xA0) return false;
        if (c == 0xF0 && p[1] < 0x90) return false;
        if (c == 0xF4 && p[1] >= 0x90) return false;
        p += n;
    }
    return true;
}

struct DatabaseDeleter {
    void operator()(hs_database_t *db) const { hs_free_database(db); }
};

// Each thread keeps one scratch space, cloned from the prefilter's own when
// the thread first scans with it. Hyperscan forbids sharing a scratch between
// threads, and hs_alloc_scratch() costs most of a millisecond even when the
// scratch it is given is already valid, so it is never called per scan.
struct ThreadScratch {
    uint64_t serial = 0;  // the prefilter this scratch was cloned for
    hs_scratch_t *scratch = nullptr;
    ~ThreadScratch() {
        if (scratch != nullptr) hs_free_scratch(scratch);
    }
};

std::atomic<uint64_t> g_next_serial{1};

int on_match(unsigned int id, unsigned long long, unsigned long long, unsigned int, void *ctx) {
    static_cast<std::vector<int> *>(ctx)->push_back(static_cast<int>(id));
    return 0;
}

class HyperscanPrefilter final : public Prefilter {
public:
    HyperscanPrefilter(std::unique_ptr<hs_database_t, DatabaseDeleter> db, hs_scratch_t *prototype,
                       std::unique_ptr<RE2::Set> side, std::vector<int> side_ids)
        : db_(std::move(db)), prototype_(prototype), side_(std::move(side)), side_ids_(std::move(side_ids)) {}
    ~HyperscanPrefilter() override { hs_free_scratch(prototype_); }
    HyperscanPrefilter(const HyperscanPrefilter &) = delete;
    HyperscanPrefilter &operator=(const HyperscanPrefilter &) = delete;

    bool fired(std::string_view text, std::vector<int> &fired) const override {
        if (!valid_utf8(text)) return false;
        thread_local ThreadScratch tls;
        if (tls.serial != serial_) {
            if (tls.scratch != nullptr) hs_free_scratch(tls.scratch);
            tls.scratch = nullptr;
            tls.serial = 0;
            if (hs_clone_scratch(prototype_, &tls.scratch) != HS_SUCCESS) return false;
            tls.serial = serial_;
        }
        if (hs_scan(db_.get(), text.data(), static_cast<unsigned>(text.size()), 0, tls.scratch, &on_match, &fired) !=
            HS_SUCCESS)
            return false;
        if (side_) {
            std::vector<int> side_fired;
            RE2::Set::ErrorInfo info{};
            const re2::StringPiece piece(text.data(), text.size());
            if (side_->Match(piece, nullptr, &info)) {
                if (!side_->Match(piece, &side_fired, &info)) return false;
                for (int k : side_fired) fired.push_back(side_ids_[static_cast<size_t>(k)]);
            } else if (info.kind != RE2::Set::kNoError) {
                return false;
            }
        }
        return true;
    }

private:
    const uint64_t serial_ = g_next_serial.fetch_add(1);  // never reused, unlike an address
    std::unique_ptr<hs_database_t, DatabaseDeleter> db_;
    hs_scratch_t *prototype_;
    std::unique_ptr<RE2::Set> side_;  // rules Hyperscan cannot answer for exactly
    std::vector<int> side_ids_;       // side Set index -> rule index
};

constexpr unsigned kBaseFlags = HS_FLAG_SINGLEMATCH | HS_FLAG_UTF8 | HS_FLAG_ALLOWEMPTY;

// Whether Hyperscan parses the expression with these flags; its message if not.
bool parses(const std::string &expression, unsigned flags, std::string &message) {
    hs_expr_info_t *info = nullptr;
    hs_compile_error_t *error = nullptr;
    const bool ok = hs_expression_info(expression.c_str(), flags, &info, &error) == HS_SUCCESS;
    if (!ok && error != nullptr) message = error->message;
    std::free(info);
    hs_free_compile_error(error);
    return ok;
}

}  // namespace

std::shared_ptr<const Prefilter> build_hyperscan_prefilter(const std::vector<RuleSource> &rules,
                                                           const CompileOptions &options, PrefilterReport &report) {
    const auto start = std::chrono::steady_clock::now();
    struct Entry {
        std::string expression;
        unsigned flags;
        unsigned id;
    };
    std::vector<Entry> entries;
    std::vector<int> side_ids;
    auto keep_with_re2 = [&](size_t index, const std::string &why) {
        side_ids.push_back(static_cast<int>(index));
        if (report.reasons.size() < 10) report.reasons.push_back(rules[index].name + ": " + why);
    };
    for (size_t i = 0; i < rules.size(); ++i) {
        std::string why;
        auto copy = hyperscan_copy_of(rules[i].pattern, why);
        if (!copy) {
            keep_with_re2(i, why);
            continue;
        }
        std::string message;
        unsigned flags = kBaseFlags;
        if (!parses(*copy, flags, message)) {
            // Prefilter mode accepts more (it may over-approximate, never under).
            flags |= HS_FLAG_PREFILTER;
            std::string message2;
            if (!parses(*copy, flags, message2)) {
                keep_with_re2(i, "Hyperscan: " + message);
                continue;
            }
        }
        entries.push_back(Entry{std::move(*copy), flags, static_cast<unsigned>(i)});
    }

    hs_database_t *raw = nullptr;
    // A pattern can parse yet fail to compile; move such patterns to RE2 and
    // try again.
    for (int attempt = 0; attempt < 64 && !entries.empty(); ++attempt) {
        std::vector<const char *> expressions;
        std::vector<unsigned> flags, ids;
        for (const auto &e : entries) {
            expressions.push_back(e.expression.c_str());
            flags.push_back(e.flags);
            ids.push_back(e.id);
        }
        hs_compile_error_t *error = nullptr;
        if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(entries.size()),
                             HS_MODE_BLOCK, nullptr, &raw, &error) == HS_SUCCESS) {
            break;
        }
        const int bad = error != nullptr ? error->expression : -1;
        const std::string message = error != nullptr ? error->message : "unknown error";
        hs_free_compile_error(error);
        raw = nullptr;
        if (bad < 0 || static_cast<size_t>(bad) >= entries.size()) {
            report.reasons.push_back("Hyperscan could not compile the rule set: " + message);
            return nullptr;
        }
        keep_with_re2(entries[static_cast<size_t>(bad)].id, "Hyperscan: " + message);
        entries.erase(entries.begin() + bad);
    }
    if (raw == nullptr) {
        if (report.reasons.empty()) report.reasons.push_back("no rule can go into a Hyperscan database");
        return nullptr;
    }
    std::unique_ptr<hs_database_t, DatabaseDeleter> db(raw);
    hs_scratch_t *prototype = nullptr;
    if (hs_alloc_scratch(db.get(), &prototype) != HS_SUCCESS) {
        report.reasons.push_back("Hyperscan could not allocate scratch space");
        return nullptr;
    }

    std::unique_ptr<RE2::Set> side;
    if (!side_ids.empty()) {
        RE2::Options o;
        o.set_log_errors(false);
        o.set_max_mem(options.set_max_mem_bytes);
        side = std::make_unique<RE2::Set>(o, RE2::UNANCHORED);
        for (int id : side_ids) {
            const auto &rule = rules[static_cast<size_t>(id)];
            std::string error;
            if (side->Add(set_pattern_for(rule.pattern), &error) < 0 && side->Add(rule.pattern, &error) < 0) {
                hs_free_scratch(prototype);
                report.reasons.push_back(rule.name + ": cannot be added to the side set: " + error);
                return nullptr;
            }
        }
        if (!side->Compile()) {
            hs_free_scratch(prototype);
            report.reasons.push_back("the side RE2::Set exceeds max_mem_mb");
            return nullptr;
        }
    }
    report.in_database = entries.size();
    report.with_re2 = side_ids.size();
    report.compile_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return std::make_shared<HyperscanPrefilter>(std::move(db), prototype, std::move(side), std::move(side_ids));
}

#endif

}  // namespace dlpd::regex
