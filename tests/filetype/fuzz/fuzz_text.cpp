// Fuzz target, text decoding family: every decoder on the input, with the
// properties they promise: the output is valid UTF-8 whatever the input,
// valid UTF-8 input comes out unchanged, and a capped builder keeps a prefix
// within its cap without cutting a character.
#include "fuzz_support.hpp"
#include "text_decoding.hpp"

using namespace dlpd::filetype;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const bool valid = is_valid_utf8(input);
    for (Encoding e :
         {Encoding::utf8, Encoding::utf8_bom, Encoding::utf16le, Encoding::utf16be, Encoding::windows1252}) {
        TextBuilder out(1 << 20);
        decode_to_utf8(input, e, out);
        fuzz::check(is_valid_utf8(out.str()));
        if (e == Encoding::utf8 && valid) fuzz::check(out.str() == input);
        // The same through a small cap: a prefix, never longer than the cap.
        const uint64_t cap = size % 17;
        TextBuilder small(cap);
        decode_to_utf8(input, e, small);
        fuzz::check(small.size() <= cap);
        fuzz::check(is_valid_utf8(small.str()));
        fuzz::check(out.str().compare(0, small.size(), small.str()) == 0);
    }
    const Encoding detected = detect_encoding(input, size % 3 == 0 ? "utf-16le" : "");
    fuzz::check(detected != Encoding::utf8 || valid);
    return 0;
}
