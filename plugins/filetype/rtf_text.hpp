// The text of an RTF document: control words removed, \par/\line as line
// breaks, \tab and \cell as tabs, \'hh in the code page of the current
// font (\fonttbl's \fcharset, else \ansicpg; double-byte CJK code pages
// included, decoded by ICU), \uN as Unicode (surrogate pairs joined, its \ucN
// fallback skipped), and non-text destinations (font and colour tables,
// style sheets, pictures, objects, field instructions, anything marked \*)
// dropped. No Debian library parses RTF for its text (librtf is not in
// Debian 12; unrtf is a program, not a library), so the tokenizer is ours.
#ifndef DLPD_FILETYPE_RTF_TEXT_HPP
#define DLPD_FILETYPE_RTF_TEXT_HPP

#include <string_view>

#include "text_builder.hpp"

namespace dlpd::filetype {

void rtf_to_text(std::string_view rtf, TextBuilder &out);

}  // namespace dlpd::filetype

#endif
