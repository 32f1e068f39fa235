// corpus_gen: writes a deterministic, English-like chat corpus for the
// engine benchmark, one message per line (about 100 bytes on average), and a
// truth file listing the planted sensitive items.
//
//   corpus_gen [--mb N] [--seed S] [--plant-rate R] --out CORPUS [--truth TRUTH]
//
// The text: about 400 common and chat words (Zipf-weighted), a Zipf tail of
// 30,000 pseudo-words (lowercase, CamelCase, snake_case, with digits), URLs,
// file names, mentions, ticket ids, times, versions, and about 0.5% of lines
// with non-ASCII text. About one line in 1,000 (--plant-rate) carries one
// planted item: Luhn-valid Visa, Mastercard and Amex numbers, 16-digit decoys
// that fail Luhn, US SSNs, IBANs (valid mod-97), emails, US phone numbers,
// AWS access key ids, Slack bot tokens, GitHub personal access tokens,
// private-key headers, JWTs and `api_key = "..."` assignments.
//
// The truth file has one line per planted item: LINE<TAB>KIND<TAB>ITEM, with
// LINE 1-based. The same seed and size give the same bytes on any platform.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "bench_random.hpp"

namespace {

using dlpd::bench::kAlnum;
using dlpd::bench::kDigits;
using dlpd::bench::kLower;
using dlpd::bench::kUpper;
using dlpd::bench::Random;

// Roughly by frequency in chat: the generator draws them Zipf-weighted by
// their position here.
const std::vector<std::string> kCommonWords = {
    "the",        "i",          "to",         "a",         "and",        "it",        "is",         "you",
    "that",       "we",         "for",        "on",        "in",         "of",        "this",       "be",
    "just",       "so",         "but",        "can",       "have",       "not",       "do",         "with",
    "if",         "it's",       "yeah",       "ok",        "what",       "my",        "are",        "was",
    "at",         "me",         "will",       "thanks",    "I'm",        "think",     "there",      "get",
    "all",        "as",         "or",         "like",      "one",        "now",       "know",       "an",
    "up",         "out",        "from",       "they",      "about",      "should",    "need",       "would",
    "don't",      "was",        "also",       "we're",     "see",        "lol",       "any",        "then",
    "some",       "sure",       "time",       "by",        "good",       "more",      "did",        "how",
    "when",       "yes",        "no",         "can't",     "going",      "our",       "which",      "could",
    "here",       "still",      "make",       "want",      "people",     "let",       "work",       "right",
    "today",      "only",       "go",         "new",       "been",       "looks",     "way",        "them",
    "back",       "check",      "try",        "thing",     "same",       "please",    "other",      "is",
    "test",       "build",      "deploy",     "merge",     "branch",     "review",    "PR",         "issue",
    "ticket",     "fix",        "bug",        "release",   "staging",    "prod",      "production", "server",
    "cluster",    "service",    "database",   "query",     "table",      "index",     "cache",      "config",
    "logs",       "error",      "errors",     "warning",   "failing",    "passed",    "green",      "red",
    "CI",         "pipeline",   "job",        "run",       "rerun",      "flaky",     "timeout",    "latency",
    "memory",     "CPU",        "disk",       "node",      "pod",        "container", "image",      "docker",
    "kubernetes", "helm",       "terraform",  "script",    "tool",       "version",   "upgrade",    "rollback",
    "hotfix",     "patch",      "commit",     "push",      "pull",       "rebase",    "conflict",   "main",
    "master",     "feature",    "flag",       "rollout",   "metrics",    "dashboard", "alert",      "pager",
    "oncall",     "incident",   "postmortem", "meeting",   "standup",    "sync",      "call",       "zoom",
    "calendar",   "invite",     "agenda",     "notes",     "doc",        "docs",      "spec",       "design",
    "proposal",   "plan",       "roadmap",    "sprint",    "backlog",    "estimate",  "priority",   "blocker",
    "blocked",    "done",       "tomorrow",   "yesterday", "morning",    "afternoon", "tonight",    "week",
    "weekend",    "monday",     "tuesday",    "wednesday", "thursday",   "friday",    "lunch",      "coffee",
    "break",      "later",      "soon",       "asap",      "eod",        "eta",       "fyi",        "btw",
    "imo",        "afaik",      "tbh",        "np",        "ty",         "thx",       "haha",       "nice",
    "great",      "cool",       "awesome",    "perfect",   "weird",      "strange",   "broken",     "working",
    "works",      "worked",     "fixed",      "merged",    "deployed",   "shipped",   "approved",   "looked",
    "looking",    "seems",      "maybe",      "probably",  "definitely", "actually",  "really",     "pretty",
    "very",       "too",        "much",       "many",      "few",        "lot",       "bit",        "again",
    "already",    "yet",        "ever",       "never",     "always",     "sometimes", "first",      "last",
    "next",       "before",     "after",      "while",     "since",      "until",     "because",    "though",
    "anyway",     "instead",    "otherwise",  "both",      "each",       "every",     "either",     "neither",
    "few",        "those",      "these",      "where",     "why",        "who",       "whom",       "whose",
    "into",       "over",       "under",      "between",   "through",    "during",    "without",    "within",
    "along",      "across",     "behind",     "beyond",    "customer",   "customers", "user",       "users",
    "team",       "teams",      "manager",    "engineer",  "support",    "sales",     "marketing",  "finance",
    "legal",      "security",   "account",    "billing",   "invoice",    "payment",   "order",      "orders",
    "report",     "reports",    "data",       "file",      "files",      "folder",    "link",       "screenshot",
    "attached",   "upload",     "download",   "share",     "shared",     "channel",   "thread",     "message",
    "reply",      "ping",       "dm",         "email",     "mail",       "phone",     "number",     "name",
    "address",    "request",    "requests",   "response",  "api",        "endpoint",  "client",     "library",
    "package",    "dependency", "module",     "function",  "method",     "class",     "variable",   "value",
    "field",      "schema",     "migration",  "backup",    "restore",    "snapshot",  "volume",     "bucket",
    "region",     "zone",       "network",    "firewall",  "proxy",      "load",      "balancer",   "traffic",
    "spike",      "outage",     "downtime",   "uptime",    "SLA",        "SLO",       "budget",     "cost",
    "quarter",    "Q3",         "Q4",         "goal",      "goals",      "OKR",       "feedback",   "question",
    "questions",  "answer",     "idea",       "ideas",     "problem",    "problems",  "solution",   "workaround",
    "context",    "details",    "example",    "examples",  "case",       "cases",     "step",       "steps",
    "part",       "whole",      "half",       "rest",      "end",        "start",     "started",    "finished",
    "waiting",    "wait",       "moved",      "move",      "change",     "changes",   "changed",    "update",
    "updated",    "updates",    "add",        "added",     "remove",     "removed",   "delete",     "deleted",
    "create",     "created",    "open",       "opened",    "close",      "closed",    "handle",     "handled",
    "owner",      "owners",
};

const std::vector<std::string> kSyllables = {
    "ka",  "ro",  "mi", "ten", "sa",  "lo",  "vi",  "dar", "ne",  "po",  "qui", "zu",  "bel", "tor",
    "fa",  "gri", "hu", "jen", "ko",  "lum", "mar", "nix", "ol",  "pra", "ren", "sil", "tu",  "ur",
    "vex", "wen", "xa", "yo",  "zan", "bri", "cor", "dek", "el",  "fen", "gal", "hor", "is",  "jo",
    "kel", "lan", "mo", "nor", "ost", "pel", "quo", "ras", "sto", "tam", "ul",  "ver", "wil", "yel",
    "zor", "an",  "be", "ci",  "do",  "ex",  "fi",  "go",  "ha",  "in",
};

const std::vector<std::string> kTlds = {"com", "io", "net", "org", "dev", "co.uk", "de"};
const std::vector<std::string> kExtensions = {"pdf",  "docx", "xlsx", "csv", "txt", "png", "jpg", "zip",   "json",
                                              "yaml", "py",   "go",   "cpp", "md",  "log", "sql", "tar.gz"};

// Non-ASCII fragments (UTF-8): accents, Cyrillic, Greek, CJK, emoji.
const std::vector<std::string> kNonAscii = {
    "café",    "naïve",      "résumé", "Grüße",    "über",     "Straße",    "señor",  "mañana",     "ça va",
    "déjà vu", "façade",     "привет", "спасибо",  "γεια σου", "ευχαριστώ", "日本語", "ありがとう", "谢谢",
    "你好",    "안녕하세요", "שלום",   "مرحبا",    "👍",        "🎉",         "🚀",      "😂",          "✅",
    "❤️",  "🙏",          "—",      "“quoted”", "…",        "€20",       "£15",    "¥500",       "±3°C",
};

const std::vector<std::string> kEmoji = {
    ":+1:",   ":tada:",   ":eyes:", ":white_check_mark:", ":fire:", ":thinking_face:",
    ":pray:", ":rocket:", ":joy:",  ":sweat_smile:"};

const std::vector<std::string> kFirstNames = {"alice", "bob",  "carol",   "dave",  "erin",  "frank", "grace",  "heidi",
                                              "ivan",  "judy", "mallory", "oscar", "peggy", "trent", "victor", "walter",
                                              "maria", "li",   "sven",    "priya", "omar",  "yuki"};

std::string capitalize(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

// A table to draw ranks 0..n-1 with weight 1/(rank+offset)^s.
class Zipf {
public:
    Zipf(size_t n, double s, double offset) : cdf_(n) {
        double sum = 0;
        for (size_t i = 0; i < n; ++i) {
            sum += 1.0 / std::pow(static_cast<double>(i) + offset, s);
            cdf_[i] = sum;
        }
        for (double &c : cdf_) c /= sum;
    }
    size_t draw(Random &rng) const {
        const double u = rng.unit();
        auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
        return it == cdf_.end() ? cdf_.size() - 1 : static_cast<size_t>(it - cdf_.begin());
    }

private:
    std::vector<double> cdf_;
};

std::string syllable_word(Random &rng, size_t min_syl, size_t max_syl) {
    std::string w;
    const size_t n = rng.between(min_syl, max_syl);
    for (size_t i = 0; i < n; ++i) w += rng.pick(kSyllables);
    return w;
}

// The Zipf tail: pseudo-words in several identifier styles.
std::vector<std::string> make_tail(Random &rng, size_t n) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen(kCommonWords.begin(), kCommonWords.end());
    out.reserve(n);
    while (out.size() < n) {
        std::string w;
        const double style = rng.unit();
        if (style < 0.55) {
            w = syllable_word(rng, 2, 4);
        } else if (style < 0.70) {  // CamelCase
            const size_t parts = rng.between(2, 3);
            for (size_t i = 0; i < parts; ++i) w += capitalize(syllable_word(rng, 1, 2));
        } else if (style < 0.85) {  // snake_case, sometimes with a digit part
            const size_t parts = rng.between(2, 3);
            for (size_t i = 0; i < parts; ++i) {
                if (i) w += '_';
                w +=
                    (i == parts - 1 && rng.chance(0.2)) ? std::to_string(rng.between(1, 99)) : syllable_word(rng, 1, 2);
            }
        } else {  // with digits
            w = syllable_word(rng, 1, 3);
            w += std::to_string(rng.between(0, 9999));
            if (rng.chance(0.3)) w = capitalize(w);
        }
        if (seen.insert(w).second) out.push_back(std::move(w));
    }
    return out;
}

// ---------------------------------------------------------------------------
// Planted items

int luhn_check_digit(const std::string &payload) {
    // The digit that makes payload + digit pass Luhn: double every second
    // digit counting from the right of the full number, i.e. from the last
    // payload digit.
    int sum = 0;
    bool dbl = true;
    for (auto it = payload.rbegin(); it != payload.rend(); ++it) {
        int d = *it - '0';
        if (dbl) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        dbl = !dbl;
    }
    return (10 - sum % 10) % 10;
}

std::string card_number(Random &rng, const std::string &prefix, size_t length, bool valid) {
    std::string payload = prefix;
    while (payload.size() < length - 1) payload += static_cast<char>('0' + rng.below(10));
    int check = luhn_check_digit(payload);
    if (!valid) check = (check + static_cast<int>(rng.between(1, 9))) % 10;
    return payload + static_cast<char>('0' + check);
}

// Groups digits as 4-4-4-4 (or 4-6-5 for 15 digits) with sep, or not at all.
std::string format_card(const std::string &digits, Random &rng) {
    const double u = rng.unit();
    if (u < 0.4) return digits;
    const char sep = u < 0.8 ? ' ' : '-';
    std::vector<size_t> groups = digits.size() == 15 ? std::vector<size_t>{4, 6, 5} : std::vector<size_t>{4, 4, 4, 4};
    std::string out;
    size_t at = 0;
    for (size_t g : groups) {
        if (at) out += sep;
        out += digits.substr(at, g);
        at += g;
    }
    return out;
}

std::string iban(Random &rng) {
    struct Country {
        const char *code;
        const char *shape;  // 'n' digit, 'a' upper letter, 'c' alnum upper
    };
    static const Country countries[] = {
        {"DE", "nnnnnnnnnnnnnnnnnn"}, {"GB", "aaaannnnnnnnnnnnnn"},   {"FR", "nnnnnnnnnnccccccccccccnn"},
        {"NL", "aaaannnnnnnnnn"},     {"ES", "nnnnnnnnnnnnnnnnnnnn"}, {"IT", "annnnnnnnnnccccccccccccc"},
    };
    const Country &c = countries[rng.below(std::size(countries))];
    std::string bban;
    for (const char *p = c.shape; *p; ++p) {
        if (*p == 'n')
            bban += kDigits[rng.below(10)];
        else if (*p == 'a')
            bban += kUpper[rng.below(26)];
        else
            bban += "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[rng.below(36)];
    }
    // ISO 13616: move country + "00" to the end, letters to numbers, mod 97.
    const std::string rearranged = bban + c.code + "00";
    int mod = 0;
    for (char ch : rearranged) {
        const int v = (ch >= '0' && ch <= '9') ? ch - '0' : ch - 'A' + 10;
        mod = v >= 10 ? (mod * 100 + v) % 97 : (mod * 10 + v) % 97;
    }
    const int check = 98 - mod;
    std::string out = std::string(c.code) + (check < 10 ? "0" : "") + std::to_string(check) + bban;
    if (rng.chance(0.5)) {
        std::string spaced;
        for (size_t i = 0; i < out.size(); ++i) {
            if (i && i % 4 == 0) spaced += ' ';
            spaced += out[i];
        }
        out = spaced;
    }
    return out;
}

std::string base64url(const std::string &in) {
    static const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
        out += t[(v >> 18) & 63];
        out += t[(v >> 12) & 63];
        out += t[(v >> 6) & 63];
        out += t[v & 63];
    }
    if (i + 1 == in.size()) {
        const uint32_t v = uint8_t(in[i]) << 16;
        out += t[(v >> 18) & 63];
        out += t[(v >> 12) & 63];
    } else if (i + 2 == in.size()) {
        const uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
        out += t[(v >> 18) & 63];
        out += t[(v >> 12) & 63];
        out += t[(v >> 6) & 63];
    }
    return out;
}

