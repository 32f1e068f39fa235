// Fuzz target, e-mail: the input is a message for the GMime reader, and is
// also asked whether it looks like one (the dispatcher's header check).
#include "email_text.hpp"
#include "fuzz_support.hpp"

using namespace dlpd::filetype;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const Limits limits = fuzz::fuzz_limits();
    fuzz::CheckingSink sink;
    Extraction x(limits, sink, &fuzz::fixed_clock, 0, 0, "fuzz.eml");
    (void)looks_like_email(input);
    extract_email(x, input);
    return 0;
}
