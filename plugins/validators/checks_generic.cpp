// Checks that fit any rule: entropy, placeholder rejection, and the ICAO
// machine-readable-zone check digit.
#include <charconv>
#include <cmath>

#include "checks.hpp"
#include "text.hpp"

namespace dlpd::validators {

using namespace text;

// Shannon entropy (Shannon, "A Mathematical Theory of Communication", 1948)
// of the byte distribution: H = -sum p(b) log2 p(b), in bits per byte.
double shannon_bits_per_char(std::string_view candidate) noexcept {
    if (candidate.empty()) return 0.0;
    std::size_t counts[256] = {};
    for (char c : candidate) ++counts[static_cast<unsigned char>(c)];
    const double n = static_cast<double>(candidate.size());
    double bits = 0.0;
    for (std::size_t c : counts) {
        if (c == 0) continue;
        const double p = static_cast<double>(c) / n;
        bits -= p * std::log2(p);
    }
    return bits;
}

bool entropy(std::string_view candidate, double min_bits) noexcept {
    return shannon_bits_per_char(candidate) >= min_bits;
}

// A decimal number of bits per character, digits with an optional fraction
// ("3", "3.5"), more than 0 and at most 8 (a byte carries no more).
std::optional<double> parse_entropy_threshold(std::string_view args) noexcept {
    if (args.empty() || args.size() > 16) return std::nullopt;
    const std::size_t dot = args.find('.');
    const std::string_view whole = args.substr(0, dot);
    if (!all_digits(whole)) return std::nullopt;
    if (dot != std::string_view::npos && !all_digits(args.substr(dot + 1))) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(args.data(), args.data() + args.size(), value);
    if (ec != std::errc{} || end != args.data() + args.size()) return std::nullopt;
    if (!(value > 0.0 && value <= 8.0)) return std::nullopt;
    return value;
}

namespace {

// Byte-wise ASCII case-insensitive search.
bool contains_ci(std::string_view hay, std::string_view needle) noexcept {
    if (needle.size() > hay.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && to_upper(hay[i + k]) == to_upper(needle[k])) ++k;
        if (k == needle.size()) return true;
    }
    return false;
}

// needle as a word of its own: not preceded or followed by a letter
// ("sk_test_", "TEST123", "test"; not "contest", "testimony").
bool contains_word_ci(std::string_view hay, std::string_view needle) noexcept {
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && to_upper(hay[i + k]) == to_upper(needle[k])) ++k;
        if (k != needle.size()) continue;
        const bool before = i > 0 && is_alpha(hay[i - 1]);
        const bool after = i + k < hay.size() && is_alpha(hay[i + k]);
        if (!before && !after) return true;
    }
    return false;
}

// A run of at least `length` characters each one above (or each one below)
// the previous, among digits or among letters, ignoring case: "123456",
// "abcdef", "987654", "ZYXWVU".
bool has_sequential_run(std::string_view v, std::size_t length) noexcept {
    std::size_t up = 1, down = 1;
    for (std::size_t i = 1; i < v.size(); ++i) {
        const char a = to_upper(v[i - 1]), b = to_upper(v[i]);
        const bool same_class = (is_digit(a) && is_digit(b)) || (is_upper(a) && is_upper(b));
        up = same_class && b == a + 1 ? up + 1 : 1;
        down = same_class && b == a - 1 ? down + 1 : 1;
        if (up >= length || down >= length) return true;
    }
    return false;
}

// The whole of v is a unit of 1 to 4 characters written at least three
// times ("abcabcabc", "12121212"), ignoring case.
bool is_repeated_unit(std::string_view v) noexcept {
    for (std::size_t unit = 1; unit <= 4; ++unit) {
        if (v.size() < unit * 3 || v.size() % unit != 0) continue;
        bool periodic = true;
        for (std::size_t i = unit; i < v.size() && periodic; ++i) periodic = to_upper(v[i]) == to_upper(v[i - unit]);
        if (periodic) return true;
    }
    return false;
}

// A run of at least four of the same masking character (xxxx, XXXX, ****,
// ####, ....): what people type over the digits they hide.
bool has_mask_run(std::string_view v) noexcept {
    std::size_t run = 0;
    char previous = 0;
    for (char c : v) {
        const char u = to_upper(c);
        const bool mask = u == 'X' || u == '*' || u == '#' || u == '.';
        run = mask && u == previous ? run + 1 : (mask ? 1 : 0);
        previous = u;
        if (run >= 4) return true;
    }
    return false;
}

