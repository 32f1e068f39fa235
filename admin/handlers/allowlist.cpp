// The value allowlist in the admin. An admin marks an incident a false
// positive: its fingerprint (the HMAC the incident keeps, never the value)
// goes on the allowlist, audited, and the engine stops acting on that value at
// once (RuleSync::notify), in Slack and in `dlpd scan --config`. The Allowlist
// page lists every entry; removing one (the undo) is audited too.
#include "admin/handlers/handlers.hpp"
#include "admin/html.hpp"

namespace dlpd {

namespace {

std::string source_label(const AllowlistEntry &e) {
    if (e.source == "pack") return "documented test value (shipped)";
    if (e.source == "false_positive") return "marked a false positive";
    return html::escape(e.source);
}

void applied_now(AdminContext &context) {
    if (context.services.rule_sync != nullptr) context.services.rule_sync->notify();
}

}  // namespace

void FalsePositiveHandler::handle(AdminRequest &r) {
    const int64_t id = std::strtoll(r.field("id").c_str(), nullptr, 10);
    std::string note = r.field("note");
    if (note.size() > 500) note.resize(500);
    const auto entry = id > 0 ? context_.services.store.mark_false_positive(id, r.who->user.name, note) : std::nullopt;
    if (!entry) {
        r.send_error_page(404, "No such incident", "There is no incident #" + r.field("id") + ".");
        return;
    }
    applied_now(context_);
    r.redirect("/incidents/view?id=" + std::to_string(id) + "&allowlisted=1");
}

void AllowlistRemoveHandler::handle(AdminRequest &r) {
    const int64_t id = std::strtoll(r.field("id").c_str(), nullptr, 10);
    const auto entry = id > 0 ? context_.services.store.allowlist_entry(id) : std::nullopt;
    if (!entry || !context_.services.store.remove_allowlist_entry(id, r.who->user.name)) {
        r.send_error_page(404, "No such allowlist entry", "There is no allowlist entry #" + r.field("id") + ".");
        return;
    }
    applied_now(context_);
    // Back to the incident the undo was pressed on, when it came from one.
    const int64_t back = std::strtoll(r.field("incident").c_str(), nullptr, 10);
    if (back > 0) r.redirect("/incidents/view?id=" + std::to_string(back) + "&unlisted=1");
    else r.redirect("/allowlist?removed=" + std::to_string(id));
}

void AllowlistHandler::handle(AdminRequest &r) {
    std::string body;
    if (!r.param("removed").empty())
        body += html::notice("ok", "Removed allowlist entry #" + r.param("removed") +
                                       ". dlpd acts on that value again from now on.");
    body += "<p>Values on the allowlist are never acted on: not in Slack, not by <code>dlpd scan</code>. Only each "
            "value's fingerprint is kept (the HMAC-SHA256 incidents carry), never the value itself.</p>";
    const auto entries = context_.services.store.allowlist_entries();
    if (entries.empty()) {
        body += "<p class=\"muted\">The allowlist is empty.</p>";
    } else {
        body += "<table><thead><tr><th>#</th><th>Fingerprint</th><th>Why</th><th>Rule</th><th>Incident</th>"
                "<th>Note</th><th>Added</th><th>By</th>" +
                std::string(r.who->is_admin() ? "<th></th>" : "") + "</tr></thead><tbody>";
        for (const auto &e : entries) {
            body += "<tr><td class=\"num\">" + std::to_string(e.id) + "</td><td><code>" +
                    html::escape(e.fingerprint.substr(0, 16)) + "…</code></td><td>" + source_label(e) + "</td><td>" +
                    html::escape(e.rule) + "</td><td>" +
                    (e.incident_id > 0 ? "<a href=\"/incidents/view?id=" + std::to_string(e.incident_id) + "\">#" +
                                             std::to_string(e.incident_id) + "</a>"
                                       : std::string()) +
                    "</td><td>" + html::escape(e.note) + "</td><td>" + html::format_time(e.created_at_ms) +
                    "</td><td>" + html::escape(e.created_by) + "</td>";
            if (r.who->is_admin())
                body += "<td><form method=\"post\" action=\"/allowlist/remove\">" + html::csrf_field(*r.who) +
                        "<input type=\"hidden\" name=\"id\" value=\"" + std::to_string(e.id) +
                        "\"><button type=\"submit\" class=\"secondary\">Remove</button></form></td>";
            body += "</tr>";
        }
        body += "</tbody></table>";
    }
    r.send_page(200, "Allowlist", "allowlist", body);
}

}  // namespace dlpd
