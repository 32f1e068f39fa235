#include "admin/incident_filters.hpp"

#include "admin/html.hpp"

namespace dlpd {

namespace {
constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
}

IncidentQuery incident_query(const AdminRequest &r) {
    IncidentQuery q;
    q.from = r.param("from");
    q.to = r.param("to");
    q.channel = r.param("channel");
    q.user = r.param("user");
    q.rule = r.param("rule");
    q.result = r.param("result");
    q.filter.channel_id = q.channel;
    q.filter.user_id = q.user;
    q.filter.rule = q.rule;
    q.filter.action_result = q.result;
    if (!q.from.empty()) {
        const int64_t from = html::parse_date(q.from);
        if (from < 0) q.problem = "'From' is not a date (YYYY-MM-DD); it was left out.";
        else q.filter.from_ms = from;
    }
    if (!q.to.empty()) {
        const int64_t to = html::parse_date(q.to);
        if (to < 0) q.problem = "'To' is not a date (YYYY-MM-DD); it was left out.";
        else q.filter.to_ms = to + kDayMs;  // the whole day
    }
    return q;
}

std::string query_string(const IncidentQuery &q) {
    return "from=" + html::url_encode(q.from) + "&to=" + html::url_encode(q.to) + "&channel=" +
           html::url_encode(q.channel) + "&user=" + html::url_encode(q.user) + "&rule=" + html::url_encode(q.rule) +
           "&result=" + html::url_encode(q.result);
}

}  // namespace dlpd
