// Fuzz target, the whole extractor: libmagic decides, then any reader runs,
// gzip and tar included. Closest to what the plugin does with a file.
#include "dispatch.hpp"
#include "fuzz_support.hpp"
#include "pdf_text.hpp"
#include "type_detection.hpp"

using namespace dlpd::filetype;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static MagicPool *magic = [] {
        install_pdf_error_handler();
        return new MagicPool();  // lives for the process, like the plugin's
    }();
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const Limits limits = fuzz::fuzz_limits();
    fuzz::CheckingSink sink;
    Extraction x(limits, sink, &fuzz::fixed_clock, 0, 0, size % 2 ? "fuzz.bin" : "fuzz.docx");
    const int32_t status = extract_blob(x, *magic, input, {});
    fuzz::check(status <= 0);
    return 0;
}
