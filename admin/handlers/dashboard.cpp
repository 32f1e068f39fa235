// The dashboard: incidents over the last 30 days as a server-rendered SVG
// chart, the top rules and channels, the Slack connection, and the plugins
// (loaded with their ABI versions, refused with the reason).
#include <chrono>
#include <map>

#include "admin/handlers/handlers.hpp"
#include "admin/html.hpp"

namespace dlpd {

namespace {

constexpr int kChartDays = 30;
constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
constexpr size_t kTopCount = 5;

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string chart(const std::vector<DayCount> &days, int64_t first_day) {
    std::map<int64_t, int64_t> by_day;
    int64_t max = 0;
    for (const auto &d : days) {
        by_day[d.day_start_ms] = d.count;
        max = std::max(max, d.count);
    }
    const int width = 720, height = 200, left = 40, bottom = 24, top = 10;
    const double slot = static_cast<double>(width - left) / kChartDays;
    std::string svg = "<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                      "\" role=\"img\" aria-label=\"Incidents per day, last " + std::to_string(kChartDays) +
                      " days\" xmlns=\"http://www.w3.org/2000/svg\">";
    svg += "<line class=\"axis\" x1=\"" + std::to_string(left) + "\" y1=\"" + std::to_string(height - bottom) +
           "\" x2=\"" + std::to_string(width) + "\" y2=\"" + std::to_string(height - bottom) + "\"/>";
    svg += "<text x=\"0\" y=\"" + std::to_string(top + 10) + "\">" + std::to_string(max) + "</text>";
    svg += "<text x=\"0\" y=\"" + std::to_string(height - bottom) + "\">0</text>";
    for (int i = 0; i < kChartDays; ++i) {
        const int64_t day = first_day + i * kDayMs;
        const int64_t n = by_day.count(day) ? by_day[day] : 0;
        const double bar = max == 0 ? 0 : static_cast<double>(height - bottom - top) * static_cast<double>(n) / static_cast<double>(max);
        const double x = left + i * slot + 2;
        svg += "<rect class=\"bar\" x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(height - bottom - bar) +
               "\" width=\"" + std::to_string(slot - 4) + "\" height=\"" + std::to_string(bar) + "\"><title>" +
               html::format_date(day) + ": " + std::to_string(n) + " incident(s)</title></rect>";
        if (i % 7 == 0 || i == kChartDays - 1)
            svg += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(height - 6) + "\">" +
                   html::format_date(day).substr(5) + "</text>";
    }
    return svg + "</svg>";
}

std::string top_table(const std::vector<CountedValue> &rows, const std::string &heading, const std::string &filter) {
    std::string out = "<div class=\"card\"><h2>" + heading + "</h2>";
    if (rows.empty()) return out + "<p class=\"muted\">No incidents in the last " + std::to_string(kChartDays) + " days.</p></div>";
    out += "<table><thead><tr><th>" + heading.substr(4) + "</th><th class=\"num\">Incidents</th></tr></thead><tbody>";
    for (const auto &row : rows)
        out += "<tr><td><a href=\"/incidents?" + filter + "=" + html::url_encode(row.value) + "\">" +
               html::escape(row.value.empty() ? "(none)" : row.value) + "</a></td><td class=\"num\">" +
               std::to_string(row.count) + "</td></tr>";
    return out + "</tbody></table></div>";
}

std::string plugins_section(const PluginRegistry &registry) {
    std::string out = "<div class=\"card\"><h2>Plugins</h2>";
    if (registry.loaded().empty()) {
        out += "<p class=\"empty\">No plugins are loaded: nothing can be detected. Check plugins.dirs.</p>";
    } else {
        out += "<table><thead><tr><th>Plugin</th><th>Version</th><th>ABI</th><th>Roles</th><th>File</th></tr></thead><tbody>";
        for (const auto &p : registry.loaded()) {
            std::string roles;
            for (const auto &role : p->roles()) roles += (roles.empty() ? "" : ", ") + role;
            out += "<tr><td>" + html::escape(p->name) + " <span class=\"muted\">" + html::escape(p->id) +
                   "</span></td><td>" + html::escape(p->version) + "</td><td>" + std::to_string(p->abi_major) + "." +
                   std::to_string(p->abi_minor) + "</td><td>" + html::escape(roles) + "</td><td class=\"mono\">" +
                   html::escape(p->file.string()) + "</td></tr>";
        }
        out += "</tbody></table>";
    }
    if (!registry.refused().empty()) {
        out += "<h2>Refused plugins</h2><table><thead><tr><th>File</th><th>Reason</th></tr></thead><tbody>";
        for (const auto &p : registry.refused())
            out += "<tr><td class=\"mono\">" + html::escape(p.file.string()) + "</td><td class=\"bad\">" +
                   html::escape(p.reason) + "</td></tr>";
        out += "</tbody></table>";
    }
    return out + "</div>";
}

}  // namespace

void DashboardHandler::handle(AdminRequest &r) {
    Store &store = context_.services.store;
    const int64_t now = now_ms();
    const int64_t today = now - now % kDayMs;
    const int64_t first_day = today - (kChartDays - 1) * kDayMs;

    IncidentFilter last_day;
    last_day.from_ms = now - kDayMs;
    IncidentFilter last_month;
    last_month.from_ms = first_day;
    const SlackStatus slack = context_.services.slack_status ? context_.services.slack_status()
                                                             : SlackStatus{"unknown", "No status is available."};
    size_t enabled = 0;
    const auto rules = store.rules();
    for (const auto &rule : rules) enabled += rule.enabled ? 1 : 0;

    std::string body = "<div class=\"grid\">";
    body += "<div class=\"card\"><h2>Slack</h2><p class=\"stat " +
            std::string(slack.state == "connected" || slack.state == "listening" ? "ok" : "bad") + "\">" + html::escape(slack.state) + "</p><p>" +
            html::escape(slack.detail) + "</p></div>";
    body += "<div class=\"card\"><h2>Incidents</h2><p><span class=\"stat\">" +
            std::to_string(store.count_incidents(last_day)) + "</span> in the last 24 hours</p><p>" +
            std::to_string(store.count_incidents(last_month)) + " in the last " + std::to_string(kChartDays) +
            " days · <a href=\"/incidents\">all incidents</a></p></div>";
    body += "<div class=\"card\"><h2>Patterns</h2><p><span class=\"stat\">" + std::to_string(enabled) +
            "</span> enabled of " + std::to_string(rules.size()) + "</p><p>Rule revision " +
            std::to_string(store.rules_revision()) + " · <a href=\"/patterns\">patterns</a></p></div>";
    body += "</div>";

    body += "<div class=\"card\"><h2>Incidents per day (UTC), last " + std::to_string(kChartDays) + " days</h2>";
    const auto days = store.incidents_per_day(first_day);
    body += days.empty() ? "<p class=\"empty\">No incidents in the last " + std::to_string(kChartDays) + " days.</p>"
                         : chart(days, first_day);
    body += "</div><div class=\"grid\">";
    body += top_table(store.top_incident_values(IncidentColumn::rule, first_day, kTopCount), "Top rules", "rule");
    body += top_table(store.top_incident_values(IncidentColumn::channel, first_day, kTopCount), "Top channels",
                      "channel");
    body += "</div>";
    body += plugins_section(context_.services.registry);
    r.send_page(200, "Dashboard", "dashboard", body);
}

}  // namespace dlpd
