// Germany: tax, VAT, health and pension insurance, and physician numbers.
#include "checks.hpp"
#include "text.hpp"

namespace dlpd::validators {

using namespace text;

namespace text {

// ISO/IEC 7064:2003, MOD 11,10 (a hybrid system): running product starts at
// 10; for each digit, s = (digit + product) mod 10 (0 counts as 10), product
// = 2s mod 11; the check digit is 11 - product (10 becomes 0).
bool iso7064_mod11_10(std::string_view digits) noexcept {
    if (digits.size() < 2) return false;
    int product = 10;
    for (std::size_t i = 0; i + 1 < digits.size(); ++i) {
        int sum = (digit(digits[i]) + product) % 10;
        if (sum == 0) sum = 10;
        product = (sum * 2) % 11;
    }
    int check = 11 - product;
    if (check == 10) check = 0;
    return check == digit(digits.back());
}

}  // namespace text

// Steuerliche Identifikationsnummer (§ 139b AO; BZSt, "Aufbau der IdNr"):
// eleven digits, the first not 0. In the first ten, exactly one digit occurs
// more than once, two or three times, and never three times in a row; the
// eleventh is the ISO 7064 MOD 11,10 check digit.
bool de_tax_id(std::string_view candidate) noexcept {
    Compact<11> s;
    if (!s.read(candidate, " /", Keep::digits) || s.size() != 11 || s[0] == '0') return false;
    const std::string_view v = s.view();
    int count[10] = {};
    for (std::size_t i = 0; i < 10; ++i) ++count[digit(v[i])];
    int repeated = 0;
    for (int c : count) {
        if (c > 3) return false;
        if (c > 1) ++repeated;
    }
    if (repeated != 1) return false;
    for (std::size_t i = 0; i + 2 < 10; ++i)
        if (v[i] == v[i + 1] && v[i] == v[i + 2]) return false;
    return iso7064_mod11_10(v);
}

// German USt-IdNr (§ 27a UStG; the check digit is ISO 7064 MOD 11,10 as the
// BZSt's confirmation service applies it): "DE" and nine digits; spaces,
// dots and dashes are ignored.
bool de_vat_id(std::string_view candidate) noexcept {
    Compact<11> s;
    if (!s.read(candidate, " .-", Keep::alnum) || s.size() != 11) return false;
    const std::string_view v = s.view();
    return v.substr(0, 2) == "DE" && all_digits(v.substr(2)) && iso7064_mod11_10(v.substr(2));
}

// Krankenversichertennummer, the unchangeable part (§ 290 SGB V;
// GKV-Spitzenverband, "Richtlinien für den Aufbau und die Vergabe der
// Krankenversichertennummer", Anlage 1): a letter, eight digits, a check
// digit. The letter becomes two digits (A = 01); weights 1 2 1 2 ... on those
// ten digits, two-digit products are replaced by their digit sum, the sum
// mod 10 is the check digit.
bool de_health_insurance(std::string_view candidate) noexcept {
    Compact<10> s;
    if (!s.read(candidate, "", Keep::alnum) || s.size() != 10) return false;
    const std::string_view v = s.view();
    if (!is_upper(v[0]) || !all_digits(v.substr(1))) return false;
    const int letter = v[0] - 'A' + 1;
    int digits[10] = {letter / 10, letter % 10};
    for (std::size_t i = 1; i < 9; ++i) digits[i + 1] = digit(v[i]);
    int sum = 0;
    for (std::size_t i = 0; i < 10; ++i) {
        const int p = digits[i] * (i % 2 == 0 ? 1 : 2);
        sum += p / 10 + p % 10;
    }
    return sum % 10 == digit(v[9]);
}

// Rentenversicherungsnummer (§ 147 SGB VI; Versicherungsnummern-Verordnung
// VKVV § 2-4): two digits of the issuing institution, the birth date DDMMYY
// (the day plus 50 when a number was already taken), the surname's initial,
// a two-digit serial and a check digit. The letter becomes two digits
// (A = 01); weights 2 1 2 5 7 1 2 1 2 1 2 1, products replaced by their digit
// sum, the sum mod 10 is the check digit.
bool de_social_security(std::string_view candidate) noexcept {
    Compact<12> s;
    if (!s.read(candidate, " ", Keep::alnum) || s.size() != 12) return false;
    const std::string_view v = s.view();
    if (!all_digits(v.substr(0, 8)) || !is_upper(v[8]) || !all_digits(v.substr(9))) return false;
    const int day = number(v.substr(2, 2)), month = number(v.substr(4, 2));
    if (!((day >= 1 && day <= 31) || (day >= 51 && day <= 81)) || month < 1 || month > 12) return false;
    const int letter = v[8] - 'A' + 1;
    int digits[12];
    for (std::size_t i = 0; i < 8; ++i) digits[i] = digit(v[i]);
    digits[8] = letter / 10;
    digits[9] = letter % 10;
    digits[10] = digit(v[9]);
    digits[11] = digit(v[10]);
    static constexpr int weights[] = {2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1};
    int sum = 0;
    for (std::size_t i = 0; i < 12; ++i) {
        const int p = digits[i] * weights[i];
        sum += p / 10 + p % 10;
    }
    return sum % 10 == digit(v[11]);
}

// Lebenslange Arztnummer (KBV, "Richtlinie der Kassenärztlichen
// Bundesvereinigung nach § 75 Abs. 7 SGB V zur Vergabe der Arzt-,
// Betriebsstätten- sowie der Praxisnetznummern", Anlage 1): nine digits, six
// of the physician, a check digit, two of the specialty. The check digit is
// 10 minus (the first six weighted 4 9 4 9 4 9) mod 10, mod 10.
bool de_lanr(std::string_view candidate) noexcept {
    Compact<9> s;
    if (!s.read(candidate, "", Keep::digits) || s.size() != 9) return false;
    static constexpr int weights[] = {4, 9, 4, 9, 4, 9};
    return (10 - weighted_sum(s.view(), weights) % 10) % 10 == digit(s[6]);
}

}  // namespace dlpd::validators
