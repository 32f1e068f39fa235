// The text of an HTML document, as a reader sees it: tags removed, character
// references decoded, script, style and comments dropped, whitespace
// collapsed (except in pre and textarea), block elements on lines of their
// own and table cells separated by tabs. Inline elements (b, span, a, ...)
// do not break the text, so a number split over several of them stays whole.
#ifndef DLPD_FILETYPE_HTML_TEXT_HPP
#define DLPD_FILETYPE_HTML_TEXT_HPP

#include <string_view>

#include "text_builder.hpp"

namespace dlpd::filetype {

// html: UTF-8. Never fails: malformed markup is read as a browser would,
// roughly (a '<' that starts no tag is text; an unclosed tag ends the text).
void html_to_text(std::string_view html, TextBuilder &out);

// Decodes one character reference body (what is between '&' and ';':
// "amp", "#8364", "#x20AC"). Returns false when it is not one we know.
bool decode_character_reference(std::string_view name, TextBuilder &out);

}  // namespace dlpd::filetype

#endif
