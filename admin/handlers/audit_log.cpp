// The audit log, newest first: rule changes, sign-ins, users added, reveals
// and exports.
#include "admin/handlers/handlers.hpp"
#include "admin/html.hpp"

namespace dlpd {

namespace {
constexpr size_t kAuditRows = 500;
}

void AuditLogHandler::handle(AdminRequest &r) {
    const auto entries = context_.services.store.audit_log(kAuditRows);
    if (entries.empty()) {
        r.send_page(200, "Audit log", "audit", "<p class=\"empty\">Nothing has been recorded yet.</p>");
        return;
    }
    std::string body = "<p class=\"muted\">The latest " + std::to_string(kAuditRows) +
                       " entries.</p><table><thead><tr><th>When</th><th>Who</th><th>What</th><th>Subject</th>"
                       "<th>Detail</th></tr></thead><tbody>";
    for (const auto &e : entries)
        body += "<tr><td>" + html::format_time(e.at_ms) + "</td><td>" + html::escape(e.actor) + "</td><td><code>" +
                html::escape(e.action) + "</code></td><td>" + html::escape(e.subject) + "</td><td>" +
                html::escape(e.detail) + "</td></tr>";
    r.send_page(200, "Audit log", "audit", body + "</tbody></table>");
}

}  // namespace dlpd
