// Bounded decompression of deflate streams (zip members, gzip), with zlib.
// Output grows in small steps and stops at the first limit: size, ratio,
// deadline. A bomb never gets further than the limit that catches it.
#ifndef DLPD_FILETYPE_INFLATE_HPP
#define DLPD_FILETYPE_INFLATE_HPP

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace dlpd::filetype {

struct InflateLimits {
    // Stop once the output would exceed this many bytes.
    uint64_t max_output = 0;
    // Stop once output > max_ratio * input consumed, after ratio_floor bytes
    // of output (0: no ratio check).
    uint64_t max_ratio = 0;
    uint64_t ratio_floor = 0;
    // Polled between steps; returns true when time is up.
    std::function<bool()> expired;
};

enum class InflateEnd {
    complete,      // the stream ended properly
    input_ended,   // the input ran out first (truncated)
    corrupt,       // zlib found invalid data
    output_limit,  // max_output reached
    ratio_limit,   // max_ratio exceeded
    deadline,      // expired() said so
};

struct InflateResult {
    InflateEnd end = InflateEnd::corrupt;
    uint64_t consumed = 0;  // input bytes used (for gzip: of this member)
    std::string message;    // zlib's message when corrupt
};

enum class Framing {
    raw,   // zip's deflate: no header
    gzip,  // one gzip member (header and trailer checked by zlib)
};

// Header fields of a gzip member, when Framing::gzip.
struct GzipHeader {
    std::string name;  // FNAME, when present (ISO 8859-1 as stored)
};

// Appends the decompressed stream to out. For gzip, header (when not null)
// receives the member's header fields.
InflateResult inflate_stream(std::string_view input, Framing framing, const InflateLimits &limits, std::string &out,
                             GzipHeader *header = nullptr);

const char *describe(InflateEnd end);

}  // namespace dlpd::filetype

#endif
