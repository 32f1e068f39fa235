// The limits of the file-type extractor: what one call to extract() may read,
// produce, open and spend. Each is a configuration key of the plugin
// (filetype.KEY), declared in filetype_plugin.cpp with its default and range.
#ifndef DLPD_FILETYPE_LIMITS_HPP
#define DLPD_FILETYPE_LIMITS_HPP

#include <cstdint>

namespace dlpd::filetype {

struct Limits {
    // max_input_mb: a blob larger than this is not opened (plain UTF-8 text
    // of any size is still scanned by the host as it is).
    uint64_t max_input_bytes = uint64_t{100} << 20;
    // max_extracted_mb: bytes one blob may materialise: everything
    // decompressed out of it (archive members, document parts) plus the text
    // produced directly from it (PDF pages, HTML, converted encodings).
    uint64_t max_extracted_bytes = uint64_t{128} << 20;
    // max_depth: containers (archives, mail attachments, embedded objects)
    // are not opened at this nesting depth or deeper (the host's own
    // max_depth applies as well).
    uint32_t max_depth = 5;
    // max_members: members read from one archive or mail; the rest are
    // skipped with a diagnostic.
    uint64_t max_members = 10000;
    // max_compression_ratio: a member that expands more than this many times
    // its compressed size is a bomb and is not scanned. Checked once a member
    // has produced ratio_floor_bytes, so small, very repetitive files pass.
    uint64_t max_compression_ratio = 250;
    // max_seconds: wall time one blob may take (the host's deadline for the
    // whole item applies as well, whichever comes first).
    uint64_t max_nanoseconds = uint64_t{30} * 1000000000u;

    // Not configurable: below this many output bytes a member's ratio is
    // not checked (1 MiB of zeros is harmless, and compresses 1000:1).
    static constexpr uint64_t ratio_floor_bytes = uint64_t{1} << 20;
};

}  // namespace dlpd::filetype

#endif
