#include "extraction.hpp"

#include <dlpd/plugin.h>

#include <utility>

namespace dlpd::filetype {

namespace {

std::string megabytes(uint64_t bytes) {
    return std::to_string(bytes >> 20);
}

}  // namespace

Extraction::Extraction(const Limits &limits, Sink &sink, Clock clock, uint64_t host_deadline_ns, uint32_t depth,
                       std::string_view name)
    : limits_(limits),
      sink_(sink),
      clock_(std::move(clock)),
      deadline_ns_(0),
      depth_(depth),
      name_(name),
      budget_left_(limits.max_extracted_bytes) {
    const uint64_t now = clock_ ? clock_() : 0;
    if (clock_ && limits_.max_nanoseconds != 0) deadline_ns_ = now + limits_.max_nanoseconds;
    if (host_deadline_ns != 0 && (deadline_ns_ == 0 || host_deadline_ns < deadline_ns_))
        deadline_ns_ = host_deadline_ns;
}

bool Extraction::charge(uint64_t n, std::string_view subject) {
    if (n <= budget_left_) {
        budget_left_ -= n;
        return true;
    }
    budget_exhausted(subject);
    return false;
}

void Extraction::budget_exhausted(std::string_view subject) {
    budget_left_ = 0;
    if (exhausted_) return;
    exhausted_ = true;
    limit(subject, "more than max_extracted_mb (" + megabytes(limits_.max_extracted_bytes) +
                       ") extracted from this item; the rest is not scanned");
}

bool Extraction::expired() {
    if (timed_out_) return true;
    if (deadline_ns_ == 0 || !clock_ || clock_() < deadline_ns_) return false;
    timed_out_ = true;
    limit({}, "time limit reached (max_seconds " + std::to_string(limits_.max_nanoseconds / 1000000000u) +
                  ", or the host's deadline for the item); the rest is not scanned");
    return true;
}

bool Extraction::emit_text(std::string_view text, std::string_view location) {
    if (cancelled_) return false;
    if (text.empty()) return true;
    if (sink_.text(text, location) != DLPD_OK) cancelled_ = true;
    return !cancelled_;
}

bool Extraction::emit_blob(std::string_view data, std::string_view name, std::string_view mime_hint) {
    if (cancelled_) return false;
    if (sink_.blob(data, name, mime_hint) != DLPD_OK) cancelled_ = true;
    return !cancelled_;
}

void Extraction::limit(std::string_view subject, std::string_view message) {
    any_limit_ = true;
    sink_.diagnostic(DLPD_LOG_WARNING, DLPD_ERR_LIMIT, subject, message);
}

void Extraction::corrupt(std::string_view subject, std::string_view message) {
    any_corrupt_ = true;
    sink_.diagnostic(DLPD_LOG_WARNING, DLPD_ERR_CORRUPT_INPUT, subject, message);
}

void Extraction::encrypted(std::string_view subject, std::string_view message) {
    sink_.diagnostic(DLPD_LOG_WARNING, DLPD_ERR_ENCRYPTED, subject, message);
}

void Extraction::skipped(std::string_view subject, std::string_view message) {
    sink_.diagnostic(DLPD_LOG_INFO, DLPD_ERR_UNSUPPORTED, subject, message);
}

void Extraction::note(std::string_view subject, std::string_view message) {
    sink_.diagnostic(DLPD_LOG_INFO, DLPD_OK, subject, message);
}

int32_t Extraction::status() const {
    if (cancelled_) return DLPD_ERR_CANCELLED;
    if (any_limit_) return DLPD_ERR_LIMIT;
    if (any_corrupt_) return DLPD_ERR_CORRUPT_INPUT;
    return DLPD_OK;
}

}  // namespace dlpd::filetype
