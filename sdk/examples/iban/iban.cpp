// An example dlpd plugin built out of tree against the installed SDK: an
// IBAN validator. A rule names it (`validators: [iban]`, see patterns.yaml
// beside this file) and the host keeps that rule's findings only when the
// candidate is a well-formed IBAN: a known country, that country's length and
// correct ISO 13616 check digits (iban_check.hpp).
//
// Configuration (the `iban` section of the plugin settings, or
// `dlpd-plugin-check --set allowed_countries=DE`):
//   allowed_countries  list of country codes; when given, IBANs of other
//                      countries are rejected. Empty (the default) accepts
//                      every country in the table.
#include <dlpd/sdk.hpp>

#include <array>
#include <string>
#include <string_view>

#include "iban_check.hpp"

namespace {

class Iban final : public dlpd::sdk::Validator {
public:
    static constexpr dlpd::sdk::PluginInfo info{"org.dlpd.examples.iban", "iban", "1.0.0",
                                                "IBAN validator: country, length and ISO 13616 mod-97 check",
                                                "dlpd SDK example"};
    static constexpr const char *validator_name = "iban";
    static constexpr uint32_t validator_flags = DLPD_VALIDATOR_CHECKSUM;
    static constexpr dlpd::sdk::ConfigKey config_schema[] = {
        {DLPD_CONFIG_STRING_LIST, "allowed_countries", nullptr,
         "Country codes (GB, DE, ...) whose IBANs are accepted; empty accepts every known country"},
    };

    // Runs in create(): anything wrong with the configuration fails the
    // instance cleanly with DLPD_ERR_CONFIG and this message.
    Iban(const dlpd::sdk::Host &, const dlpd::sdk::Config &config) {
        for (const std::string &value : config.list("allowed_countries")) {
            std::string code;
            for (char c : value) code.push_back(iban::to_upper(c));
            const int index = iban::country_index(code);
            if (index < 0 || iban::country_length(code) == 0)
                throw dlpd::sdk::Error(DLPD_ERR_CONFIG, "allowed_countries: '" + value +
                                                            "' is not a country code this validator knows "
                                                            "(two letters, such as GB or DE)");
            allowed_[static_cast<size_t>(index)] = true;
            restricted_ = true;
        }
    }

    // [any-thread]: reads only what the constructor set, keeps all state on
    // the stack.
    bool validate(std::string_view candidate) override {
        iban::Compact compact;
        if (!iban::compact(candidate, compact)) return false;
        const std::string_view s = compact.view();
        if (iban::check_compact(s) != iban::Problem::none) return false;
        // check_compact() accepted the country, so the index is valid.
        return !restricted_ || allowed_[static_cast<size_t>(iban::country_index(s.substr(0, 2)))];
    }

private:
    std::array<bool, 26 * 26> allowed_{};
    bool restricted_ = false;
};

}  // namespace

DLPD_PLUGIN(Iban)
