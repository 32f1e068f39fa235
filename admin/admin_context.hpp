// What every admin handler shares: the services handed in, the options, and
// the admin's own state (sessions, the sign-in throttle, the trial scanner).
// All of it is safe to use from the server's thread pool.
#ifndef DLPD_ADMIN_ADMIN_CONTEXT_HPP
#define DLPD_ADMIN_ADMIN_CONTEXT_HPP

#include <set>
#include <string>

#include "admin/admin_server.hpp"
#include "admin/session_keeper.hpp"
#include "admin/sign_in_throttle.hpp"
#include "admin/trial_scanner.hpp"
#include "refusal_log.hpp"

namespace dlpd {

// admin.trusted_proxies ("10.0.0.2, ::1") as a set of addresses written the
// way Poco writes a client's; entries that are not addresses are left out
// (the schema refuses them).
std::set<std::string> parse_trusted_proxies(const std::string &list);

struct AdminContext {
    AdminContext(const AdminOptions &options_in, AdminServices &services_in, bool tls_in)
        : options(options_in),
          services(services_in),
          tls(tls_in),
          sessions(services_in.store, std::chrono::minutes(options_in.session_idle_minutes),
                   std::chrono::hours(options_in.session_max_hours)),
          throttle(SignInThrottle::Settings{
              .first_delay = std::chrono::milliseconds(options_in.sign_in_first_delay_ms),
              .max_delay = std::chrono::seconds(options_in.sign_in_max_delay_seconds),
              .max_per_address = static_cast<size_t>(options_in.sign_in_max_failures_per_address),
              .window = std::chrono::seconds(options_in.sign_in_window_seconds),
              .remember = std::chrono::hours(options_in.session_max_hours)}),
          trusted_proxies(parse_trusted_proxies(options_in.trusted_proxies)),
          failed_sign_ins(LogLevel::warning, "admin", "failed sign-in", services_in.log_summary),
          refused_sign_ins(LogLevel::warning, "admin", "refused a sign-in (too many failures)",
                           services_in.log_summary),
          trial(services_in.registry, services_in.trial_plugin_settings) {}

    const AdminOptions options;
    AdminServices &services;
    const bool tls;  // served over HTTPS: cookies are Secure
    SessionKeeper sessions;
    SignInThrottle throttle;
    // admin.trusted_proxies, each as IPAddress::toString() writes it.
    const std::set<std::string> trusted_proxies;
    // Per client address, so a guesser cannot flood the log.
    RefusalLog failed_sign_ins;
    RefusalLog refused_sign_ins;
    TrialScanner trial;
};

}  // namespace dlpd

#endif
