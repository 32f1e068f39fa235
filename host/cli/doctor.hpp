// dlpd doctor's report and the checks it is made of. Each check prints one
// line as soon as it is done (ok, problem or skipped, then the check's name
// and what was found), so a slow one shows where it is; a problem is
// followed by its details and how to fix it.
#ifndef DLPD_HOST_CLI_DOCTOR_HPP
#define DLPD_HOST_CLI_DOCTOR_HPP

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace dlpd {

class DoctorReport {
public:
    explicit DoctorReport(std::ostream &out) : out_(out) {}

    // A value that must never be printed (a token, the signing secret, the
    // database password). Messages already never carry one; this is the
    // second line of defence: every printed line is scrubbed of it. Values
    // shorter than kMinScrubbedLength are left alone, since scrubbing them
    // would mangle ordinary words.
    void add_secret(const std::string &value);
    static constexpr size_t kMinScrubbedLength = 4;

    void ok(const std::string &check, const std::string &detail);
    void skipped(const std::string &check, const std::string &why);
    // details: further lines (every problem of a file, each with its line).
    void problem(const std::string &check, const std::string &detail, const std::string &fix,
                 const std::vector<std::string> &details = {});

    size_t problems() const { return problems_; }
    // The closing line: "nothing needs fixing", or how many problems do.
    void summary();

private:
    void line(const char *outcome, const std::string &text);
    std::string scrub(std::string text) const;

    std::ostream &out_;
    std::vector<std::string> secrets_;
    size_t problems_ = 0;
};

// Slack (cli/doctor_slack.cpp): each configured token signs in with
// auth.test and is of the right type, the scopes Slack granted it cover what
// the app manifest asks for, and, for Socket Mode, apps.connections.open
// gives a URL whose WebSocket says hello; for HTTP Events, the signing
// secret is set. A token that is not configured is a problem saying how to
// get it.
void check_slack(DoctorReport &report, const Config &config, const std::filesystem::path &manifest_file);

}  // namespace dlpd

#endif
