// The United Kingdom, Spain, Italy, Poland, Sweden, Finland and Turkey.
#include "checks.hpp"
#include "text.hpp"

namespace dlpd::validators {

using namespace text;

// NHS number (NHS Data Dictionary, "NHS Number"): ten digits, written 3-3-4
// with spaces or dashes; weights 10 down to 2 on the first nine, the check
// digit is 11 minus the sum mod 11 (11 becomes 0, 10 is never issued).
bool uk_nhs(std::string_view candidate) noexcept {
    Compact<10> s;
    if (!s.read(candidate, " -", Keep::digits) || s.size() != 10) return false;
    static constexpr int weights[] = {10, 9, 8, 7, 6, 5, 4, 3, 2};
    int check = 11 - weighted_sum(s.view(), weights) % 11;
    if (check == 11) check = 0;
    return check != 10 && check == digit(s[9]);
}

// National Insurance number (HMRC National Insurance Manual NIM39110): two
// prefix letters, six digits, a suffix A-D, spaces allowed between pairs.
// Neither prefix letter is D, F, I, Q, U or V; the second is not O; the
// prefixes BG, GB, KN, NK, NT, TN and ZZ are not allocated.
bool uk_nino(std::string_view candidate) noexcept {
    Compact<9> s;
    if (!s.read(candidate, " ", Keep::alnum) || s.size() != 9) return false;
    const std::string_view v = s.view();
    if (!is_upper(v[0]) || !is_upper(v[1]) || !all_digits(v.substr(2, 6))) return false;
    if (std::string_view("DFIQUV").find(v[0]) != std::string_view::npos) return false;
    if (std::string_view("DFIOQUV").find(v[1]) != std::string_view::npos) return false;
    for (std::string_view bad : {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
        if (v.substr(0, 2) == bad) return false;
    return v[8] >= 'A' && v[8] <= 'D';
}

// GB driving licence number (DVLA, "Driving licence number" in the INF45
// guide to the photocard licence): 16 characters. Five of the surname,
// letters then 9-padding; the birth year's decade digit; the birth month
// (plus 50 for women); the day; the year's last digit; two initials (9 when
// absent); an arbitrary digit; two check characters.
bool uk_driving_licence(std::string_view candidate) noexcept {
    Compact<16> s;
    if (!s.read(candidate, " ", Keep::alnum) || s.size() != 16) return false;
    const std::string_view v = s.view();
    std::size_t letters = 0;
    while (letters < 5 && is_upper(v[letters])) ++letters;
    if (letters == 0) return false;
    for (std::size_t i = letters; i < 5; ++i)
        if (v[i] != '9') return false;
    if (!all_digits(v.substr(5, 6))) return false;
    int month = number(v.substr(6, 2));
    if (month > 50) month -= 50;
    const int day = number(v.substr(8, 2));
    if (month < 1 || month > 12 || day < 1 || day > 31) return false;
    if (!is_upper(v[11]) || !(is_upper(v[12]) || v[12] == '9')) return false;
    return is_digit(v[13]) && is_alnum(v[14]) && is_alnum(v[15]);
}

// GB vehicle registration (DVLA INF104, "Vehicle registration numbers and
// number plates"): the current format (since September 2001) is two letters,
// a two-digit age identifier (02-29 for March, 51-79 for September plates)
// and three letters, I and Q never used, Z not first. Older prefix, suffix
// and dateless marks are accepted when they are 2 to 7 letters and digits
// with at least one of each.
bool uk_vehicle_registration(std::string_view candidate) noexcept {
    Compact<7> s;
    if (!s.read(candidate, " ", Keep::alnum) || s.size() < 2) return false;
    const std::string_view v = s.view();
    const bool current =
        v.size() == 7 && all_upper(v.substr(0, 2)) && all_digits(v.substr(2, 2)) && all_upper(v.substr(4, 3));
    if (!current) {
        bool letter = false, digit_seen = false;
        for (char c : v) (is_digit(c) ? digit_seen : letter) = true;
        return letter && digit_seen;
    }
    for (char c : v)
        if (c == 'I' || c == 'Q') return false;
    if (v[0] == 'Z') return false;
    const int age = number(v.substr(2, 2));
    return (age >= 2 && age <= 29) || (age >= 51 && age <= 79);
}

namespace {

constexpr std::string_view kSpanishLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

// The control letter of a DNI/NIE number (Ministerio del Interior, "Cálculo
// del dígito de control del NIF/NIE"): the number mod 23 indexes the table.
bool spanish_letter_matches(int number, char letter) noexcept {
    return kSpanishLetters[number % 23] == letter;
}

bool nie_checks(std::string_view v) noexcept {
    if (v.size() != 9) return false;
    const std::size_t prefix = std::string_view("XYZ").find(v[0]);
    if (prefix == std::string_view::npos || !all_digits(v.substr(1, 7)) || !is_upper(v[8])) return false;
    return spanish_letter_matches(static_cast<int>(prefix) * 10'000'000 + number(v.substr(1, 7)), v[8]);
}

}  // namespace

// Spanish NIF of a person (Real Decreto 1065/2007 art. 18-20 and the
// Ministerio del Interior's control-letter rule): a DNI of up to eight
// digits and its letter ("12345678Z"), an NIE (see es_nie), or a K, L or M
// NIF of seven digits and a letter. Dashes and spaces are ignored.
bool es_nif(std::string_view candidate) noexcept {
    Compact<9> s;
    if (!s.read(candidate, " -", Keep::alnum) || s.size() < 2) return false;
    const std::string_view v = s.view();
    if (nie_checks(v)) return true;
    const char letter = v.back();
    if (!is_upper(letter)) return false;
    if ((v[0] == 'K' || v[0] == 'L' || v[0] == 'M') && v.size() == 9)
        return all_digits(v.substr(1, 7)) && spanish_letter_matches(number(v.substr(1, 7)), letter);
    const std::string_view digits = v.substr(0, v.size() - 1);
    if (digits.size() < 6 || digits.size() > 8 || !all_digits(digits)) return false;
    return spanish_letter_matches(number(digits), letter);
}

// Spanish NIE (Orden INT/2058/2008): X, Y or Z (read as 0, 1, 2), seven
// digits, and the DNI control letter of the resulting eight-digit number.
bool es_nie(std::string_view candidate) noexcept {
    Compact<9> s;
    return s.read(candidate, " -", Keep::alnum) && nie_checks(s.view());
}

namespace {

// Letters that stand for digits 0-9 when the Agenzia delle Entrate resolves
// a collision ("omocodia", DM 12/03/1974 and its 1976 amendment).
constexpr std::string_view kOmocodia = "LMNPQRSTUV";

int fiscal_digit(char c) noexcept {
    if (is_digit(c)) return digit(c);
    const std::size_t i = kOmocodia.find(c);
    return i == std::string_view::npos ? -1 : static_cast<int>(i);
}

}  // namespace

// Italian codice fiscale of a person (DM 23/12/1976, "Sistemi di codificazione
// dei soggetti da iscrivere nell'anagrafe tributaria"): six letters (surname,
// name), two year digits, a month letter (A B C D E H L M P R S T), two day
// digits (plus 40 for women), a municipality letter and three digits, and a
// check letter. Any of the seven digits may be replaced by its omocodia
// letter. The check letter: characters in odd positions map through the
// decree's odd table, those in even positions to their value (digit, or
// letter A=0), the sum mod 26 is the letter.
bool it_fiscal_code(std::string_view candidate) noexcept {
    Compact<16> s;
    if (!s.read(candidate, "", Keep::alnum) || s.size() != 16) return false;
    const std::string_view v = s.view();
    if (!all_upper(v.substr(0, 6)) || !is_upper(v[8]) || !is_upper(v[11]) || !is_upper(v[15])) return false;
    for (std::size_t i : {6u, 7u, 9u, 10u, 12u, 13u, 14u})
        if (fiscal_digit(v[i]) < 0) return false;
    if (std::string_view("ABCDEHLMPRST").find(v[8]) == std::string_view::npos) return false;
    const int day = fiscal_digit(v[9]) * 10 + fiscal_digit(v[10]);
    if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
    // Odd-position values for 0-9 / A-J, then K-Z.
    static constexpr int odd_0_9[] = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21};
    static constexpr int odd_k_z[] = {2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
    int sum = 0;
    for (std::size_t i = 0; i < 15; ++i) {
        const char c = v[i];
        const int value = is_digit(c) ? digit(c) : c - 'A';
        if (i % 2 == 1)
            sum += value;
        else
            sum += value < 10 ? odd_0_9[value] : odd_k_z[value - 10];
    }
    return v[15] == static_cast<char>('A' + sum % 26);
}

// Italian partita IVA (DPR 633/1972 art. 35, DM 23/12/1976): eleven digits
// whose last is a Luhn check digit; an "IT" prefix (VIES form) is allowed.
// All zeros passes the arithmetic but is not a number.
bool it_vat(std::string_view candidate) noexcept {
    Compact<13> s;
    if (!s.read(candidate, " ", Keep::alnum)) return false;
    std::string_view v = s.view();
    if (v.size() == 13 && v.substr(0, 2) == "IT") v.remove_prefix(2);
    if (v.size() != 11 || !all_digits(v) || all_same(v)) return false;
    return luhn(v);
}

// Polish PESEL (Ustawa o ewidencji ludności, 2010, art. 15): YYMMDD, four
// serial digits, a check digit (weights 1 3 7 9 1 3 7 9 1 3, check is
// 10 - sum mod 10, mod 10). The month carries the century: +80 for 1800s,
// +0, +20, +40, +60 for the 1900s to 2200s; the date must exist.
bool pl_pesel(std::string_view candidate) noexcept {
    Compact<11> s;
    if (!s.read(candidate, "", Keep::digits) || s.size() != 11) return false;
    const std::string_view v = s.view();
    int month = number(v.substr(2, 2));
    int century = 1900;
    if (month > 80)
        century = 1800, month -= 80;
    else if (month > 60)
        century = 2200, month -= 60;
    else if (month > 40)
        century = 2100, month -= 40;
    else if (month > 20)
        century = 2000, month -= 20;
    if (!is_date(century + number(v.substr(0, 2)), month, number(v.substr(4, 2)))) return false;
    static constexpr int weights[] = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
    return (10 - weighted_sum(v, weights) % 10) % 10 == digit(v[10]);
}

// Swedish personnummer and samordningsnummer (Skatteverket SKV 704, and
// SKV 707 for samordningsnummer): YYMMDD or YYYYMMDD, an optional '-' (or
// '+' from the year a person turns 100) before the last four, three serial
// digits and a Luhn check digit over the ten-digit form. A samordningsnummer
// adds 60 to the day. The date must exist.
bool se_personnummer(std::string_view candidate) noexcept {
    std::string_view v = trim(candidate);
    if (v.size() == 11 || v.size() == 13) {
        const char sep = v[v.size() - 5];
        if (sep != '-' && sep != '+') return false;
    }
    Compact<12> s;
    if (!s.read(v, "-+", Keep::digits) || (s.size() != 10 && s.size() != 12)) return false;
    if (v.size() != s.size() && v.size() != s.size() + 1) return false;
    std::string_view d = s.view();
    int year = 2000;  // the century of a ten-digit number is unknown: 2000 is a leap year
    if (d.size() == 12) {
        year = number(d.substr(0, 2)) * 100;
        if (year < 1800 || year > 2000) return false;
        d.remove_prefix(2);
    }
    year += number(d.substr(0, 2));
    int day = number(d.substr(4, 2));
    if (day > 60) day -= 60;
    if (!is_date(year, number(d.substr(2, 2)), day)) return false;
    return luhn(d);
}

// Swedish organisationsnummer (Bolagsverket; Skatteverket SKV 709): ten
// digits, an optional '-' after six, the third digit at least 2 (so it is
// never a date), a Luhn check digit. The twelve-digit form prefixes "16".
bool se_organisationsnummer(std::string_view candidate) noexcept {
    Compact<12> s;
    if (!s.read(candidate, "-", Keep::digits)) return false;
    std::string_view v = s.view();
    if (v.size() == 12 && v.substr(0, 2) == "16") v.remove_prefix(2);
    if (v.size() != 10 || digit(v[2]) < 2) return false;
    return luhn(v);
}

// Finnish henkilötunnus (Digital and Population Data Services Agency,
// "Personal identity code"; Decree 128/2010 and the 2023 century signs):
// DDMMYY, a century sign (+ for 1800s; - Y X W V U for 1900s; A B C D E F for
// 2000s), a three-digit individual number 002-999, and the control
// character "0123456789ABCDEFHJKLMNPRSTUVWXY"[DDMMYYNNN mod 31].
bool fi_hetu(std::string_view candidate) noexcept {
    const std::string_view v = trim(candidate);
    if (v.size() != 11 || !all_digits(v.substr(0, 6)) || !all_digits(v.substr(7, 3))) return false;
    const char sign = to_upper(v[6]);
    int century = 0;
    if (sign == '+')
        century = 1800;
    else if (std::string_view("-YXWVU").find(sign) != std::string_view::npos)
        century = 1900;
    else if (std::string_view("ABCDEF").find(sign) != std::string_view::npos)
        century = 2000;
    else
        return false;
    if (!is_date(century + number(v.substr(4, 2)), number(v.substr(2, 2)), number(v.substr(0, 2)))) return false;
    const int individual = number(v.substr(7, 3));
    if (individual < 2) return false;
    const long long n = static_cast<long long>(number(v.substr(0, 6))) * 1000 + individual;
    return std::string_view("0123456789ABCDEFHJKLMNPRSTUVWXY")[static_cast<std::size_t>(n % 31)] == to_upper(v[10]);
}

// Turkish T.C. Kimlik No (Nüfus ve Vatandaşlık İşleri; the check rules as
// published with the MERNİS identity number): eleven digits, the first not
// 0; digit 10 is (7 * (d1+d3+d5+d7+d9) - (d2+d4+d6+d8)) mod 10, digit 11 is
// the sum of the first ten mod 10.
bool tr_tckn(std::string_view candidate) noexcept {
    Compact<11> s;
    if (!s.read(candidate, " ", Keep::digits) || s.size() != 11 || s[0] == '0') return false;
    const std::string_view v = s.view();
    int odd = 0, even = 0, first_ten = 0;
    for (std::size_t i = 0; i < 9; ++i) (i % 2 == 0 ? odd : even) += digit(v[i]);
    for (std::size_t i = 0; i < 10; ++i) first_ten += digit(v[i]);
    const int tenth = ((odd * 7 - even) % 10 + 10) % 10;
    return tenth == digit(v[9]) && first_ten % 10 == digit(v[10]);
}

// Turkish licence plate (Karayolları Trafik Yönetmeliği, art. 6): a
// province code 01-81, one to three letters, two to four digits, spaces
// allowed between the parts.
bool tr_license_plate(std::string_view candidate) noexcept {
    Compact<9> s;
    if (!s.read(candidate, " ", Keep::alnum) || s.size() < 5) return false;
    const std::string_view v = s.view();
    if (!all_digits(v.substr(0, 2))) return false;
    const int province = number(v.substr(0, 2));
    if (province < 1 || province > 81) return false;
    std::size_t i = 2;
    while (i < v.size() && is_upper(v[i])) ++i;
    const std::size_t letters = i - 2, digits = v.size() - i;
    return letters >= 1 && letters <= 3 && digits >= 2 && digits <= 4 && all_digits(v.substr(i));
}

}  // namespace dlpd::validators
