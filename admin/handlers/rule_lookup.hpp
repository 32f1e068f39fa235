// Finding one stored rule by name, for the pattern handlers.
#ifndef DLPD_ADMIN_HANDLERS_RULE_LOOKUP_HPP
#define DLPD_ADMIN_HANDLERS_RULE_LOOKUP_HPP

#include <optional>
#include <string>

#include "store/store.hpp"

namespace dlpd {

inline std::optional<Rule> find_rule(Store &store, const std::string &name) {
    for (auto &rule : store.rules())
        if (rule.name == name) return std::move(rule);
    return std::nullopt;
}

}  // namespace dlpd

#endif
