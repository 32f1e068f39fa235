// One handler per resource of the admin. The router (router.cpp) maps paths
// to them; each states who may use it and which methods it takes.
#ifndef DLPD_ADMIN_HANDLERS_HANDLERS_HPP
#define DLPD_ADMIN_HANDLERS_HANDLERS_HPP

#include "admin/admin_handler.hpp"

namespace dlpd {

#define DLPD_ADMIN_HANDLER(Name, access, methods)                                             \
    class Name : public AdminHandler {                                                        \
    public:                                                                                   \
        explicit Name(AdminContext &context) : AdminHandler(context, access, methods) {}      \
                                                                                              \
    protected:                                                                                \
        void handle(AdminRequest &request) override;                                          \
    };

// GET /sign-in, POST /sign-in                                 (sign_in.cpp)
DLPD_ADMIN_HANDLER(SignInHandler, Access::anyone, Methods::get_and_post)
// POST /sign-out                                              (sign_in.cpp)
DLPD_ADMIN_HANDLER(SignOutHandler, Access::signed_in, Methods::post)
// GET /                                                       (dashboard.cpp)
DLPD_ADMIN_HANDLER(DashboardHandler, Access::signed_in, Methods::get)
// GET /patterns?q=&enabled=&severity=&page=                   (pattern_list.cpp)
DLPD_ADMIN_HANDLER(PatternListHandler, Access::signed_in, Methods::get)
// GET|POST /patterns/new, /patterns/edit?name=  (save, try)   (pattern_form.cpp)
DLPD_ADMIN_HANDLER(PatternFormHandler, Access::admin, Methods::get_and_post)
// POST /patterns/toggle (name, enabled)                       (pattern_changes.cpp)
DLPD_ADMIN_HANDLER(PatternToggleHandler, Access::admin, Methods::post)
// POST /patterns/delete (name)                                (pattern_changes.cpp)
DLPD_ADMIN_HANDLER(PatternDeleteHandler, Access::admin, Methods::post)
// GET /incidents?from=&to=&channel=&user=&rule=&result=&page= (incident_list.cpp)
DLPD_ADMIN_HANDLER(IncidentListHandler, Access::signed_in, Methods::get)
// GET /incidents.csv?(the same filters)                       (incident_export.cpp)
DLPD_ADMIN_HANDLER(IncidentExportHandler, Access::signed_in, Methods::get)
// GET /incidents/view?id=                                     (incident_detail.cpp)
DLPD_ADMIN_HANDLER(IncidentDetailHandler, Access::signed_in, Methods::get)
// POST /incidents/reveal (id)                                 (incident_detail.cpp)
DLPD_ADMIN_HANDLER(IncidentRevealHandler, Access::admin, Methods::post)
// GET|POST /users                                             (users.cpp)
// Marks an incident a false positive: its fingerprint joins the allowlist.
DLPD_ADMIN_HANDLER(FalsePositiveHandler, Access::admin, Methods::post)
// The value allowlist: every entry, and (admins) removing one.
DLPD_ADMIN_HANDLER(AllowlistHandler, Access::signed_in, Methods::get)
DLPD_ADMIN_HANDLER(AllowlistRemoveHandler, Access::admin, Methods::post)
DLPD_ADMIN_HANDLER(UserListHandler, Access::admin, Methods::get_and_post)
// GET /audit                                                  (audit_log.cpp)
DLPD_ADMIN_HANDLER(AuditLogHandler, Access::admin, Methods::get)
// GET /static/admin.css, /static/favicon.svg; any unknown path                (static_pages.cpp)
DLPD_ADMIN_HANDLER(StaticFileHandler, Access::anyone, Methods::get)
DLPD_ADMIN_HANDLER(NotFoundHandler, Access::anyone, Methods::get_and_post)

#undef DLPD_ADMIN_HANDLER

}  // namespace dlpd

#endif
