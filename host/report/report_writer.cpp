#include "report/report_writer.hpp"

#include "engine/masking.hpp"
#include "report/writers.hpp"

namespace dlpd {

std::string report::shown(const Finding &f, bool reveal) { return reveal ? f.match : mask_secret(f.match); }

std::unique_ptr<ReportWriter> make_report_writer(ReportFormat format, bool reveal, std::ostream &out,
                                                 std::ostream &err, const std::vector<Rule> &rules) {
    switch (format) {
    case ReportFormat::text: return report::make_text_writer(reveal, out, err);
    case ReportFormat::jsonl: return report::make_jsonl_writer(reveal, out);
    case ReportFormat::sarif: return report::make_sarif_writer(reveal, out, rules);
    }
    return nullptr;
}

}  // namespace dlpd
