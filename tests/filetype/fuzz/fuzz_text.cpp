// Fuzz target, text decoding family: every decoder on the input, with the
// properties they promise: the output is valid UTF-8 whatever the input,
// valid UTF-8 input without NULs comes out unchanged, and a capped builder keeps a prefix
// within its cap without cutting a character.
#include "fuzz_support.hpp"
#include "text_decoding.hpp"

using namespace dlpd::filetype;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const bool valid = is_valid_utf8(input);
    const bool has_nul = input.find('\0') != std::string_view::npos;
    for (Encoding e : {Encoding::utf8, Encoding::utf8_bom, Encoding::utf16le, Encoding::utf16be, Encoding::utf32le,
                       Encoding::utf32be, Encoding::ebcdic, Encoding::windows1252, Encoding::legacy}) {
        TextBuilder out(1 << 20);
        decode_to_utf8(input, e, out);
        fuzz::check(is_valid_utf8(out.str()));
        if (e == Encoding::utf8 && valid && !has_nul) fuzz::check(out.str() == input);
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
    // What the type detection asks of bytes libmagic calls binary, and the
    // conversion that follows it (uchardet's guesses included).
    const std::string sniffed = sniff_text_charset(input);
    if (!sniffed.empty()) {
        TextBuilder out(1 << 20);
        fuzz::check(convert_to_utf8(input, sniffed, out));
        fuzz::check(is_valid_utf8(out.str()));
    }
    return 0;
}
