// The outputs of `dlpd scan`: text for people, JSON lines for scripts, and
// SARIF 2.1.0 for code-scanning tools. Matches are masked unless reveal is
// set. Writers only format; they never decide what was found.
#ifndef DLPD_HOST_REPORT_REPORT_WRITER_HPP
#define DLPD_HOST_REPORT_REPORT_WRITER_HPP

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "engine/rule_pack.hpp"
#include "engine/scan_engine.hpp"

namespace dlpd {

enum class ReportFormat { text, jsonl, sarif };

class ReportWriter {
public:
    virtual ~ReportWriter() = default;
    virtual void finding(const Finding &f) = 0;
    // Diagnostics about items (unreadable, skipped, limits).
    virtual void diagnostic(const Diagnostic &d) = 0;
    // Called once after the last item.
    virtual void finish() {}
};

// s with control characters shown as \xHH, so a file name cannot forge
// output lines.
std::string printable_name(std::string_view s);

// out receives the report; err receives diagnostics for formats that keep
// them out of the report (text). rules describe the rules for SARIF.
std::unique_ptr<ReportWriter> make_report_writer(ReportFormat format, bool reveal, std::ostream &out,
                                                 std::ostream &err, const std::vector<Rule> &rules);

}  // namespace dlpd

#endif
