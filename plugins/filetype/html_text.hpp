// The text of an HTML document, as a reader sees it, parsed by gumbo (the
// HTML5 algorithm, so malformed markup reads as in a browser): script,
// style and comments dropped, character references decoded (&#128;-&#159;
// as Windows-1252), whitespace collapsed (except in pre and textarea), block
// elements on lines of their own and table cells separated by tabs. Inline
// elements (b, span, a, ...) do not break the text, so a number split over
// several of them stays whole; zero-width characters and soft hyphens are
// dropped. Also read: the title, meta description and keywords, alt and
// title attributes, and the values of input fields.
#ifndef DLPD_FILETYPE_HTML_TEXT_HPP
#define DLPD_FILETYPE_HTML_TEXT_HPP

#include <string>
#include <string_view>

#include "text_builder.hpp"

namespace dlpd::filetype {

// html: UTF-8. Never fails.
void html_to_text(std::string_view html, TextBuilder &out);

// The charset a document declares in its first 1024 bytes (<meta charset=...>
// or <meta http-equiv="Content-Type" content="...; charset=...">), as an ICU
// converter name ("windows-1251"; ISO-8859-1 and ASCII read as windows-1252,
// as browsers do); "" when none is declared or ICU does not know it.
std::string html_declared_charset(std::string_view data);

}  // namespace dlpd::filetype

#endif
