// The patterns: a list with search (name, description, pattern) and
// filters (enabled, severity), paged; admins get the edit links and the
// enable/disable buttons.
#include "admin/handlers/handlers.hpp"
#include "admin/html.hpp"

namespace dlpd {

namespace {

bool contains(const std::string &haystack, const std::string &needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           }) != haystack.end();
}

std::string flash(const AdminRequest &r) {
    if (!r.param("saved").empty()) return html::notice("ok", "Saved pattern '" + r.param("saved") + "'; it is in force now.");
    if (!r.param("deleted").empty()) return html::notice("ok", "Deleted pattern '" + r.param("deleted") + "'.");
    if (!r.param("enabled").empty() && !r.param("changed").empty())
        return html::notice("ok", "Pattern '" + r.param("changed") + "' is " +
                                      (r.param("enabled") == "yes" ? "enabled" : "disabled") + " now.");
    return {};
}

}  // namespace

void PatternListHandler::handle(AdminRequest &r) {
    const std::string q = r.param("q"), enabled = r.param("state"), severity = r.param("severity");
    const bool admin = r.who->is_admin();
    std::vector<Rule> shown;
    for (auto &rule : context_.services.store.rules()) {
        if (!q.empty() && !contains(rule.name, q) && !contains(rule.description, q) && !contains(rule.regex, q)) continue;
        if (enabled == "enabled" && !rule.enabled) continue;
        if (enabled == "disabled" && rule.enabled) continue;
        if (!severity.empty() && rule.severity != severity) continue;
        shown.push_back(std::move(rule));
    }
    const size_t page_size = static_cast<size_t>(context_.options.page_size);
    const size_t pages = std::max<size_t>(1, (shown.size() + page_size - 1) / page_size);
    const size_t page = std::min(pages, std::max<size_t>(1, std::strtoul(r.param("page").c_str(), nullptr, 10)));

    std::string body = flash(r);
    body += "<form class=\"filters\" method=\"get\" action=\"/patterns\">"
            "<label>Search<input type=\"search\" name=\"q\" value=\"" + html::escape(q) + "\" placeholder=\"name, description or pattern\"></label>"
            "<label>State<select name=\"state\">" + html::option("", "any", enabled.empty()) +
            html::option("enabled", "enabled", enabled == "enabled") + html::option("disabled", "disabled", enabled == "disabled") +
            "</select></label><label>Severity<select name=\"severity\">" + html::option("", "any", severity.empty());
    for (const char *s : kSeverities) body += html::option(s, s, severity == s);
    body += "</select></label><button type=\"submit\" class=\"secondary\">Filter</button>";
    if (admin) body += "<a class=\"button\" href=\"/patterns/new\">Add pattern</a>";
    body += "</form>";

    if (shown.empty()) {
        body += "<p class=\"empty\">" + std::string(q.empty() && enabled.empty() && severity.empty()
                                                        ? "There are no patterns yet."
                                                        : "No pattern matches these filters.") + "</p>";
        r.send_page(200, "Patterns", "patterns", body);
        return;
    }
    body += "<table><thead><tr><th>Name</th><th>Severity</th><th>State</th><th>Pattern</th><th>Validators</th>"
            "<th>Description</th>" + std::string(admin ? "<th></th>" : "") + "</tr></thead><tbody>";
    for (size_t i = (page - 1) * page_size; i < std::min(shown.size(), page * page_size); ++i) {
        const Rule &rule = shown[i];
        std::string validators;
        for (const auto &v : rule.validators) validators += (validators.empty() ? "" : ", ") + v;
        const std::string name = admin ? "<a href=\"/patterns/edit?name=" + html::url_encode(rule.name) + "\">" +
                                             html::escape(rule.name) + "</a>"
                                       : html::escape(rule.name);
        body += "<tr><td>" + name + "</td><td><span class=\"badge sev-" + html::escape(rule.severity) + "\">" +
                html::escape(rule.severity) + "</span></td><td><span class=\"badge " + (rule.enabled ? "on\">enabled" : "off\">disabled") +
                "</span></td><td class=\"pattern\"><code>" + html::escape(rule.regex) + "</code></td><td>" +
                html::escape(validators) + "</td><td class=\"desc\">" + html::escape(rule.description) + "</td>";
        if (admin)
            body += "<td><form method=\"post\" action=\"/patterns/toggle\">" + html::csrf_field(*r.who) +
                    "<input type=\"hidden\" name=\"name\" value=\"" + html::escape(rule.name) +
                    "\"><input type=\"hidden\" name=\"enabled\" value=\"" + (rule.enabled ? "no" : "yes") +
                    "\"><button type=\"submit\" class=\"secondary\">" + (rule.enabled ? "Disable" : "Enable") +
                    "</button></form></td>";
        body += "</tr>";
    }
    body += "</tbody></table>";
    const std::string keep = "q=" + html::url_encode(q) + "&state=" + html::url_encode(enabled) +
                             "&severity=" + html::url_encode(severity);
    body += "<div class=\"pager\">" + std::to_string(shown.size()) + " pattern(s) · page " + std::to_string(page) +
            " of " + std::to_string(pages);
    if (page > 1) body += " <a href=\"/patterns?" + html::escape(keep) + "&amp;page=" + std::to_string(page - 1) + "\">previous</a>";
    if (page < pages) body += " <a href=\"/patterns?" + html::escape(keep) + "&amp;page=" + std::to_string(page + 1) + "\">next</a>";
    body += "</div>";
    r.send_page(200, "Patterns", "patterns", body);
}

}  // namespace dlpd
