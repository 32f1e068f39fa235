// Fuzz target, libarchive family: the input is taken as any archive or
// compressed file (tar, 7z, RAR, cpio, ISO 9660, ar, gzip, bzip2, xz, zstd,
// lzma), every member read under the limits.
#include "containers.hpp"
#include "fuzz_support.hpp"

using namespace dlpd::filetype;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const Limits limits = fuzz::fuzz_limits();
    fuzz::CheckingSink sink;
    Extraction x(limits, sink, &fuzz::fixed_clock, 0, 0, "fuzz.tar.xz");
    extract_archive(x, input);
    fuzz::check(x.budget_left() <= limits.max_extracted_bytes);
    return 0;
}
