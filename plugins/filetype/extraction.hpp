// One call of the extractor on one blob: where its output goes, and the
// limits it runs under (bytes it may materialise, its deadline). Every format
// reader takes an Extraction and reports through it, so the limits and the
// status the call returns are decided in one place.
//
// Not thread-safe: one Extraction per call, on the calling thread.
#ifndef DLPD_FILETYPE_EXTRACTION_HPP
#define DLPD_FILETYPE_EXTRACTION_HPP

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "limits.hpp"

namespace dlpd::filetype {

// Where extracted text, nested blobs and diagnostics go: the host's emitter
// in the plugin, a collector in tests and fuzzers. text() and blob() return
// DLPD_OK to go on; anything else asks the extractor to stop.
class Sink {
public:
    virtual ~Sink() = default;
    virtual int32_t text(std::string_view text, std::string_view location) = 0;
    virtual int32_t blob(std::string_view data, std::string_view name, std::string_view mime_hint) = 0;
    virtual void diagnostic(int32_t level, int32_t status, std::string_view subject, std::string_view message) = 0;
};

// Nanoseconds on the host's monotonic clock (the clock of deadline_ns).
using Clock = std::function<uint64_t()>;

class Extraction {
public:
    // host_deadline_ns: the host's deadline for the item (0 = none); the
    // call's own deadline is max_seconds from now, whichever is earlier.
    Extraction(const Limits &limits, Sink &sink, Clock clock, uint64_t host_deadline_ns, uint32_t depth,
               std::string_view name);

    const Limits &limits() const { return limits_; }
    uint32_t depth() const { return depth_; }
    // The item's name as the host gave it ("a.zip!dir/b.docx"); a hint only.
    std::string_view name() const { return name_; }

    // --- budget ------------------------------------------------------------
    // Bytes this blob may still materialise (see Limits::max_extracted_bytes).
    uint64_t budget_left() const { return budget_left_; }
    // Takes n bytes from the budget. When they do not fit, reports the limit
    // (subject: what was being extracted) and returns false; the budget is
    // then spent and the extraction stops.
    bool charge(uint64_t n, std::string_view subject);
    // Reports that the budget ran out while producing subject, and stops.
    void budget_exhausted(std::string_view subject);
    // True once the deadline has passed; the first time, reports it.
    bool expired();
    // True when nothing more should be produced: the host asked to stop, the
    // budget is spent or the deadline passed.
    bool stopped() const { return cancelled_ || exhausted_ || timed_out_; }

    // --- output ----------------------------------------------------------
    // Both return false when the extraction must stop.
    bool emit_text(std::string_view text, std::string_view location);
    bool emit_blob(std::string_view data, std::string_view name, std::string_view mime_hint = {});

    // --- diagnostics -----------------------------------------------------
    // subject: a member path, a page, or empty for the blob itself. Messages
    // never quote content.
    // A limit ended a branch (DLPD_ERR_LIMIT, warning).
    void limit(std::string_view subject, std::string_view message);
    // Damaged or not what it claims to be (DLPD_ERR_CORRUPT_INPUT, warning).
    void corrupt(std::string_view subject, std::string_view message);
    // Cannot be read without a key (DLPD_ERR_ENCRYPTED, warning):
    // unscanned, for the policy.
    void encrypted(std::string_view subject, std::string_view message);
    // Something was deliberately not scanned: encrypted, a type no reader
    // handles (DLPD_ERR_UNSUPPORTED, info). Does not fail the call.
    void skipped(std::string_view subject, std::string_view message);
    // Worth knowing, not a problem (DLPD_OK, info).
    void note(std::string_view subject, std::string_view message);

    // The call's result: DLPD_ERR_CANCELLED when the host asked to stop,
    // else DLPD_ERR_LIMIT when a limit was hit, else DLPD_ERR_CORRUPT_INPUT
    // when the input was damaged, else DLPD_OK.
    int32_t status() const;

private:
    const Limits &limits_;
    Sink &sink_;
    Clock clock_;
    uint64_t deadline_ns_;
    uint32_t depth_;
    std::string_view name_;
    uint64_t budget_left_;
    bool cancelled_ = false;
    bool exhausted_ = false;
    bool timed_out_ = false;
    bool any_limit_ = false;
    bool any_corrupt_ = false;
};

}  // namespace dlpd::filetype

#endif
