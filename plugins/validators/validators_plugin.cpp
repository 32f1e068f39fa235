// The validators plugin: every checksum and structure check the rule packs
// name (`validators: [iban]`, `validators: ["entropy:3.5"]`), as one
// ValidatorSet through the plugin ABI (1.1). The checks themselves are pure
// functions in checks_*.cpp; this file only maps the ABI's validator index
// to the registry (registry.hpp) and turns a bad argument into an error.
#include <dlpd/sdk.hpp>

#include <string>

#include "registry.hpp"

namespace {

using dlpd::validators::kCheckCount;
using dlpd::validators::kChecks;

class Validators final : public dlpd::sdk::ValidatorSet {
public:
    static constexpr dlpd::sdk::PluginInfo info{"org.dlpd.validators", "validators", "1.0.0",
                                                "Checksum and structure validators: IBAN, national identifiers, "
                                                "crypto addresses, IP addresses, entropy, placeholders",
                                                "dlpd"};

    // The names rules use, in the registry's order (static_assert below).
    static constexpr dlpd::sdk::ValidatorSpec validators[] = {
        {"iban", DLPD_VALIDATOR_CHECKSUM},
        {"aba_routing", DLPD_VALIDATOR_CHECKSUM},
        {"base58check", DLPD_VALIDATOR_CHECKSUM},
        {"bech32", DLPD_VALIDATOR_CHECKSUM},
        {"us_ssn", 0},
        {"us_itin", 0},
        {"us_npi", DLPD_VALIDATOR_CHECKSUM},
        {"us_dea", DLPD_VALIDATOR_CHECKSUM},
        {"medical_license", DLPD_VALIDATOR_CHECKSUM},
        {"ca_sin", DLPD_VALIDATOR_CHECKSUM},
        {"uk_nhs", DLPD_VALIDATOR_CHECKSUM},
        {"uk_nino", 0},
        {"uk_driving_licence", 0},
        {"uk_vehicle_registration", 0},
        {"es_nif", DLPD_VALIDATOR_CHECKSUM},
        {"es_nie", DLPD_VALIDATOR_CHECKSUM},
        {"it_fiscal_code", DLPD_VALIDATOR_CHECKSUM},
        {"it_vat", DLPD_VALIDATOR_CHECKSUM},
        {"pl_pesel", DLPD_VALIDATOR_CHECKSUM},
        {"se_personnummer", DLPD_VALIDATOR_CHECKSUM},
        {"se_organisationsnummer", DLPD_VALIDATOR_CHECKSUM},
        {"fi_hetu", DLPD_VALIDATOR_CHECKSUM},
        {"tr_tckn", DLPD_VALIDATOR_CHECKSUM},
        {"tr_license_plate", 0},
        {"de_tax_id", DLPD_VALIDATOR_CHECKSUM},
        {"de_vat_id", DLPD_VALIDATOR_CHECKSUM},
        {"de_health_insurance", DLPD_VALIDATOR_CHECKSUM},
        {"de_social_security", DLPD_VALIDATOR_CHECKSUM},
        {"de_lanr", DLPD_VALIDATOR_CHECKSUM},
        {"in_aadhaar", DLPD_VALIDATOR_CHECKSUM},
        {"in_pan", 0},
        {"in_gstin", DLPD_VALIDATOR_CHECKSUM},
        {"kr_rrn", DLPD_VALIDATOR_CHECKSUM},
        {"kr_brn", DLPD_VALIDATOR_CHECKSUM},
        {"kr_driver_license", 0},
        {"sg_nric", DLPD_VALIDATOR_CHECKSUM},
        {"sg_uen", DLPD_VALIDATOR_CHECKSUM},
        {"au_tfn", DLPD_VALIDATOR_CHECKSUM},
        {"au_abn", DLPD_VALIDATOR_CHECKSUM},
        {"au_acn", DLPD_VALIDATOR_CHECKSUM},
        {"au_medicare", DLPD_VALIDATOR_CHECKSUM},
        {"th_tnin", DLPD_VALIDATOR_CHECKSUM},
        {"ph_tin", DLPD_VALIDATOR_CHECKSUM},
        {"ng_nin", DLPD_VALIDATOR_CHECKSUM},
        {"za_id", DLPD_VALIDATOR_CHECKSUM},
        {"ipv4", 0},
        {"ipv6", 0},
        {"mac_address", 0},
        {"email", 0},
        {"icao_9303", DLPD_VALIDATOR_CHECKSUM},
        {"entropy", 0},
        {"placeholder", 0},
    };

    Validators(const dlpd::sdk::Host &, const dlpd::sdk::Config &) {}

    bool validate(size_t which, std::string_view candidate, std::string_view args) override {
        const dlpd::validators::Check &check = at(which);
        const std::string_view problem = check.check_args(args);
        // The host checks arguments when it loads a rule; one that slips
        // through is a failure to decide, never a silent reject.
        if (!problem.empty())
            throw dlpd::sdk::Error(DLPD_ERR_INVALID_ARGUMENT, std::string(check.name) + ": " + std::string(problem));
        return check.validate(candidate, args);
    }

    std::string check_args(size_t which, std::string_view args) override {
        return std::string(at(which).check_args(args));
    }

private:
    static const dlpd::validators::Check &at(size_t which) {
        if (which >= kCheckCount)
            throw dlpd::sdk::Error(DLPD_ERR_INVALID_ARGUMENT, "no validator #" + std::to_string(which));
        return kChecks[which];
    }
};

constexpr bool specs_match_registry() {
    if (std::size(Validators::validators) != kCheckCount) return false;
    for (size_t i = 0; i < kCheckCount; ++i) {
        if (std::string_view(Validators::validators[i].name) != kChecks[i].name) return false;
        const bool checksum = (Validators::validators[i].flags & DLPD_VALIDATOR_CHECKSUM) != 0;
        if (checksum != kChecks[i].checksum) return false;
    }
    return true;
}
static_assert(specs_match_registry(),
              "Validators::validators must list registry.hpp's checks, in order, with their flags");

}  // namespace

DLPD_PLUGIN(Validators)
