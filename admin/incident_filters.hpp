// The incident list's filters, read from a request's query string and
// written back into links (pages, CSV export) so that they carry over.
#ifndef DLPD_ADMIN_INCIDENT_FILTERS_HPP
#define DLPD_ADMIN_INCIDENT_FILTERS_HPP

#include <string>

#include "admin/admin_handler.hpp"

namespace dlpd {

struct IncidentQuery {
    // As typed: from and to are YYYY-MM-DD (UTC), to inclusive.
    std::string from, to, channel, user, rule, result;
    IncidentFilter filter;  // what the store is asked
    std::string problem;    // a date that is not a date, for the page to say
};

IncidentQuery incident_query(const AdminRequest &request);

// "from=...&to=...&..." (URL-encoded, not HTML-escaped).
std::string query_string(const IncidentQuery &query);

}  // namespace dlpd

#endif
