// The stylesheet and the icon (compiled in), and the page for any path the
// router does not know.
#include "admin/handlers/handlers.hpp"
#include "admin/html.hpp"

namespace dlpd {

namespace {
constexpr const char *kIcon =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><rect width=\"16\" height=\"16\" rx=\"3\" "
    "fill=\"#244e6b\"/><path d=\"M4 8h8M8 4v8\" stroke=\"#fff\" stroke-width=\"2\"/></svg>";
}

void StaticFileHandler::handle(AdminRequest &r) {
    r.set_header("Cache-Control", "public, max-age=3600");
    if (r.path == "/static/favicon.svg")
        r.send(200, "image/svg+xml", kIcon);
    else
        r.send(200, "text/css; charset=utf-8", std::string(admin_stylesheet()));
}

void NotFoundHandler::handle(AdminRequest &r) {
    r.send_error_page(404, "Not found", "There is no page at " + r.path + ".");
}

}  // namespace dlpd
