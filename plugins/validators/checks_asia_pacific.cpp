// India, Korea, Singapore, Australia, Thailand, the Philippines, Nigeria and
// South Africa.
#include <chrono>

#include "checks.hpp"
#include "text.hpp"

namespace dlpd::validators {

using namespace text;

namespace text {

// Verhoeff (1969); tables as in Gallian, "Error Detection Methods", ACM
// Computing Surveys 28(3), 1996: d is the dihedral group D5, p the position
// permutation applied i mod 8 times. A number with its check digit checks
// when the product over its digits, read from the right, is 0.
bool verhoeff(std::string_view digits) noexcept {
    static constexpr uint8_t d[10][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
                                          {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
                                          {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
                                          {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
                                          {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    static constexpr uint8_t p[8][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
                                         {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
                                         {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
                                         {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
    if (!all_digits(digits)) return false;
    int c = 0;
    std::size_t i = 0;
    for (std::size_t k = digits.size(); k-- > 0; ++i) c = d[c][p[i % 8][digit(digits[k])]];
    return c == 0;
}

}  // namespace text

// Aadhaar (UIDAI, "Aadhaar Numbering Scheme", 2012): twelve digits, grouped
// 4-4-4 by spaces or dashes, the first 2-9, the last a Verhoeff check digit.
// As Presidio does, a palindrome rejects.
bool in_aadhaar(std::string_view candidate) noexcept {
    Compact<12> s;
    if (!s.read(candidate, " -", Keep::digits) || s.size() != 12) return false;
    const std::string_view v = s.view();
    if (v[0] < '2') return false;
    bool palindrome = true;
    for (std::size_t i = 0; i < 6; ++i) palindrome = palindrome && v[i] == v[11 - i];
    return !palindrome && verhoeff(v);
}

namespace {

// The holder-type letter, fourth of a PAN (Income Tax Department, "Know your
// PAN"): Association of persons, Body of individuals, Company, Firm/LLP,
// Government, HUF, artificial Juridical person, Local authority, Person,
// Trust.
constexpr std::string_view kPanHolderTypes = "ABCFGHJLPT";

bool pan_shape(std::string_view v) noexcept {
    return v.size() == 10 && all_upper(v.substr(0, 5)) && all_digits(v.substr(5, 4)) && is_upper(v[9]) &&
           kPanHolderTypes.find(v[3]) != std::string_view::npos;
}

}  // namespace

// Indian Permanent Account Number (Income-tax Rules 1962, rule 114): five
// letters (the fourth the holder type), four digits, a letter.
bool in_pan(std::string_view candidate) noexcept {
    Compact<10> s;
    return s.read(candidate, "", Keep::alnum) && pan_shape(s.view());
}

// GSTIN (CGST Rules 2017, rule 10 and Form GST REG-06; the check character is
// the Luhn mod 36 algorithm over 0-9A-Z): a state code (01-38, 97 other
// territory, 99 centre), the holder's PAN, an entity number (1-9, A-Z), 'Z',
// and the check character.
bool in_gstin(std::string_view candidate) noexcept {
    Compact<15> s;
    if (!s.read(candidate, "", Keep::alnum) || s.size() != 15) return false;
    const std::string_view v = s.view();
    if (!all_digits(v.substr(0, 2))) return false;
    const int state = number(v.substr(0, 2));
    if (!((state >= 1 && state <= 38) || state == 97 || state == 99)) return false;
    if (!pan_shape(v.substr(2, 10)) || v[12] == '0' || v[13] != 'Z') return false;
    auto value = [](char c) { return is_digit(c) ? digit(c) : c - 'A' + 10; };
    int sum = 0;
    for (std::size_t i = 0; i < 14; ++i) {
        const int p = value(v[i]) * (i % 2 == 0 ? 1 : 2);
        sum += p / 36 + p % 36;
    }
    return value(v[14]) == (36 - sum % 36) % 36;
}

// Korean resident registration number (Resident Registration Act,
// Enforcement Rule art. 2; the check digit as issued until October 2020):
// YYMMDD, '-', a sex/century digit (9 0: 1800s; 1 2: 1900s; 3 4: 2000s;
// 5-8 the same for foreign residents), four more digits and a check digit:
// weights 2-9, 2-5; (11 - sum mod 11) mod 10, or (13 - sum mod 11) mod 10 for
// a foreign resident's number. The birth date must exist. Numbers issued
// since October 2020 end in random digits: structure_only skips the check.
bool kr_rrn(std::string_view candidate, bool structure_only) noexcept {
    Compact<13> s;
    if (!s.read(candidate, "- ", Keep::digits) || s.size() != 13) return false;
    const std::string_view v = s.view();
    static constexpr int century_of[] = {1800, 1900, 1900, 2000, 2000, 1900, 1900, 2000, 2000, 1800};
    const int sex = digit(v[6]);
    if (!is_date(century_of[sex] + number(v.substr(0, 2)), number(v.substr(2, 2)), number(v.substr(4, 2))))
        return false;
    if (structure_only) return true;
    static constexpr int weights[] = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
    const int sum = weighted_sum(v, weights);
    const bool foreign = sex >= 5 && sex <= 8;
    return (foreign ? 13 - sum % 11 : 11 - sum % 11) % 10 == digit(v[12]);
}

// Korean business registration number (National Tax Service, 사업자등록번호
// 체계): ten digits written 3-2-5; weights 1 3 7 1 3 7 1 3 5, the ninth
// product's tens digit added once more, the check digit is 10 minus the sum
// mod 10, mod 10.
bool kr_brn(std::string_view candidate) noexcept {
    Compact<10> s;
    if (!s.read(candidate, "- ", Keep::digits) || s.size() != 10) return false;
    const std::string_view v = s.view();
    static constexpr int weights[] = {1, 3, 7, 1, 3, 7, 1, 3};
    const int ninth = digit(v[8]) * 5;
    const int sum = weighted_sum(v, weights) + ninth + ninth / 10;
    return (10 - sum % 10) % 10 == digit(v[9]);
}

// Korean driver's licence number (Road Traffic Act Enforcement Rule, form
// 1-2 of the licence): twelve digits written 2-2-6-2, the first two a
// regional code, 11-26 or 28.
bool kr_driver_license(std::string_view candidate) noexcept {
    Compact<12> s;
    if (!s.read(candidate, "- ", Keep::digits) || s.size() != 12) return false;
    const int region = number(s.view().substr(0, 2));
    return (region >= 11 && region <= 26) || region == 28;
}

// Singapore NRIC and FIN (ICA; the check letter as published with the NRIC
// numbering): S T F G M, seven digits, a check letter. Weights 2 7 6 5 4 3 2,
// plus 4 for T and G, 3 for M; the sum mod 11 indexes JZIHGFEDCBA (S T),
// XWUTRQPNMLK (F G) or XWUTRQPNJLK (M).
bool sg_nric(std::string_view candidate) noexcept {
    Compact<9> s;
    if (!s.read(candidate, "", Keep::alnum) || s.size() != 9) return false;
    const std::string_view v = s.view();
    if (!all_digits(v.substr(1, 7)) || !is_upper(v[8])) return false;
    static constexpr int weights[] = {2, 7, 6, 5, 4, 3, 2};
    int sum = weighted_sum(v.substr(1), weights);
    std::string_view letters;
    switch (v[0]) {
        case 'S':
            letters = "JZIHGFEDCBA";
            break;
        case 'T':
            letters = "JZIHGFEDCBA";
            sum += 4;
            break;
        case 'F':
            letters = "XWUTRQPNMLK";
            break;
        case 'G':
            letters = "XWUTRQPNMLK";
            sum += 4;
            break;
        case 'M':
            letters = "XWUTRQPNJLK";
            sum += 3;
            break;
        default:
            return false;
    }
    return letters[static_cast<std::size_t>(sum % 11)] == v[8];
}

// Singapore Unique Entity Number (ACRA / uen.gov.sg, "UEN format"): format A,
// eight digits and a check letter (businesses); format B, a four-digit
// registration year (not in the future), five digits and a check letter
// (local companies); format C, T/S/R (20xx/19xx/18xx), two year digits, an
// entity type, four digits and a check letter (other entities). Weights and
// letter tables as ACRA publishes them (and Presidio's SgUenRecognizer uses).
bool sg_uen(std::string_view candidate) noexcept {
    Compact<10> s;
    if (!s.read(candidate, "", Keep::alnum) || s.size() < 9) return false;
    const std::string_view v = s.view();
    if (v.size() == 9) {
        static constexpr int weights[] = {10, 4, 9, 3, 8, 2, 7, 1};
        return all_digits(v.substr(0, 8)) && std::string_view("XMKECAWLJDB")[weighted_sum(v, weights) % 11] == v[8];
    }
    if (all_digits(v.substr(0, 9))) {
        const auto today =
            std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
        if (number(v.substr(0, 4)) > static_cast<int>(today.year())) return false;
        static constexpr int weights[] = {10, 8, 6, 4, 9, 7, 5, 3, 1};
        return std::string_view("ZKCMDNERGWH")[weighted_sum(v, weights) % 11] == v[9];
    }
    if (v[0] != 'T' && v[0] != 'S' && v[0] != 'R') return false;
    if (!all_digits(v.substr(1, 2)) || !all_digits(v.substr(5, 4))) return false;
    static constexpr std::string_view kEntityTypes[] = {"LP", "LL", "FC", "PF", "RF", "MQ", "MM", "NB", "CC", "CS",
                                                        "MB", "FM", "GS", "DP", "CP", "NR", "CM", "CD", "MD", "HS",
                                                        "VH", "CH", "MH", "CL", "XL", "CX", "HC", "RP", "TU", "TC",
                                                        "FB", "FN", "PA", "PB", "SS", "MC", "SM", "GA", "GB"};
    bool known = false;
    for (std::string_view t : kEntityTypes) known = known || v.substr(3, 2) == t;
    if (!known) return false;
    constexpr std::string_view alphabet = "ABCDEFGHJKLMNPQRSTUVWX0123456789";
    static constexpr int weights[] = {4, 3, 5, 3, 10, 2, 2, 5, 7};
    int sum = 0;
    for (std::size_t i = 0; i < 9; ++i) {
        const std::size_t a = alphabet.find(v[i]);
        if (a == std::string_view::npos) return false;
        sum += static_cast<int>(a) * weights[i];
    }
    return alphabet[static_cast<std::size_t>(((sum - 5) % 11 + 11) % 11)] == v[9];
}

// Australian Tax File Number (ATO; the weights are those the ATO gives
// software developers): nine digits weighted 1 4 3 7 5 8 6 9 10, or the older
// eight weighted 10 7 8 4 6 3 5 1; the sum is 0 mod 11.
bool au_tfn(std::string_view candidate) noexcept {
    Compact<9> s;
    if (!s.read(candidate, " -", Keep::digits)) return false;
    if (s.size() == 9) {
        static constexpr int weights[] = {1, 4, 3, 7, 5, 8, 6, 9, 10};
        return weighted_sum(s.view(), weights) % 11 == 0;
    }
    static constexpr int weights[] = {10, 7, 8, 4, 6, 3, 5, 1};
    return s.size() == 8 && weighted_sum(s.view(), weights) % 11 == 0;
}

// Australian Business Number (ABR, "Format of the ABN"): eleven digits;
// subtract 1 from the first, weight by 10 1 3 5 7 9 11 13 15 17 19, the sum
// is 0 mod 89.
bool au_abn(std::string_view candidate) noexcept {
    Compact<11> s;
    if (!s.read(candidate, " -", Keep::digits) || s.size() != 11) return false;
    static constexpr int weights[] = {10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19};
    const int sum = weighted_sum(s.view(), weights) - 10;  // the first digit minus 1
    return sum % 89 == 0;
}

// Australian Company Number (ASIC, "Australian Company Number (ACN)
// check digit"): nine digits; the first eight weighted 8 down to 1, the check
// digit is 10 minus the sum mod 10, mod 10.
bool au_acn(std::string_view candidate) noexcept {
    Compact<9> s;
    if (!s.read(candidate, " -", Keep::digits) || s.size() != 9) return false;
    static constexpr int weights[] = {8, 7, 6, 5, 4, 3, 2, 1};
    return (10 - weighted_sum(s.view(), weights) % 10) % 10 == digit(s[8]);
}

// Australian Medicare card number (Services Australia, as documented for
// practice software): ten digits, eleven with the individual reference
// number; the first 2-6, the ninth the sum of the first eight weighted
// 1 3 7 9 1 3 7 9, mod 10.
bool au_medicare(std::string_view candidate) noexcept {
    Compact<11> s;
    if (!s.read(candidate, " -", Keep::digits) || (s.size() != 10 && s.size() != 11)) return false;
    if (s[0] < '2' || s[0] > '6') return false;
    static constexpr int weights[] = {1, 3, 7, 9, 1, 3, 7, 9};
    return weighted_sum(s.view(), weights) % 10 == digit(s[8]);
}

// Thai national ID number (Department of Provincial Administration): thirteen
// digits, written 1-4-5-2-1; the first twelve weighted 13 down to 2, the
// check digit is (11 - sum mod 11) mod 10.
bool th_tnin(std::string_view candidate) noexcept {
    Compact<13> s;
    if (!s.read(candidate, " -", Keep::digits) || s.size() != 13) return false;
    static constexpr int weights[] = {13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2};
    return (11 - weighted_sum(s.view(), weights) % 11) % 10 == digit(s[12]);
}

// Philippine TIN (BIR; the check digit as Presidio's PhTinRecognizer applies
// it): nine digits, or twelve with the branch code, grouped by dashes or
// spaces; the first eight weighted 9 down to 2, the sum mod 11 is the ninth
// digit (a remainder of 10 is never issued).
bool ph_tin(std::string_view candidate) noexcept {
    Compact<12> s;
    if (!s.read(candidate, " -", Keep::digits) || (s.size() != 9 && s.size() != 12)) return false;
    static constexpr int weights[] = {9, 8, 7, 6, 5, 4, 3, 2};
    return weighted_sum(s.view(), weights) % 11 == digit(s[8]);
}

// Nigerian National Identification Number (NIMC; Verhoeff check digit, as
// Presidio's NgNinRecognizer applies it): eleven digits.
bool ng_nin(std::string_view candidate) noexcept {
    Compact<11> s;
    return s.read(candidate, " ", Keep::digits) && s.size() == 11 && verhoeff(s.view());
}

// South African identity number (Identification Act 68 of 1997; the check
// digit is Luhn): YYMMDD (an existing date), four sequence digits,
// citizenship 0 (citizen), 1 (permanent resident) or 2 (refugee), 8 or 9,
// and a Luhn check digit.
bool za_id(std::string_view candidate) noexcept {
    Compact<13> s;
    if (!s.read(candidate, " ", Keep::digits) || s.size() != 13) return false;
    const std::string_view v = s.view();
    const int yy = number(v.substr(0, 2)), mm = number(v.substr(2, 2)), dd = number(v.substr(4, 2));
    if (!is_date(1900 + yy, mm, dd) && !is_date(2000 + yy, mm, dd)) return false;
    if (v[10] > '2' || (v[11] != '8' && v[11] != '9')) return false;
    return luhn(v);
}

}  // namespace dlpd::validators
