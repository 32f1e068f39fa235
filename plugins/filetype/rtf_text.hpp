// The text of an RTF document: control words removed, \par/\line as line
// breaks, \tab and \cell as tabs, \'hh as Windows-1252, \uN as Unicode (with
// its \ucN fallback skipped), and non-text destinations (font and colour
// tables, style sheets, pictures, objects, field instructions, anything
// marked \*) dropped. Other code pages than 1252 are read as 1252.
#ifndef DLPD_FILETYPE_RTF_TEXT_HPP
#define DLPD_FILETYPE_RTF_TEXT_HPP

#include <string_view>

#include "text_builder.hpp"

namespace dlpd::filetype {

void rtf_to_text(std::string_view rtf, TextBuilder &out);

}  // namespace dlpd::filetype

#endif
