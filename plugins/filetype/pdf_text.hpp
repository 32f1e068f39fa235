// PDF through poppler-cpp: the text of every page in reading order (what
// pdftotext prints by default), one emit per page. A document poppler cannot
// open, a password-protected one, or one poppler had to repair is reported;
// what could be read is scanned.
#ifndef DLPD_FILETYPE_PDF_TEXT_HPP
#define DLPD_FILETYPE_PDF_TEXT_HPP

#include <string_view>

#include "extraction.hpp"

namespace dlpd::filetype {

// Routes poppler's error messages (by default printed on standard error) to
// the extraction running on the calling thread. poppler keeps one error
// function for the process; this sets it to ours, every time, to the same
// value. Call before the first extract_pdf().
void install_pdf_error_handler();

void extract_pdf(Extraction &x, std::string_view data);

}  // namespace dlpd::filetype

#endif