struct Planted {
    std::string kind;
    std::string item;     // the sensitive text
    std::string context;  // the line fragment around it, with {} for the item
};

const std::vector<std::string> kKinds = {"visa",       "mastercard",  "amex",  "card_decoy", "ssn",
                                         "iban",       "email",       "phone", "aws_key_id", "slack_token",
                                         "github_pat", "private_key", "jwt",   "api_key"};

Planted plant(Random &rng) {
    const std::string &kind = rng.pick(kKinds);
    Planted p{kind, "", ""};
    if (kind == "visa") {
        p.item = format_card(card_number(rng, "4", 16, true), rng);
        p.context = rng.pick(std::vector<std::string>{"card is {} exp 09/27", "use {} for the test order",
                                                      "customer paid with {} yesterday", "visa {} cvv on file"});
    } else if (kind == "mastercard") {
        const std::string prefix =
            rng.chance(0.7) ? "5" + std::to_string(rng.between(1, 5)) : std::to_string(rng.between(2221, 2720));
        p.item = format_card(card_number(rng, prefix, 16, true), rng);
        p.context = rng.pick(std::vector<std::string>{"mc {} exp 11/26", "charge it to {} please",
                                                      "the refund went to {}", "card number {}"});
    } else if (kind == "amex") {
        p.item = format_card(card_number(rng, rng.chance(0.5) ? "34" : "37", 15, true), rng);
        p.context =
            rng.pick(std::vector<std::string>{"amex {} for the offsite", "corporate card {}", "booked with {}"});
    } else if (kind == "card_decoy") {
        p.item = format_card(
            card_number(rng, rng.chance(0.5) ? "4" : "5" + std::to_string(rng.between(1, 5)), 16, false), rng);
        p.context = rng.pick(std::vector<std::string>{"order id {} shipped", "tracking {}", "ref {} in the ledger"});
    } else if (kind == "ssn") {
        uint64_t area;
        do area = rng.between(1, 899);
        while (area == 666);
        const unsigned group = unsigned(rng.between(1, 99));
        const unsigned serial = unsigned(rng.between(1, 9999));
        char buf[16];
        std::snprintf(buf, sizeof buf, "%03u-%02u-%04u", unsigned(area), group, serial);
        p.item = buf;
        p.context = rng.pick(
            std::vector<std::string>{"ssn {} for the background check", "her SSN is {}", "social {} on the form"});
    } else if (kind == "iban") {
        p.item = iban(rng);
        p.context = rng.pick(std::vector<std::string>{"wire it to {} please", "IBAN: {}", "new bank account {}"});
    } else if (kind == "email") {
        p.item = rng.pick(kFirstNames);
        p.item += "." + syllable_word(rng, 2, 3);
        p.item += "@" + syllable_word(rng, 2, 3);
        p.item += "." + rng.pick(kTlds);
        p.context = rng.pick(std::vector<std::string>{"send it to {}", "contact is {}", "cc {} on that"});
    } else if (kind == "phone") {
        char buf[32];
        const unsigned a = unsigned(rng.between(201, 989)), b = unsigned(rng.between(200, 999)),
                       c = unsigned(rng.between(0, 9999));
        const double u = rng.unit();
        if (u < 0.33)
            std::snprintf(buf, sizeof buf, "(%03u) %03u-%04u", a, b, c);
        else if (u < 0.66)
            std::snprintf(buf, sizeof buf, "%03u-%03u-%04u", a, b, c);
        else
            std::snprintf(buf, sizeof buf, "+1 %03u %03u %04u", a, b, c);
        p.item = buf;
        p.context = rng.pick(std::vector<std::string>{"call me at {}", "his cell is {}", "phone {} after 5"});
    } else if (kind == "aws_key_id") {
        p.item = "AKIA" + rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        p.context = rng.pick(
            std::vector<std::string>{"aws_access_key_id = {}", "the key {} is in the env file", "rotated {} today"});
    } else if (kind == "slack_token") {
        p.item = "xoxb-" + rng.chars(kDigits, rng.between(10, 13));
        p.item += "-" + rng.chars(kDigits, rng.between(10, 13));
        p.item += "-" + rng.chars(kAlnum, 24);
        p.context = rng.pick(std::vector<std::string>{"bot token {}", "SLACK_BOT_TOKEN={}", "use {} for the app"});
    } else if (kind == "github_pat") {
        p.item = "ghp_" + rng.chars(kAlnum, 36);
        p.context = rng.pick(std::vector<std::string>{"my token {} works", "GITHUB_TOKEN={}", "pat is {}"});
    } else if (kind == "private_key") {
        p.item = "-----BEGIN " +
                 rng.pick(std::vector<std::string>{"RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY",
                                                   "EC PRIVATE KEY"}) +
                 "-----";
        p.context = rng.pick(std::vector<std::string>{"{} MIIEowIBAAKCAQEA", "pasted: {}", "{} b3BlbnNzaC1rZXk"});
    } else if (kind == "jwt") {
        const std::string header = base64url(R"({"alg":"HS256","typ":"JWT"})");
        std::string claims = R"({"sub":")" + std::to_string(rng.between(1000, 999999));
        claims += R"(","name":")" + rng.pick(kFirstNames);
        claims += R"(","iat":)" + std::to_string(rng.between(1600000000, 1750000000)) + "}";
        p.item = header + "." + base64url(claims);
        p.item += "." + rng.chars(kAlnum + "-_", 43);
        p.context = rng.pick(std::vector<std::string>{"Authorization: Bearer {}", "session {}", "jwt {} expired?"});
    } else {  // api_key
        p.item = rng.chars(kAlnum, rng.between(32, 40));
        p.context = rng.pick(std::vector<std::string>{"api_key = \"{}\"", "apiKey: '{}'", "API_KEY={}"});
    }
    return p;
}

