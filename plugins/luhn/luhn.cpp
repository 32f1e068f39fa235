// The Luhn validator: confirms that a candidate is a plausible payment card
// number. Spaces and dashes are separators and are ignored; anything else
// that is not a digit rejects the candidate. 12 to 19 digits, Luhn checksum.
#include <dlpd/sdk.hpp>

#include "luhn_check.hpp"

namespace {

class Luhn final : public dlpd::sdk::Validator {
public:
    static constexpr dlpd::sdk::PluginInfo info{"org.dlpd.luhn", "luhn", "1.0.0",
                                                "Luhn checksum validator for payment card numbers", "dlpd"};
    static constexpr const char *validator_name = "luhn";
    static constexpr uint32_t validator_flags = DLPD_VALIDATOR_CHECKSUM;

    Luhn(const dlpd::sdk::Host &, const dlpd::sdk::Config &) {}

    bool validate(std::string_view candidate) override { return dlpd::luhn::is_valid_card_number(candidate); }
};

}  // namespace

DLPD_PLUGIN(Luhn)
