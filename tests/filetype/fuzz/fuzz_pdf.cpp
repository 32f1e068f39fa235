// Fuzz target, PDF family: the input goes to poppler through extract_pdf().
#include "fuzz_support.hpp"
#include "pdf_text.hpp"

using namespace dlpd::filetype;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const bool installed = (install_pdf_error_handler(), true);
    (void)installed;
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const Limits limits = fuzz::fuzz_limits();
    fuzz::CheckingSink sink;
    Extraction x(limits, sink, &fuzz::fixed_clock, 0, 0, "fuzz.pdf");
    extract_pdf(x, input);
    return 0;
}