// ---------------------------------------------------------------------------
// Ordinary chat text

class Chat {
public:
    explicit Chat(Random &rng)
        : rng_(rng),
          common_(kCommonWords.size(), 0.95, 2.0),
          tail_words_(make_tail(rng, 30000)),
          tail_(tail_words_.size(), 1.0, 3.0) {}

    std::string word() {
        const double u = rng_.unit();
        if (u < 0.80) return kCommonWords[common_.draw(rng_)];
        if (u < 0.955) return tail_words_[tail_.draw(rng_)];
        return special();
    }

    std::string tail_word() { return tail_words_[tail_.draw(rng_)]; }

    std::string special() {
        switch (rng_.below(10)) {
            case 0:
                return std::to_string(rng_.between(0, rng_.chance(0.8) ? 99 : 9999));
            case 1: {
                const unsigned hour = unsigned(rng_.between(7, 19));
                const unsigned minute = unsigned(rng_.below(60));
                char b[16];
                std::snprintf(b, sizeof b, "%u:%02u", hour, minute);
                return b;
            }
            case 2: {
                std::string url = rng_.chance(0.9) ? "https://" : "http://";
                url += rng_.chance(0.3) ? "www." : "";
                url += tail_word_lower();
                url += "." + rng_.pick(kTlds);
                const size_t segs = rng_.below(4);
                for (size_t i = 0; i < segs; ++i) url += "/" + tail_word_lower();
                if (rng_.chance(0.2)) url += "?id=" + std::to_string(rng_.between(1, 999999));
                return url;
            }
            case 3: {
                std::string name = tail_word();
                return name + "." + rng_.pick(kExtensions);
            }
            case 4:
                return "@" + rng_.pick(kFirstNames);
            case 5: {  // a ticket id such as OPS-1234
                std::string id = rng_.chars(kUpper, rng_.between(2, 4));
                return id + "-" + std::to_string(rng_.between(1, 9999));
            }
            case 6: {
                std::string v = "v" + std::to_string(rng_.between(0, 9));
                v += "." + std::to_string(rng_.between(0, 30));
                return v + "." + std::to_string(rng_.between(0, 20));
            }
            case 7:
                return rng_.pick(kEmoji);
            case 8:
                return "`" + tail_word() + "()`";
            default:
                return "#" + tail_word_lower();
        }
    }

