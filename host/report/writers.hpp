// For report/ only: one factory per format (text_report.cpp,
// jsonl_report.cpp, sarif_report.cpp), and what they share.
#ifndef DLPD_HOST_REPORT_WRITERS_HPP
#define DLPD_HOST_REPORT_WRITERS_HPP

#include "report/report_writer.hpp"

namespace dlpd::report {

// The match as the report shows it: masked unless reveal.
std::string shown(const Finding &f, bool reveal);

std::unique_ptr<ReportWriter> make_text_writer(bool reveal, std::ostream &out, std::ostream &err);
std::unique_ptr<ReportWriter> make_jsonl_writer(bool reveal, std::ostream &out);
std::unique_ptr<ReportWriter> make_sarif_writer(bool reveal, std::ostream &out, const std::vector<Rule> &rules);

}  // namespace dlpd::report

#endif
