// The validators the plugin offers, by the name rules use: what each is
// called, whether a confirmation is structural evidence (a checksum) or only
// a filter, and how it reads a rule's argument (`entropy:3.5`). The plugin,
// the tests and the fuzz target all walk this one table.
#ifndef DLPD_PLUGINS_VALIDATORS_REGISTRY_HPP
#define DLPD_PLUGINS_VALIDATORS_REGISTRY_HPP

#include <cstddef>
#include <span>
#include <string_view>

#include "checks.hpp"

namespace dlpd::validators {

struct Check {
    // [a-z0-9_]+, unique; what rules write in `validators: [...]`.
    std::string_view name;
    // True when an accepted candidate passed a checksum or check character,
    // so a confirmation is evidence; false when the check only filters.
    bool checksum;
    // Accept (true) or reject; args were accepted by check_args. Any bytes
    // in, never throws.
    bool (*validate)(std::string_view candidate, std::string_view args) noexcept;
    // Empty when args are acceptable, else a message for the rule's author
    // saying what is wrong. Static text.
    std::string_view (*check_args)(std::string_view args) noexcept;
};

namespace registry_detail {

template <bool (*F)(std::string_view) noexcept>
bool no_args(std::string_view candidate, std::string_view) noexcept {
    return F(candidate);
}
inline std::string_view takes_no_argument(std::string_view args) noexcept {
    return args.empty() ? std::string_view{} : "takes no argument";
}

inline bool entropy_with(std::string_view candidate, std::string_view args) noexcept {
    const auto min_bits = parse_entropy_threshold(args);
    return min_bits.has_value() && entropy(candidate, *min_bits);
}
inline std::string_view entropy_args(std::string_view args) noexcept {
    if (args.empty()) return "needs the minimum Shannon entropy in bits per character, e.g. entropy:3.5";
    return parse_entropy_threshold(args) ? std::string_view{}
                                         : "the minimum must be a decimal number above 0 and at most 8, e.g. 3.5";
}

inline bool kr_rrn_with(std::string_view candidate, std::string_view args) noexcept {
    return kr_rrn(candidate, args == "structure");
}
inline std::string_view kr_rrn_args(std::string_view args) noexcept {
    return args.empty() || args == "structure" ? std::string_view{}
                                               : "takes no argument, or 'structure' to skip the check digit";
}

}  // namespace registry_detail

#define DLPD_CHECK(NAME, CHECKSUM)                                                               \
    Check {                                                                                      \
#NAME, CHECKSUM, &registry_detail::no_args < &NAME>, &registry_detail::takes_no_argument \
    }

// Grouped by region; the order is the plugin's validator
// index, so append rather than insert once a release has shipped.
inline constexpr Check kChecks[] = {
    // Banking and crypto.
    DLPD_CHECK(iban, true),
    DLPD_CHECK(aba_routing, true),
    DLPD_CHECK(base58check, true),
    DLPD_CHECK(bech32, true),
    // The Americas.
    DLPD_CHECK(us_ssn, false),
    DLPD_CHECK(us_itin, false),
    DLPD_CHECK(us_npi, true),
    DLPD_CHECK(us_dea, true),
    Check{"medical_license", true, &registry_detail::no_args<&us_dea>, &registry_detail::takes_no_argument},
    DLPD_CHECK(ca_sin, true),
    // Europe.
    DLPD_CHECK(uk_nhs, true),
    DLPD_CHECK(uk_nino, false),
    DLPD_CHECK(uk_driving_licence, false),
    DLPD_CHECK(uk_vehicle_registration, false),
    DLPD_CHECK(es_nif, true),
    DLPD_CHECK(es_nie, true),
    DLPD_CHECK(it_fiscal_code, true),
    DLPD_CHECK(it_vat, true),
    DLPD_CHECK(pl_pesel, true),
    DLPD_CHECK(se_personnummer, true),
    DLPD_CHECK(se_organisationsnummer, true),
    DLPD_CHECK(fi_hetu, true),
    DLPD_CHECK(tr_tckn, true),
    DLPD_CHECK(tr_license_plate, false),
    DLPD_CHECK(de_tax_id, true),
    DLPD_CHECK(de_vat_id, true),
    DLPD_CHECK(de_health_insurance, true),
    DLPD_CHECK(de_social_security, true),
    DLPD_CHECK(de_lanr, true),
    // Asia-Pacific and Africa.
    DLPD_CHECK(in_aadhaar, true),
    DLPD_CHECK(in_pan, false),
    DLPD_CHECK(in_gstin, true),
    Check{"kr_rrn", true, &registry_detail::kr_rrn_with, &registry_detail::kr_rrn_args},
    DLPD_CHECK(kr_brn, true),
    DLPD_CHECK(kr_driver_license, false),
    DLPD_CHECK(sg_nric, true),
    DLPD_CHECK(sg_uen, true),
    DLPD_CHECK(au_tfn, true),
    DLPD_CHECK(au_abn, true),
    DLPD_CHECK(au_acn, true),
    DLPD_CHECK(au_medicare, true),
    DLPD_CHECK(th_tnin, true),
    DLPD_CHECK(ph_tin, true),
    DLPD_CHECK(ng_nin, true),
    DLPD_CHECK(za_id, true),
    // Network, documents and generic.
    DLPD_CHECK(ipv4, false),
    DLPD_CHECK(ipv6, false),
    DLPD_CHECK(mac_address, false),
    DLPD_CHECK(email, false),
    DLPD_CHECK(icao_9303, true),
    Check{"entropy", false, &registry_detail::entropy_with, &registry_detail::entropy_args},
    DLPD_CHECK(placeholder, false),
};

#undef DLPD_CHECK

inline constexpr std::size_t kCheckCount = std::size(kChecks);

// The check named name, or nullptr.
constexpr const Check *find_check(std::string_view name) noexcept {
    for (const Check &c : kChecks)
        if (c.name == name) return &c;
    return nullptr;
}

}  // namespace dlpd::validators

#endif
