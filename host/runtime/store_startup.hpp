// How `dlpd run` gets to a usable store: connect, retrying with jittered
// exponential backoff while the database is not there yet (it may start
// after dlpd); apply migrations; and on a store with no rules at all, seed
// it from the starter pack so a first start scans with something.
#ifndef DLPD_HOST_RUNTIME_STORE_STARTUP_HPP
#define DLPD_HOST_RUNTIME_STORE_STARTUP_HPP

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include "config/config.hpp"
#include "engine/rule_pack.hpp"
#include "store/store.hpp"

namespace dlpd {

// The store's options as the configuration sets them.
StoreOptions store_options_from(const Config &config);

struct Backoff {
    std::chrono::milliseconds first{500};
    std::chrono::milliseconds max{30000};
};

// Returns the migrated store, or nullptr when stop became true first. Each
// failed attempt is logged (password redacted) with the next delay.
std::unique_ptr<Store> connect_store_with_backoff(const DatabaseUrl &url, const StoreOptions &options,
                                                  const std::atomic<bool> &stop, Backoff backoff = {});

// Imports rules into an empty store (no rules, revision 0). Returns true
// when it seeded. The rules must already have been checked by the engine.
bool seed_rules_if_empty(Store &store, const std::vector<Rule> &rules, const std::string &origin);

// The store's allowlist takes the fingerprints of the pack's documented test
// values it never had (one an admin removed stays removed). Logs how many.
void seed_allowlist_once(Store &store, const std::vector<std::string> &values, const std::string &origin);

}  // namespace dlpd

#endif
