// E-mail messages (.eml, message/rfc822): the Subject (RFC 2047 encoded
// words decoded; addresses are not scanned), text/plain and text/html bodies
// (quoted-printable and base64 decoded, charset converted; of a
// multipart/alternative only the last text alternative, RFC 2046's richest,
// so one text is not reported twice), and attachments handed back to the
// host as nested blobs under their file names. Multipart bodies are walked
// to a bounded depth.
#ifndef DLPD_FILETYPE_EMAIL_TEXT_HPP
#define DLPD_FILETYPE_EMAIL_TEXT_HPP

#include <string>
#include <string_view>

#include "extraction.hpp"

namespace dlpd::filetype {

void extract_email(Extraction &x, std::string_view message);

// Content-Transfer-Encodings, exposed for tests.
std::string decode_base64(std::string_view in);
std::string decode_quoted_printable(std::string_view in);

}  // namespace dlpd::filetype

#endif
