// Fuzz target, zip / OOXML / ODF family: the input is taken as a zip archive
// (or an Office package): the central directory, every member under the
// limits, and the Office readers when it is one.
#include "containers.hpp"
#include "fuzz_support.hpp"

using namespace dlpd::filetype;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const Limits limits = fuzz::fuzz_limits();
    fuzz::CheckingSink sink;
    Extraction x(limits, sink, &fuzz::fixed_clock, 0, 0, "fuzz.docx");
    extract_zip(x, input, true);
    fuzz::check(x.budget_left() <= limits.max_extracted_bytes);
    return 0;
}
