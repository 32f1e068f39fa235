// United States and Canada.
#include "checks.hpp"
#include "text.hpp"

namespace dlpd::validators {

using namespace text;

namespace {

// Nine digits written 3-2-4, either run together or split by one kind of
// separator (space, dash or dot) in both places: "078-05-1120", "078 05 1120",
// "078051120". Mixed or misplaced separators reject (as Presidio's
// UsSsnRecognizer does).
bool read_3_2_4(std::string_view candidate, Compact<9> &out) noexcept {
    const std::string_view v = trim(candidate);
    if (v.size() == 11) {
        const char sep = v[3];
        if ((sep != '-' && sep != ' ' && sep != '.') || v[6] != sep) return false;
    } else if (v.size() != 9) {
        return false;
    }
    return out.read(v, v.size() == 11 ? v.substr(3, 1) : std::string_view{}, Keep::digits) && out.size() == 9;
}

}  // namespace

// US Social Security number (SSA, "Social Security Number Randomization",
// 2011, and POMS RM 10201.035): area 001-899 except 666, group 01-99, serial
// 0001-9999. Also rejected, as Presidio does: one digit repeated, and the
// numbers the SSA documents as never valid or as published samples
// (123-45-6789, 078-05-1120, 219-09-9999). These are rejected here rather
// than left to `placeholder` so that a rule asking only for us_ssn gets them.
bool us_ssn(std::string_view candidate) noexcept {
    Compact<9> s;
    if (!read_3_2_4(candidate, s)) return false;
    const std::string_view v = s.view();
    const int area = number(v.substr(0, 3));
    if (area == 0 || area == 666 || area >= 900) return false;
    if (v.substr(3, 2) == "00" || v.substr(5, 4) == "0000") return false;
    if (all_same(v)) return false;
    for (std::string_view sample : {"123456789", "078051120", "219099999"})
        if (v == sample) return false;
    return true;
}

// US Individual Taxpayer Identification Number (IRS, "Individual Taxpayer
// Identification Number", Publication 1915): nine digits, 3-2-4, starting
// with 9, the middle group 50-65, 70-88, 90-92 or 94-99.
bool us_itin(std::string_view candidate) noexcept {
    Compact<9> s;
    if (!read_3_2_4(candidate, s)) return false;
    const std::string_view v = s.view();
    if (v[0] != '9') return false;
    const int group = number(v.substr(3, 2));
    return (group >= 50 && group <= 65) || (group >= 70 && group <= 88) || (group >= 90 && group <= 92) || group >= 94;
}

// US National Provider Identifier (CMS, "Requirements for National Provider
// Identifier (NPI) and NPI Enumerator": ten digits, the first 1 or 2, the
// last a Luhn check digit computed with the card-issuer prefix 80840
// prepended). As Presidio does, nine identical leading digits reject.
bool us_npi(std::string_view candidate) noexcept {
    Compact<10> s;
    if (!s.read(candidate, " -", Keep::digits) || s.size() != 10) return false;
    const std::string_view v = s.view();
    if (v[0] != '1' && v[0] != '2') return false;
    if (all_same(v.substr(0, 9))) return false;
    char prefixed[15] = {'8', '0', '8', '4', '0'};
    for (std::size_t i = 0; i < 10; ++i) prefixed[5 + i] = v[i];
    return luhn(std::string_view(prefixed, 15));
}

// US DEA registration number (21 CFR 1301, DEA Diversion Control Division's
// published check-digit rule): a registrant-type letter (A B C D E F G H J K
// L M P R S T U X), the first letter of the registrant's surname or business
// (or 9), six digits and a check digit: the last digit of
// (d1 + d3 + d5) + 2 * (d2 + d4 + d6). Presidio's medical_license.
bool us_dea(std::string_view candidate) noexcept {
    Compact<9> s;
    if (!s.read(candidate, "", Keep::alnum) || s.size() != 9) return false;
    const std::string_view v = s.view();
    if (std::string_view("ABCDEFGHJKLMPRSTUX").find(v[0]) == std::string_view::npos) return false;
    if (!is_upper(v[1]) && v[1] != '9') return false;
    const std::string_view d = v.substr(2);
    if (!all_digits(d)) return false;
    const int sum = digit(d[0]) + digit(d[2]) + digit(d[4]) + 2 * (digit(d[1]) + digit(d[3]) + digit(d[5]));
    return sum % 10 == digit(d[6]);
}

// Canadian Social Insurance Number (Employment and Social Development
// Canada, "Social Insurance Number — Code of Practice"; the check is Luhn):
// nine digits, grouped 3-3-3 by spaces or dashes. The first digit names the
// issuing region; 0 and 8 are never issued.
bool ca_sin(std::string_view candidate) noexcept {
    Compact<9> s;
    if (!s.read(candidate, " -", Keep::digits) || s.size() != 9) return false;
    const std::string_view v = s.view();
    if (v[0] == '0' || v[0] == '8') return false;
    return luhn(v);
}

}  // namespace dlpd::validators
