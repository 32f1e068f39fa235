#include "admin/html.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "admin/session_keeper.hpp"

namespace dlpd::html {

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string url_encode(std::string_view text) {
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string safe_link(std::string_view url) {
    if (!url.starts_with("https://") && !url.starts_with("http://")) return {};
    for (unsigned char c : url)
        if (c < 0x20 || c == 0x7f) return {};
    return escape(url);
}

namespace {

std::tm utc(int64_t ms) {
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return tm;
}

}  // namespace

std::string format_time(int64_t ms) {
    const std::tm tm = utc(ms);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

std::string format_date(int64_t ms) {
    const std::tm tm = utc(ms);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

int64_t parse_date(std::string_view text) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (text.size() != 10 || std::sscanf(std::string(text).c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return -1;
    const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                                           std::chrono::day(static_cast<unsigned>(d))};
    if (!date.ok()) return -1;
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::sys_days(date).time_since_epoch())
        .count();
}

std::string csrf_field(const SignedIn &who) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(who.session.csrf_token) + "\">";
}

std::string option(std::string_view value, std::string_view label, bool selected) {
    return "<option value=\"" + escape(value) + "\"" + (selected ? " selected" : "") + ">" + escape(label) +
           "</option>";
}

std::string notice(std::string_view kind, std::string_view text) {
    return "<p class=\"notice notice-" + escape(kind) + "\" role=\"status\">" + escape(text) + "</p>";
}

std::string page(std::string_view title, std::string_view section, const SignedIn *who, std::string_view body) {
    std::string out =
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>" + escape(title) + " · dlpd admin</title>"
        "<link rel=\"stylesheet\" href=\"/static/admin.css\"><link rel=\"icon\" href=\"/static/favicon.svg\">"
        "</head><body>"
        "<header class=\"top\"><a class=\"brand\" href=\"/\">dlpd <span>admin</span></a>";
    if (who != nullptr) {
        struct Item {
            const char *key, *href, *label;
            bool admin_only;
        };
        static const Item items[] = {{"dashboard", "/", "Dashboard", false},
                                     {"incidents", "/incidents", "Incidents", false},
                                     {"patterns", "/patterns", "Patterns", false},
                                     {"allowlist", "/allowlist", "Allowlist", false},
                                     {"users", "/users", "Users", true},
                                     {"audit", "/audit", "Audit log", true}};
        out += "<nav>";
        for (const auto &item : items) {
            if (item.admin_only && !who->is_admin()) continue;
            out += std::string("<a href=\"") + item.href + "\"" +
                   (section == item.key ? " class=\"current\" aria-current=\"page\"" : "") + ">" + item.label + "</a>";
        }
        out += "</nav><div class=\"who\"><span>" + escape(who->user.name) + " <small>" + escape(who->user.role) +
               "</small></span><form method=\"post\" action=\"/sign-out\">" + csrf_field(*who) +
               "<button class=\"link\" type=\"submit\">Sign out</button></form></div>";
    }
    out += "</header><main><h1>" + escape(title) + "</h1>";
    out += body;
    out += "</main></body></html>\n";
    return out;
}

}  // namespace dlpd::html
