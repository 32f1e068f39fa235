// The incidents: newest first, filtered by time range, channel, user, rule
// and action result, paged by admin.page_size. Only masked matches here.
#include "admin/handlers/handlers.hpp"
#include "admin/html.hpp"
#include "admin/incident_filters.hpp"
#include "admin/json_view.hpp"

namespace dlpd {

namespace {

std::string text_filter(const std::string &name, const std::string &label, const std::string &value,
                        const std::string &placeholder) {
    return "<label>" + label + "<input type=\"text\" name=\"" + name + "\" value=\"" + html::escape(value) +
           "\" placeholder=\"" + placeholder + "\"></label>";
}

}  // namespace

void IncidentListHandler::handle(AdminRequest &r) {
    const IncidentQuery q = incident_query(r);
    Store &store = context_.services.store;
    const int64_t total = store.count_incidents(q.filter);
    const int64_t page_size = context_.options.page_size;
    const int64_t pages = std::max<int64_t>(1, (total + page_size - 1) / page_size);
    const int64_t page = std::min(pages, std::max<int64_t>(1, std::strtoll(r.param("page").c_str(), nullptr, 10)));
    const auto incidents = store.find_incidents(q.filter, static_cast<size_t>((page - 1) * page_size),
                                                static_cast<size_t>(page_size));

    std::string body;
    if (!q.problem.empty()) body += html::notice("error", q.problem);
    body += "<form class=\"filters\" method=\"get\" action=\"/incidents\">"
            "<label>From<input type=\"date\" name=\"from\" value=\"" + html::escape(q.from) + "\"></label>"
            "<label>To<input type=\"date\" name=\"to\" value=\"" + html::escape(q.to) + "\"></label>" +
            text_filter("channel", "Channel", q.channel, "C0123…") + text_filter("user", "User", q.user, "U0123…") +
            text_filter("rule", "Rule", q.rule, "card_visa") +
            text_filter("result", "Action result contains", q.result, "cant_delete_message") +
            "<button type=\"submit\" class=\"secondary\">Filter</button><a href=\"/incidents\">Clear</a>"
            "<a class=\"button secondary\" href=\"/incidents.csv?" + html::escape(query_string(q)) + "\">Export CSV</a></form>";
    if (incidents.empty()) {
        body += "<p class=\"empty\">" + std::string(total == 0 && q.filter.from_ms == 0 && q.filter.to_ms == 0 &&
                                                            q.channel.empty() && q.user.empty() && q.rule.empty() &&
                                                            q.result.empty()
                                                        ? "No incidents yet. When dlpd finds sensitive data in Slack, "
                                                          "each finding is listed here."
                                                        : "No incident matches these filters.") + "</p>";
        r.send_page(200, "Incidents", "incidents", body);
        return;
    }
    body += "<table><thead><tr><th>#</th><th>When</th><th>Rule</th><th>Severity</th><th>Confidence</th><th>Channel</th><th>User</th>"
            "<th>Masked match</th><th>Result</th></tr></thead><tbody>";
    for (const auto &i : incidents) {
        const std::string link = "/incidents/view?id=" + std::to_string(i.id);
        const std::string summary = result_summary(i.action_results);
        body += "<tr><td class=\"num\"><a href=\"" + link + "\">" + std::to_string(i.id) + "</a></td><td><a href=\"" +
                link + "\">" + html::format_time(i.created_at_ms) + "</a></td><td>" + html::escape(i.rule) +
                "</td><td><span class=\"badge sev-" + html::escape(i.severity) + "\">" + html::escape(i.severity) +
                "</span></td><td>" + html::escape(i.confidence) + "</td><td>" + html::escape(i.channel_id) + "</td><td>" + html::escape(i.user_id) +
                "</td><td><code>" + html::escape(i.masked_match) + "</code></td><td class=\"" +
                (summary == "failed" ? "bad" : summary == "ok" ? "ok" : "muted") + "\">" + summary + "</td></tr>";
    }
    body += "</tbody></table><div class=\"pager\">" + std::to_string(total) + " incident(s) · page " +
            std::to_string(page) + " of " + std::to_string(pages);
    const std::string keep = html::escape(query_string(q));
    if (page > 1) body += " <a href=\"/incidents?" + keep + "&amp;page=" + std::to_string(page - 1) + "\">previous</a>";
    if (page < pages) body += " <a href=\"/incidents?" + keep + "&amp;page=" + std::to_string(page + 1) + "\">next</a>";
    body += "</div>";
    r.send_page(200, "Incidents", "incidents", body);
}

}  // namespace dlpd
