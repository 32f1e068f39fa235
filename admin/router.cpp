#include "admin/router.hpp"

#include <Poco/URI.h>

#include "admin/handlers/handlers.hpp"

namespace dlpd {

Poco::Net::HTTPRequestHandler *AdminRouter::createRequestHandler(const Poco::Net::HTTPServerRequest &request) {
    const std::string path = Poco::URI(request.getURI()).getPath();
    if (path == "/") return new DashboardHandler(context_);
    if (path == "/sign-in") return new SignInHandler(context_);
    if (path == "/sign-out") return new SignOutHandler(context_);
    if (path == "/patterns") return new PatternListHandler(context_);
    if (path == "/patterns/new" || path == "/patterns/edit") return new PatternFormHandler(context_);
    if (path == "/patterns/toggle") return new PatternToggleHandler(context_);
    if (path == "/patterns/delete") return new PatternDeleteHandler(context_);
    if (path == "/incidents") return new IncidentListHandler(context_);
    if (path == "/incidents.csv") return new IncidentExportHandler(context_);
    if (path == "/incidents/view") return new IncidentDetailHandler(context_);
    if (path == "/incidents/reveal") return new IncidentRevealHandler(context_);
    if (path == "/incidents/false-positive") return new FalsePositiveHandler(context_);
    if (path == "/allowlist") return new AllowlistHandler(context_);
    if (path == "/allowlist/remove") return new AllowlistRemoveHandler(context_);
    if (path == "/users") return new UserListHandler(context_);
    if (path == "/audit") return new AuditLogHandler(context_);
    if (path == "/static/admin.css" || path == "/static/favicon.svg") return new StaticFileHandler(context_);
    return new NotFoundHandler(context_);
}

}  // namespace dlpd