// A run of at least `length` of one character ("sntryu_aaaa…aaaa"): a
// prefix followed by filler. 16 is longer than any run a format requires
// (Dropbox's long-lived tokens carry ten A) and than chance gives a random
// token (1 in 16^15 per position for hex).
bool has_long_run(std::string_view v, std::size_t length) noexcept {
    std::size_t run = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        run = i > 0 && to_upper(v[i]) == to_upper(v[i - 1]) ? run + 1 : 1;
        if (run >= length) return true;
    }
    return false;
}

// Values published in documentation as examples or for testing, compared
// without spaces, dashes and dots, ignoring case. Sources: AWS IAM user guide
// (access key examples), the SSA (078-05-1120 from the 1938 wallet insert,
// 219-09-9999 from its sample card, 123-45-6789), Stripe's and PayPal's test
// card lists, the SWIFT IBAN registry's examples, HMRC's NINO example
// (QQ123456C, QQ never issued), jwt.io's default token signature.
constexpr std::string_view kDocumentedValues[] = {
    "AKIAIOSFODNN7EXAMPLE",
    "WJALRXUTNFEMI/K7MDENG/BPXRFICYEXAMPLEKEY",
    "078051120",
    "219099999",
    "123456789",
    "4111111111111111",
    "4242424242424242",
    "4012888888881881",
    "4000056655665556",
    "5555555555554444",
    "5105105105105100",
    "378282246310005",
    "371449635398431",
    "6011111111111117",
    "3530111333300000",
    "30569309025904",
    "GB82WEST12345698765432",
    "DE89370400440532013000",
    "QQ123456C",
    "SFLKXWRJSMEKKF2QT4FWPMEJF36POK6YJV_ADQSSW5C",
};

bool is_documented_value(std::string_view v) noexcept {
    constexpr std::size_t kLongest = 64;
    char compact[kLongest];
    std::size_t n = 0;
    for (char c : v) {
        if (c == ' ' || c == '-' || c == '.') continue;
        if (n == kLongest) return false;
        compact[n++] = to_upper(c);
    }
    const std::string_view s(compact, n);
    for (std::string_view known : kDocumentedValues)
        if (s == known) return true;
    return false;
}

// Words that mark a value as a stand-in, anywhere in it.
constexpr std::string_view kPlaceholderWords[] = {"example", "sample",   "dummy",    "placeholder", "your_",   "your-",
                                                  "yourkey", "changeme", "redacted", "not-a-real",  "notreal", "lorem"};
// Words that do so only as a word of their own.
constexpr std::string_view kPlaceholderTokens[] = {"test", "fake", "todo", "fixme"};

constexpr std::size_t kSequentialRun = 6;
constexpr std::size_t kLongRun = 16;

}  // namespace

// Rejects what people write in place of a real value; see checks.hpp.
bool placeholder(std::string_view candidate) noexcept {
    const std::string_view v = trim(candidate);
    if (v.empty()) return false;
    if (v.size() >= 3 && all_same(v)) return false;
    if (has_mask_run(v)) return false;
    if (has_long_run(v, kLongRun)) return false;
    for (std::string_view w : kPlaceholderWords)
        if (contains_ci(v, w)) return false;
    for (std::string_view w : kPlaceholderTokens)
        if (contains_word_ci(v, w)) return false;
    // Templates: <your key>, ${TOKEN}, {{ token }}.
    const std::size_t open = v.find('<');
    if (open != std::string_view::npos && v.find('>', open) != std::string_view::npos) return false;
    const std::size_t dollar = v.find("${");
    if (dollar != std::string_view::npos && v.find('}', dollar) != std::string_view::npos) return false;
    const std::size_t braces = v.find("{{");
    if (braces != std::string_view::npos && v.find("}}", braces) != std::string_view::npos) return false;
    if (has_sequential_run(v, kSequentialRun)) return false;
    if (is_repeated_unit(v)) return false;
    return !is_documented_value(v);
}

// The check digit of ICAO Doc 9303 part 3, section 4.9 (machine-readable
// travel documents): digits are themselves, A-Z are 10-35, the filler '<'
// is 0; weights 7 3 1 repeating; the sum mod 10 is the last character.
// Lower case is read as upper case.
bool icao_9303(std::string_view candidate) noexcept {
    const std::string_view v = trim(candidate);
    if (v.size() < 2 || v.size() > 44 || !is_digit(v.back())) return false;  // 44: the longest MRZ line
    static constexpr int weights[] = {7, 3, 1};
    int sum = 0;
    for (std::size_t i = 0; i + 1 < v.size(); ++i) {
        const char c = to_upper(v[i]);
        int value = 0;
        if (is_digit(c))
            value = digit(c);
        else if (is_upper(c))
            value = c - 'A' + 10;
        else if (c != '<')
            return false;
        sum += value * weights[i % 3];
    }
    return sum % 10 == digit(v.back());
}

}  // namespace dlpd::validators
