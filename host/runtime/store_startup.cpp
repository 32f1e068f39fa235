#include "runtime/store_startup.hpp"

#include <random>
#include <thread>

#include "log.hpp"

namespace dlpd {

StoreOptions store_options_from(const Config &config) {
    StoreOptions options;
    options.pool_size = static_cast<int>(config.database.pool_size);
    options.connect_timeout_seconds = static_cast<int>(config.database.connect_timeout_seconds);
    options.store_message_text = config.database.store_message_text;
    options.key_file = config.database.key_file.empty() ? std::filesystem::path("dlpd.key") : config.database.key_file;
    return options;
}

std::unique_ptr<Store> connect_store_with_backoff(const DatabaseUrl &url, const StoreOptions &options,
                                                  const std::atomic<bool> &stop, Backoff backoff) {
    std::mt19937_64 rng(std::random_device{}());
    auto delay = backoff.first;
    for (int attempt = 1; !stop.load(); ++attempt) {
        try {
            auto store = Store::open(url, options);
            const auto applied = store->migrate();
            for (const auto &m : applied) log(LogLevel::info, "store", "applied migration " + m);
            log(LogLevel::info, "store",
                "connected to " + url.redacted() + " (schema version " + std::to_string(store->schema_version()) +
                    (attempt > 1 ? ", after " + std::to_string(attempt) + " attempts)" : ")"));
            return store;
        } catch (const StoreError &e) {
            // Full jitter: a random wait up to the current bound, so replicas
            // restarting together do not hammer the database in step.
            std::uniform_int_distribution<long> pick(delay.count() / 2, delay.count());
            const std::chrono::milliseconds wait(pick(rng));
            log(LogLevel::warning, "store",
                std::string(e.what()) + "; retrying in " + std::to_string(wait.count()) + " ms");
            for (auto waited = std::chrono::milliseconds(0); waited < wait && !stop.load();
                 waited += std::chrono::milliseconds(50))
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            delay = std::min(backoff.max, delay * 2);
        }
    }
    return nullptr;
}

bool seed_rules_if_empty(Store &store, const std::vector<Rule> &rules, const std::string &origin) {
    if (store.rules_revision() != 0 || !store.rules().empty()) return false;
    const auto change = store.upsert_rules(rules, "dlpd (first start)");
    store.audit("dlpd (first start)", "rules.seed", origin, std::to_string(change.added) + " rules");
    log(LogLevel::info, "rules",
        "the store had no rules: imported " + std::to_string(change.added) + " from " + origin);
    return true;
}

void seed_allowlist_once(Store &store, const std::vector<std::string> &values, const std::string &origin) {
    const size_t added = store.seed_allowlist(values, "dlpd (rule pack)");
    if (added > 0)
        log(LogLevel::info, "rules",
            "allowlist: added the fingerprints of " + std::to_string(added) + " documented test value(s) from " +
                origin);
}

}  // namespace dlpd
