// The stylesheet, and the page for any path the router does not know.
#include "handlers/handlers.hpp"
#include "html.hpp"

namespace dlpd {

void StylesheetHandler::handle(AdminRequest &r) {
    r.response.set("Cache-Control", "public, max-age=3600");
    r.send(200, "text/css; charset=utf-8", std::string(admin_stylesheet()));
}

void NotFoundHandler::handle(AdminRequest &r) {
    r.send_error_page(404, "Not found", "There is no page at " + r.path + ".");
}

}  // namespace dlpd
