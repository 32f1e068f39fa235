// The file-type extractor plugin (dlpd.extractor/1): libmagic decides what a
// blob is; text comes out of plain text in any common encoding, HTML, RTF,
// e-mail, PDF (poppler-cpp), OOXML and ODF; zip, gzip and tar members go
// back to the host as nested blobs. See README.md beside this file.
//
// Thread contract: extract() is [any-thread]. Per-call state lives in an
// Extraction on the stack; the instance holds only its limits (immutable)
// and a pool of libmagic handles (synchronised).
#include <dlpd/sdk.hpp>

#include "dispatch.hpp"
#include "extraction.hpp"
#include "limits.hpp"
#include "pdf_text.hpp"
#include "type_detection.hpp"

namespace {

using dlpd::sdk::ConfigKey;
namespace ft = dlpd::filetype;

// Forwards an extraction's output to the host's emitter.
class EmitterSink final : public ft::Sink {
public:
    explicit EmitterSink(const dlpd::sdk::Emitter &out) : out_(out) {}
    int32_t text(std::string_view text, std::string_view location) override { return out_.text(text, location); }
    int32_t blob(std::string_view data, std::string_view name, std::string_view mime_hint) override {
        return out_.blob(data, name, mime_hint);
    }
    void diagnostic(int32_t level, int32_t status, std::string_view subject, std::string_view message) override {
        out_.diagnostic(level, status, subject, message);
    }

private:
    const dlpd::sdk::Emitter &out_;
};

class FileTypeExtractor final : public dlpd::sdk::Extractor {
public:
    static constexpr dlpd::sdk::PluginInfo info{
        "org.dlpd.filetype", "filetype", "1.0.0",
        "File-type extractor: text from PDF, Office (OOXML, ODF), HTML, RTF, e-mail and text in any common "
        "encoding; members of zip, gzip and tar archives",
        "dlpd"};
    // Defaults match ft::Limits.
    static constexpr ConfigKey config_schema[] = {
        {DLPD_CONFIG_INTEGER, "max_input_mb", "100",
         "Largest blob opened, in MiB (plain UTF-8 text of any size is still scanned as it is)", 0, 1, 2047},
        {DLPD_CONFIG_INTEGER, "max_extracted_mb", "128",
         "Bytes one blob may materialise (decompressed members and parts, extracted text), in MiB", 0, 1, 2047},
        {DLPD_CONFIG_INTEGER, "max_depth", "5",
         "Containers (archives, attachments, embedded files) at this nesting depth or deeper are not opened", 0, 0, 64},
        {DLPD_CONFIG_INTEGER, "max_members", "10000", "Members read from one archive or e-mail", 0, 1, 100000000},
        {DLPD_CONFIG_INTEGER, "max_compression_ratio", "250",
         "A member that expands more than this many times its compressed size is a bomb and is not scanned", 0, 2,
         1000000},
        {DLPD_CONFIG_INTEGER, "max_seconds", "30", "Time one blob may take, in seconds", 0, 1, 86400},
    };

    FileTypeExtractor(const dlpd::sdk::Host &host, const dlpd::sdk::Config &config) : host_(host) {
        const ft::Limits d;
        limits_.max_input_bytes = mib(config, "max_input_mb", d.max_input_bytes >> 20);
        limits_.max_extracted_bytes = mib(config, "max_extracted_mb", d.max_extracted_bytes >> 20);
        limits_.max_depth = static_cast<uint32_t>(positive(config, "max_depth", d.max_depth, true));
        limits_.max_members = positive(config, "max_members", d.max_members, false);
        limits_.max_compression_ratio = positive(config, "max_compression_ratio", d.max_compression_ratio, false);
        limits_.max_nanoseconds = positive(config, "max_seconds", d.max_nanoseconds / 1000000000u, false) * 1000000000u;
        ft::install_pdf_error_handler();
    }

    int32_t extract(const dlpd::sdk::Request &request, const dlpd::sdk::Emitter &out) override {
        EmitterSink sink(out);
        ft::Extraction x(
            limits_, sink, [this] { return host_.monotonic_ns(); }, request.deadline_ns, request.depth, request.name);
        return ft::extract_blob(x, magic_, request.data, request.mime_hint);
    }

private:
    static uint64_t positive(const dlpd::sdk::Config &config, const char *key, uint64_t fallback, bool zero_ok) {
        const int64_t v = config.integer(key, static_cast<int64_t>(fallback));
        if (v < 0 || (v == 0 && !zero_ok))
            throw dlpd::sdk::Error(DLPD_ERR_CONFIG, std::string(key) + " must be positive, not " + std::to_string(v));
        return static_cast<uint64_t>(v);
    }
    static uint64_t mib(const dlpd::sdk::Config &config, const char *key, uint64_t fallback) {
        const uint64_t v = positive(config, key, fallback, false);
        if (v > 2047) throw dlpd::sdk::Error(DLPD_ERR_CONFIG, std::string(key) + " must be at most 2047");
        return v << 20;
    }

    const dlpd::sdk::Host host_;
    ft::Limits limits_;
    ft::MagicPool magic_;
};

}  // namespace

DLPD_PLUGIN(FileTypeExtractor)
