// sdk.hpp must compile on its own as strict C++17 (the SDK's promise to
// plugin authors), including a plugin that uses every role.
#include <dlpd/sdk.hpp>

namespace {
class EveryRole final : public dlpd::sdk::Detector, public dlpd::sdk::Extractor, public dlpd::sdk::Validator {
public:
    static constexpr dlpd::sdk::PluginInfo info{"org.dlpd.test.every", "every", "0.0.1", "all roles", "tests"};
    static constexpr const char *validator_name = "every";
    static constexpr dlpd::sdk::ConfigKey config_schema[] = {
        {DLPD_CONFIG_STRING, "mode", "fast", "a key"},
    };
    EveryRole(const dlpd::sdk::Host &, const dlpd::sdk::Config &) {}
    int32_t check_rule(const dlpd::sdk::Rule &, const dlpd::sdk::Emitter &) override { return DLPD_OK; }
    int32_t set_rules(const std::vector<dlpd::sdk::Rule> &, const dlpd::sdk::Emitter &) override { return DLPD_OK; }
    int32_t scan(const dlpd::sdk::Request &, const dlpd::sdk::Emitter &) override { return DLPD_OK; }
    int32_t extract(const dlpd::sdk::Request &, const dlpd::sdk::Emitter &) override { return DLPD_ERR_UNSUPPORTED; }
    bool validate(std::string_view) override { return true; }
};
}  // namespace

// Check the tables without exporting a second entry point from this object.
static_assert(dlpd::sdk::detail::Tables<EveryRole>::descriptor.config_key_count == 1, "schema is carried");
static_assert(dlpd::sdk::detail::Tables<EveryRole>::descriptor.abi_major == DLPD_ABI_MAJOR, "ABI is stamped");
