// How dlpd doctor prints: one line per check, scrubbed of every secret.
#include "cli/doctor.hpp"

namespace dlpd {

void DoctorReport::add_secret(const std::string &value) {
    if (value.size() >= kMinScrubbedLength) secrets_.push_back(value);
}

std::string DoctorReport::scrub(std::string text) const {
    for (const auto &secret : secrets_)
        for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
            text.replace(at, secret.size(), "***");
    return text;
}

void DoctorReport::line(const char *outcome, const std::string &text) {
    out_ << outcome << scrub(text) << '\n' << std::flush;
}

void DoctorReport::ok(const std::string &check, const std::string &detail) {
    line("ok       ", check + ": " + detail);
}

void DoctorReport::skipped(const std::string &check, const std::string &why) {
    line("skipped  ", check + ": " + why);
}

void DoctorReport::problem(const std::string &check, const std::string &detail, const std::string &fix,
                           const std::vector<std::string> &details) {
    ++problems_;
    line("problem  ", check + ": " + detail);
    for (const auto &d : details) line("           ", d);
    line("         ", "fix: " + fix);
}

void DoctorReport::summary() {
    out_ << '\n'
         << (problems_ == 0
                 ? std::string("nothing needs fixing")
                 : std::to_string(problems_) + (problems_ == 1 ? " problem needs" : " problems need") + " fixing")
         << '\n';
}

}  // namespace dlpd
