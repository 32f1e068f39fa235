// Every check the validators plugin offers, as pure functions: a candidate
// (the sensitive part of a match, arbitrary bytes) in, accept (true) or
// reject (false) out. None allocates, throws or reads past the candidate;
// each strips only the separators its format allows and rejects any other
// character. The specification each follows is cited above its definition
// and listed in README.md.
#ifndef DLPD_PLUGINS_VALIDATORS_CHECKS_HPP
#define DLPD_PLUGINS_VALIDATORS_CHECKS_HPP

#include <optional>
#include <string_view>

namespace dlpd::validators {

// --- banking and crypto (checks_banking.cpp) ----------------------------
bool iban(std::string_view candidate) noexcept;
bool aba_routing(std::string_view candidate) noexcept;
bool base58check(std::string_view candidate) noexcept;
bool bech32(std::string_view candidate) noexcept;

// --- the Americas (checks_americas.cpp) ---------------------------------
bool us_ssn(std::string_view candidate) noexcept;
bool us_itin(std::string_view candidate) noexcept;
bool us_npi(std::string_view candidate) noexcept;
bool us_dea(std::string_view candidate) noexcept;
bool ca_sin(std::string_view candidate) noexcept;

// --- Europe (checks_europe.cpp, checks_germany.cpp) ---------------------
bool uk_nhs(std::string_view candidate) noexcept;
bool uk_nino(std::string_view candidate) noexcept;
bool uk_driving_licence(std::string_view candidate) noexcept;
bool uk_vehicle_registration(std::string_view candidate) noexcept;
bool es_nif(std::string_view candidate) noexcept;
bool es_nie(std::string_view candidate) noexcept;
bool it_fiscal_code(std::string_view candidate) noexcept;
bool it_vat(std::string_view candidate) noexcept;
bool pl_pesel(std::string_view candidate) noexcept;
bool se_personnummer(std::string_view candidate) noexcept;
bool se_organisationsnummer(std::string_view candidate) noexcept;
bool fi_hetu(std::string_view candidate) noexcept;
bool tr_tckn(std::string_view candidate) noexcept;
bool tr_license_plate(std::string_view candidate) noexcept;
bool de_tax_id(std::string_view candidate) noexcept;
bool de_vat_id(std::string_view candidate) noexcept;
bool de_health_insurance(std::string_view candidate) noexcept;
bool de_social_security(std::string_view candidate) noexcept;
bool de_lanr(std::string_view candidate) noexcept;

// --- Asia-Pacific and Africa (checks_asia_pacific.cpp) ------------------
bool in_aadhaar(std::string_view candidate) noexcept;
bool in_pan(std::string_view candidate) noexcept;
bool in_gstin(std::string_view candidate) noexcept;
// structure_only: accept a well-formed RRN whose check digit does not match
// (numbers issued since October 2020 carry none).
bool kr_rrn(std::string_view candidate, bool structure_only = false) noexcept;
bool kr_brn(std::string_view candidate) noexcept;
bool kr_driver_license(std::string_view candidate) noexcept;
bool sg_nric(std::string_view candidate) noexcept;
bool sg_uen(std::string_view candidate) noexcept;
bool au_tfn(std::string_view candidate) noexcept;
bool au_abn(std::string_view candidate) noexcept;
bool au_acn(std::string_view candidate) noexcept;
bool au_medicare(std::string_view candidate) noexcept;
bool th_tnin(std::string_view candidate) noexcept;
bool ph_tin(std::string_view candidate) noexcept;
bool ng_nin(std::string_view candidate) noexcept;
bool za_id(std::string_view candidate) noexcept;

// --- network and generic (checks_network.cpp, checks_generic.cpp) -------
bool ipv4(std::string_view candidate) noexcept;
bool ipv6(std::string_view candidate) noexcept;
bool mac_address(std::string_view candidate) noexcept;
bool email(std::string_view candidate) noexcept;
bool icao_9303(std::string_view candidate) noexcept;

// Shannon entropy of the candidate's bytes, in bits per byte (0 for empty).
double shannon_bits_per_char(std::string_view candidate) noexcept;
// Accepts when the candidate carries at least min_bits bits per character.
bool entropy(std::string_view candidate, double min_bits) noexcept;
// The argument of `entropy:X`: a decimal in (0, 8], or nullopt.
std::optional<double> parse_entropy_threshold(std::string_view args) noexcept;

// Accepts everything except what people write in place of a real value:
// xxxx runs, EXAMPLE / sample / dummy / test / your_..., <...> and ${...}
// templates, one character repeated, long ascending or descending runs,
// a short pattern repeated, and documented test values.
bool placeholder(std::string_view candidate) noexcept;

}  // namespace dlpd::validators

#endif
