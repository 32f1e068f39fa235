// The incident list as CSV, with the list's filters, up to
// admin.export_max_rows rows. Masked matches only. A cell that a
// spreadsheet would read as a formula (starting with = + - @, tab or CR) is
// prefixed with a quote.
#include "admin/csv_cell.hpp"
#include "admin/handlers/handlers.hpp"
#include "admin/html.hpp"
#include "admin/incident_filters.hpp"

namespace dlpd {

namespace {
constexpr size_t kBatchRows = 1000;
}

void IncidentExportHandler::handle(AdminRequest &r) {
    const IncidentQuery q = incident_query(r);
    std::string csv = "id,created_at_utc,source,team_id,channel_id,user_id,message_ts,thread_ts,permalink,rule,"
                      "detector,severity,masked_match,match_fingerprint,actions,action_results,confidence\r\n";
    const size_t max_rows = static_cast<size_t>(context_.options.export_max_rows);
    for (size_t offset = 0; offset < max_rows; offset += kBatchRows) {
        const auto batch = context_.services.store.find_incidents(q.filter, offset, std::min(kBatchRows, max_rows - offset));
        for (const auto &i : batch) {
            const std::string cells[] = {std::to_string(i.id), html::format_time(i.created_at_ms), i.source, i.team_id,
                                         i.channel_id, i.user_id, i.message_ts, i.thread_ts, i.permalink, i.rule,
                                         i.detector, i.severity, i.masked_match, i.match_fingerprint, i.actions,
                                         i.action_results, i.confidence};
            std::string line;
            for (const auto &cell : cells) line += (line.empty() ? "" : ",") + csv_cell(cell);
            csv += line + "\r\n";
        }
        if (batch.size() < kBatchRows) break;
    }
    context_.services.store.audit(r.who->user.name, "incident.export", "incidents", query_string(q));
    r.set_header("Content-Disposition", "attachment; filename=\"dlpd-incidents.csv\"");
    r.send(200, "text/csv; charset=utf-8", csv);
}

}  // namespace dlpd