    std::string tail_word_lower() {
        std::string w = tail_word();
        for (char &c : w)
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
            else if (c == '_')
                c = '-';
        return w;
    }

    // Appends words to line until it reaches about target bytes.
    void fill(std::string &line, size_t target) {
        bool sentence_start = line.empty();
        while (line.size() < target) {
            std::string w = word();
            if (sentence_start && rng_.chance(0.5)) w = capitalize(w);
            sentence_start = false;
            if (!line.empty()) line += ' ';
            line += w;
            const double u = rng_.unit();
            if (u < 0.04) {
                line += '.';
                sentence_start = true;
            } else if (u < 0.07) {
                line += ',';
            } else if (u < 0.085) {
                line += '?';
                sentence_start = true;
            } else if (u < 0.095) {
                line += '!';
            }
        }
    }

private:
    Random &rng_;
    Zipf common_;
    std::vector<std::string> tail_words_;
    Zipf tail_;
};

// Line lengths: mostly short messages, a long tail of longer ones; the
// mean comes out near 100 bytes.
size_t target_length(Random &rng) {
    const double u = rng.unit();
    if (u < 0.38) return rng.between(12, 60);
    if (u < 0.87) return rng.between(60, 135);
    if (u < 0.98) return rng.between(130, 280);
    return rng.between(280, 700);
}

