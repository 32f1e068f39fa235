#include "inflate.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace dlpd::filetype {

namespace {

// Output is produced in steps of this size; limits are checked between steps.
constexpr size_t kStep = size_t{64} << 10;
// The longest gzip FNAME we keep.
constexpr size_t kMaxGzipName = 1024;

}  // namespace

const char *describe(InflateEnd end) {
    switch (end) {
        case InflateEnd::complete:
            return "complete";
        case InflateEnd::input_ended:
            return "the compressed data ends early (truncated)";
        case InflateEnd::corrupt:
            return "the compressed data is invalid";
        case InflateEnd::output_limit:
            return "output limit reached";
        case InflateEnd::ratio_limit:
            return "compression ratio limit exceeded";
        case InflateEnd::deadline:
            return "time limit reached";
    }
    return "?";
}

InflateResult inflate_stream(std::string_view input, Framing framing, const InflateLimits &limits, std::string &out,
                             GzipHeader *header) {
    InflateResult result;
    z_stream zs{};
    const int window_bits = framing == Framing::raw ? -MAX_WBITS : MAX_WBITS + 16;
    if (inflateInit2(&zs, window_bits) != Z_OK) {
        result.message = "zlib could not start";
        return result;
    }
    gz_header gz{};
    unsigned char name[kMaxGzipName + 1] = {};
    if (framing == Framing::gzip && header != nullptr) {
        gz.name = name;
        gz.name_max = kMaxGzipName;
        inflateGetHeader(&zs, &gz);
    }

    const size_t start = out.size();
    size_t offered = 0;  // input handed to zlib so far
    int rc = Z_OK;
    while (true) {
        if (zs.avail_in == 0 && offered < input.size()) {
            const size_t n = std::min<size_t>(input.size() - offered, UINT_MAX);
            zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.data() + offered));
            zs.avail_in = static_cast<uInt>(n);
            offered += n;
        }
        const uint64_t produced = out.size() - start;
        if (produced >= limits.max_output) {
            result.end = InflateEnd::output_limit;
            break;
        }
        const uint64_t consumed = offered - zs.avail_in;
        if (limits.max_ratio != 0 && produced >= limits.ratio_floor &&
            produced > limits.max_ratio * std::max<uint64_t>(consumed, 1)) {
            result.end = InflateEnd::ratio_limit;
            break;
        }
        if (limits.expired && limits.expired()) {
            result.end = InflateEnd::deadline;
            break;
        }
        const size_t step = static_cast<size_t>(std::min<uint64_t>(kStep, limits.max_output - produced));
        const size_t before = out.size();
        out.resize(before + step);
        zs.next_out = reinterpret_cast<Bytef *>(out.data() + before);
        zs.avail_out = static_cast<uInt>(step);
        const uInt avail_in_before = zs.avail_in;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.resize(before + (step - zs.avail_out));
        if (rc == Z_STREAM_END) {
            result.end = InflateEnd::complete;
            break;
        }
        if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR) {
            result.end = InflateEnd::corrupt;
            if (zs.msg != nullptr) result.message = zs.msg;
            break;
        }
        const bool no_progress = zs.avail_in == avail_in_before && zs.avail_out == step;
        if (rc == Z_BUF_ERROR || no_progress) {
            // All input used and no more output: the stream is cut short.
            if (zs.avail_in == 0 && offered >= input.size()) {
                result.end = InflateEnd::input_ended;
                break;
            }
            if (no_progress) {  // zlib is stuck with input left: never loop on it
                result.end = InflateEnd::corrupt;
                result.message = "no progress";
                break;
            }
        }
    }
    result.consumed = offered - zs.avail_in;
    if (header != nullptr && framing == Framing::gzip && gz.done == 1 && gz.name != Z_NULL)
        header->name = reinterpret_cast<const char *>(name);
    inflateEnd(&zs);
    return result;
}

}  // namespace dlpd::filetype
