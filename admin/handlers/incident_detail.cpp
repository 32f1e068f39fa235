// One incident: where and when, the masked match, the pattern that caught
// it, what was done and whether it worked, a link to the message in Slack,
// and the message text when it was kept.
//
// The store keeps only the mask and a fingerprint of the match. The message
// text, when kept (database.store_message_text), is shown masked: the rules
// in force are run over it and every finding is masked; when they find
// nothing (the rule changed since), the text stays hidden rather than shown
// whole. Revealing shows the kept text unmasked: admins only, by POST, and
// each reveal is written to the audit log.
#include "admin/handlers/handlers.hpp"
#include "admin/handlers/rule_lookup.hpp"
#include "admin/html.hpp"
#include "admin/json_view.hpp"
#include "engine/masking.hpp"

namespace dlpd {

namespace {

// The text with every finding of the rules in force masked; nothing when
// they find nothing, so the text cannot be shown safely.
std::optional<std::string> masked_text(const ScanEngine &engine, const std::string &text) {
    // Values on the allowlist are masked too: showing less is always safe.
    auto findings = engine.scan_text_ignoring_allowlist(text, "incident").findings;
    if (findings.empty()) return std::nullopt;
    std::sort(findings.begin(), findings.end(), [](const Finding &a, const Finding &b) { return a.start < b.start; });
    std::string out;
    size_t at = 0;
    for (const auto &f : findings) {
        if (f.start < at || f.end > text.size()) continue;
        out += text.substr(at, f.start - at) + mask_secret(std::string_view(text).substr(f.start, f.end - f.start));
        at = f.end;
    }
    return out + text.substr(at);
}

std::string fact(const std::string &label, const std::string &value_html) {
    return "<dt>" + label + "</dt><dd>" + value_html + "</dd>";
}

// Whether the value is on the allowlist, and the button that changes it.
std::string allowlist_section(AdminRequest &r, AdminContext &context, const Incident &i) {
    const auto entry = context.services.store.allowlist_entry_for(i.match_fingerprint);
    std::string out = "<div class=\"card\" id=\"allowlist\"><h2>False positive?</h2>";
    if (!r.param("allowlisted").empty() && entry)
        out += html::notice("ok", "Marked a false positive: this value is on the allowlist from now on.");
    if (!r.param("unlisted").empty() && !entry)
        out += html::notice("ok", "Taken off the allowlist: dlpd acts on this value again.");
    if (entry) {
        out += "<p>This value is <strong>on the allowlist</strong> (<a href=\"/allowlist\">entry #" +
               std::to_string(entry->id) + "</a>, " + html::escape(entry->created_by) + ", " +
               html::format_time(entry->created_at_ms) + "): dlpd does not act on it again.</p>";
        if (r.who->is_admin())
            out += "<form method=\"post\" action=\"/allowlist/remove\" class=\"actions\">" + html::csrf_field(*r.who) +
                   "<input type=\"hidden\" name=\"id\" value=\"" + std::to_string(entry->id) +
                   "\"><input type=\"hidden\" name=\"incident\" value=\"" + std::to_string(i.id) +
                   "\"><button type=\"submit\" class=\"secondary\">Undo: take it off the allowlist</button></form>";
    } else if (r.who->is_admin()) {
        out += "<form method=\"post\" action=\"/incidents/false-positive\" class=\"actions\">" +
               html::csrf_field(*r.who) + "<input type=\"hidden\" name=\"id\" value=\"" + std::to_string(i.id) +
               "\"><input type=\"text\" name=\"note\" maxlength=\"500\" placeholder=\"why (optional)\" "
               "aria-label=\"why it is a false positive\"><button type=\"submit\">Mark as false positive</button>"
               "<span class=\"muted\">Puts this value's fingerprint on the allowlist: dlpd never acts on it again. "
               "Recorded in the audit log; undo on this page or the Allowlist page.</span></form>";
    } else {
        out += "<p class=\"muted\">Not on the allowlist. An admin can mark it a false positive.</p>";
    }
    return out + "</div>";
}

std::string message_section(AdminRequest &r, AdminContext &context, const Incident &i, bool reveal) {
    std::string out = "<div class=\"card\"><h2>Message</h2>";
    if (!i.has_message_text)
        return out + "<p class=\"muted\">The message text was not kept (database.store_message_text is off, no "
                     "sealing key could be had, or it was purged after database.message_text_days); the masked "
                     "match above is what the incident holds.</p></div>";
    const auto text = context.services.store.incident_message_text(i.id);
    if (!text)
        return out + "<p class=\"muted\">The message text is kept sealed, and this process cannot unseal it: "
                     "its key (DLPD_ENCRYPTION_KEY, or the file database.key_file) is not the one it was sealed "
                     "with, or is missing here.</p></div>";
    if (reveal) {
        context.services.store.audit(r.who->user.name, "incident.reveal", std::to_string(i.id), "message text shown");
        return out + html::notice("info", "Revealed to you. This reveal is recorded in the audit log.") +
               "<pre class=\"message\">" + html::escape(*text) + "</pre></div>";
    }
    if (auto masked = masked_text(context.services.engine, *text))
        out += "<pre class=\"message\">" + html::escape(*masked) + "</pre>";
    else
        out += "<p class=\"muted\">The message text is hidden: the rules in force no longer find the match in it, "
               "so it cannot be shown masked.</p>";
    if (r.who->is_admin())
        out += "<form method=\"post\" action=\"/incidents/reveal\" class=\"actions\">" + html::csrf_field(*r.who) +
               "<input type=\"hidden\" name=\"id\" value=\"" + std::to_string(i.id) +
               "\"><button type=\"submit\" class=\"secondary\">Reveal the full message</button>"
               "<span class=\"muted\">Shows the message unmasked; recorded in the audit log.</span></form>";
    return out + "</div>";
}

void send_incident(AdminRequest &r, AdminContext &context, const std::string &id_text, bool reveal) {
    const int64_t id = std::strtoll(id_text.c_str(), nullptr, 10);
    const auto incident = id > 0 ? context.services.store.incident(id) : std::nullopt;
    if (!incident) {
        r.send_error_page(404, "No such incident", "There is no incident #" + id_text + ".");
        return;
    }
    const Incident &i = *incident;
    std::string body = "<p><a href=\"/incidents\">← All incidents</a></p><div class=\"grid\"><div class=\"card\"><h2>Where</h2><dl class=\"facts\">";
    body += fact("When", html::format_time(i.created_at_ms));
    body += fact("Source", html::escape(i.source));
    body += fact("Workspace", html::escape(i.team_id));
    body += fact("Channel", "<a href=\"/incidents?channel=" + html::url_encode(i.channel_id) + "\">" +
                                html::escape(i.channel_id) + "</a>");
    body += fact("User", "<a href=\"/incidents?user=" + html::url_encode(i.user_id) + "\">" + html::escape(i.user_id) + "</a>");
    body += fact("Message", html::escape(i.message_ts) + (i.thread_ts.empty() ? "" : " (in thread " + html::escape(i.thread_ts) + ")"));
    const std::string link = html::safe_link(i.permalink);
    // A message dlpd deleted is gone from Slack: the link still leads to the
    // place in the conversation, and the text kept below is what was posted.
    const bool deleted = i.action_results.find("\"delete\":\"ok\"") != std::string::npos ||
                         i.action_results.find("\"delete\":\"already gone\"") != std::string::npos;
    body += fact("In Slack", link.empty() ? "<span class=\"muted\">no link recorded</span>"
                             : "<a href=\"" + link + "\" rel=\"noopener noreferrer\">" +
                                   (deleted ? std::string("the place in the conversation</a> <span class=\"muted\">"
                                                          "(the message itself was deleted by dlpd; its text is below)"
                                                          "</span>")
                                            : std::string("open the message in Slack</a>")));
    body += fact("Event", "<code>" + html::escape(i.event_id) + "</code>");
    body += "</dl></div><div class=\"card\"><h2>What matched</h2><dl class=\"facts\">";
    body += fact("Masked match", "<code>" + html::escape(i.masked_match) + "</code>");
    body += fact("Fingerprint", "<code>" + html::escape(i.match_fingerprint.substr(0, 16)) + "…</code>");
    body += fact("Rule", html::escape(i.rule) + " <span class=\"badge sev-" + html::escape(i.severity) + "\">" +
                             html::escape(i.severity) + "</span>");
    body += fact("Confidence", "<span class=\"badge conf-" + html::escape(i.confidence) + "\">" +
                                   html::escape(i.confidence) + "</span>");
    body += fact("Detector", html::escape(i.detector));
    if (auto rule = find_rule(context.services.store, i.rule)) {
        body += fact("Pattern", "<code>" + html::escape(rule->regex) + "</code>" +
                                    (r.who->is_admin() ? " <a href=\"/patterns/edit?name=" + html::url_encode(rule->name) + "\">edit</a>" : ""));
        if (!rule->description.empty()) body += fact("Description", html::escape(rule->description));
    } else {
        body += fact("Pattern", "<span class=\"muted\">the rule has been deleted since</span>");
    }
    body += "</dl></div></div>";
    const std::string summary = result_summary(i.action_results);
    body += "<div class=\"grid\"><div class=\"card\"><h2>What was done</h2>" + json_to_html(i.actions) +
            "</div><div class=\"card\"><h2>Did it work? <span class=\"" + std::string(summary == "failed" ? "bad" : "ok") + "\">" +
            summary + "</span></h2>" + json_to_html(i.action_results) + "</div></div>";
    body += allowlist_section(r, context, i);
    body += message_section(r, context, i, reveal);
    r.send_page(200, "Incident #" + std::to_string(i.id), "incidents", body);
}

}  // namespace

void IncidentDetailHandler::handle(AdminRequest &r) { send_incident(r, context_, r.param("id"), false); }

void IncidentRevealHandler::handle(AdminRequest &r) { send_incident(r, context_, r.field("id"), true); }

}  // namespace dlpd