[[noreturn]] void usage(const char *why) {
    std::fprintf(stderr,
                 "%s\nusage: corpus_gen [--mb N] [--seed S] [--plant-rate R] --out CORPUS [--truth TRUTH]\n"
                 "  --mb N          corpus size in MB (10^6 bytes), default 100\n"
                 "  --seed S        generator seed, default 20240601\n"
                 "  --plant-rate R  fraction of lines carrying a planted item, default 0.001\n"
                 "  --truth TRUTH   truth file, default CORPUS.truth\n",
                 why);
    std::exit(2);
}

}  // namespace

int main(int argc, char **argv) {
    double mb = 100;
    uint64_t seed = 20240601;
    double plant_rate = 0.001;
    std::string out_path, truth_path;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value for " + a).c_str());
            return argv[++i];
        };
        if (a == "--mb")
            mb = std::atof(value().c_str());
        else if (a == "--seed")
            seed = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "--plant-rate")
            plant_rate = std::atof(value().c_str());
        else if (a == "--out")
            out_path = value();
        else if (a == "--truth")
            truth_path = value();
        else if (a == "-h" || a == "--help")
            usage("corpus_gen: a chat corpus for the engine benchmark");
        else
            usage(("unknown argument " + a).c_str());
    }
    if (out_path.empty()) usage("--out is required");
    if (mb <= 0) usage("--mb must be positive");
    if (truth_path.empty()) truth_path = out_path + ".truth";

    FILE *out = std::fopen(out_path.c_str(), "wb");
    FILE *truth = std::fopen(truth_path.c_str(), "wb");
    if (!out || !truth) {
        std::perror("corpus_gen: cannot open output");
        return 2;
    }

    Random rng(seed);
    Chat chat(rng);
    const uint64_t limit = static_cast<uint64_t>(mb * 1e6);
    uint64_t bytes = 0, lines = 0, non_ascii_lines = 0;
    std::map<std::string, uint64_t> planted;
    std::string buffer, line;
    buffer.reserve(1 << 20);
    while (bytes < limit) {
        line.clear();
        const size_t target = target_length(rng);
        if (rng.chance(plant_rate)) {
            Planted p = plant(rng);
            const size_t at = p.context.find("{}");
            const std::string before = p.context.substr(0, at), after = p.context.substr(at + 2);
            if (rng.chance(0.6)) {
                chat.fill(line, rng.between(5, 40));
                line += ' ';
            }
            line += before + p.item + after;
            if (rng.chance(0.6)) {
                line += ' ';
                chat.fill(line, line.size() + rng.between(5, 50));
            }
            ++planted[p.kind];
            std::fprintf(truth, "%llu\t%s\t%s\n", static_cast<unsigned long long>(lines + 1), p.kind.c_str(),
                         p.item.c_str());
        } else if (rng.chance(0.005)) {
            chat.fill(line, target / 2);
            const size_t n = rng.between(1, 3);
            for (size_t k = 0; k < n; ++k) line += ' ' + rng.pick(kNonAscii);
            chat.fill(line, target);
            ++non_ascii_lines;
        } else {
            chat.fill(line, target);
        }
        line += '\n';
        buffer += line;
        bytes += line.size();
        ++lines;
        if (buffer.size() >= (1u << 20)) {
            std::fwrite(buffer.data(), 1, buffer.size(), out);
            buffer.clear();
        }
    }
    std::fwrite(buffer.data(), 1, buffer.size(), out);
    if (std::fclose(out) != 0 || std::fclose(truth) != 0) {
        std::perror("corpus_gen: write failed");
        return 2;
    }
    uint64_t total_planted = 0;
    for (const auto &kv : planted) total_planted += kv.second;
    std::fprintf(stderr, "corpus_gen: %s: %llu bytes, %llu lines (mean %.1f bytes/line), %llu non-ASCII lines\n",
                 out_path.c_str(), static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(lines),
                 static_cast<double>(bytes) / static_cast<double>(lines),
                 static_cast<unsigned long long>(non_ascii_lines));
    std::fprintf(stderr, "corpus_gen: %s: %llu planted items:", truth_path.c_str(),
                 static_cast<unsigned long long>(total_planted));
    for (const auto &kv : planted)
        std::fprintf(stderr, " %s %llu", kv.first.c_str(), static_cast<unsigned long long>(kv.second));
    std::fprintf(stderr, "\n");
    return 0;
}
