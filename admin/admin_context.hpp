// What every admin handler shares: the services handed in, the options, and
// the admin's own state (sessions, the sign-in throttle, the trial scanner).
// All of it is safe to use from the server's thread pool.
#ifndef DLPD_ADMIN_ADMIN_CONTEXT_HPP
#define DLPD_ADMIN_ADMIN_CONTEXT_HPP

#include "admin/admin_server.hpp"
#include "admin/session_keeper.hpp"
#include "admin/sign_in_throttle.hpp"
#include "admin/trial_scanner.hpp"

namespace dlpd {

struct AdminContext {
    AdminContext(const AdminOptions &options_in, AdminServices &services_in, bool tls_in)
        : options(options_in),
          services(services_in),
          tls(tls_in),
          sessions(services_in.store, std::chrono::minutes(options_in.session_idle_minutes),
                   std::chrono::hours(options_in.session_max_hours)),
          throttle(static_cast<size_t>(options_in.sign_in_max_failures),
                   static_cast<size_t>(options_in.sign_in_max_failures_per_address),
                   std::chrono::seconds(options_in.sign_in_window_seconds)),
          trial(services_in.registry, services_in.trial_plugin_settings) {}

    const AdminOptions options;
    AdminServices &services;
    const bool tls;  // served over HTTPS: cookies are Secure
    SessionKeeper sessions;
    SignInThrottle throttle;
    TrialScanner trial;
};

}  // namespace dlpd

#endif
