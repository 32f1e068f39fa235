// Fuzz target, HTML / XML family (with RTF and e-mail, the other markup): the
// first byte picks the reader, the rest is its input. XML goes through the
// real Office readers, wrapped as the part they read in a stored zip.
#include "containers.hpp"
#include "email_text.hpp"
#include "fuzz_support.hpp"
#include "html_text.hpp"
#include "rtf_text.hpp"
#include "text_decoding.hpp"

using namespace dlpd::filetype;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    const uint8_t selector = data[0] % 7;
    const std::string_view input(reinterpret_cast<const char *>(data) + 1, size - 1);
    const Limits limits = fuzz::fuzz_limits();
    fuzz::CheckingSink sink;
    Extraction x(limits, sink, &fuzz::fixed_clock, 0, 0, "fuzz");
    switch (selector) {
        case 0: {
            // HTML takes UTF-8: decode first, as the dispatcher does (with
            // the charset the document declares).
            TextBuilder utf8(1 << 20), text(1 << 20);
            const std::string declared = html_declared_charset(input);
            if (declared.empty() || !convert_to_utf8(input, declared, utf8))
                decode_to_utf8(input, detect_encoding(input, {}), utf8);
            html_to_text(utf8.str(), text);
            fuzz::check(is_valid_utf8(text.str()));
            break;
        }
        case 1: {
            TextBuilder text(1 << 20);
            rtf_to_text(input, text);
            fuzz::check(is_valid_utf8(text.str()));
            break;
        }
        case 2:
            extract_email(x, input);
            break;
        case 3: {
            const std::string part(input);
            extract_zip(x, fuzz::stored_zip({{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", part}}), true);
            break;
        }
        case 4: {
            // The same bytes as shared strings and as a sheet.
            const std::string part(input);
            extract_zip(x,
                        fuzz::stored_zip({{"[Content_Types].xml", "<Types/>"},
                                          {"xl/sharedStrings.xml", part},
                                          {"xl/worksheets/sheet1.xml", part}}),
                        true);
            break;
        }
        case 5: {
            const std::string part(input);
            extract_zip(x, fuzz::stored_zip({{"[Content_Types].xml", part}, {"ppt/slides/slide1.xml", part}}), true);
            break;
        }
        default: {
            const std::string part(input);
            extract_zip(
                x, fuzz::stored_zip({{"mimetype", "application/vnd.oasis.opendocument.text"}, {"content.xml", part}}),
                true);
            break;
        }
    }
    return 0;
}
