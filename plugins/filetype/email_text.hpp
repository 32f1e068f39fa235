// E-mail messages (.eml, message/rfc822), parsed with GMime: the headers a
// person writes (Subject, and the display names and addresses of From, To and
// Cc; RFC 2047 encoded words decoded), every text/plain and text/html body
// (transfer encoding and charset decoded; each part of a
// multipart/alternative, so text only in one of them is not missed, even if
// the same text is then scanned twice), and attachments and attached
// messages handed back to the host as nested blobs under their file names
// (RFC 2231 and RFC 2047 names decoded). Multipart bodies are walked to a
// bounded depth; an S/MIME or PGP encrypted part is reported as encrypted.
// TNEF (winmail.dat) is handed on as an opaque attachment and not read.
#ifndef DLPD_FILETYPE_EMAIL_TEXT_HPP
#define DLPD_FILETYPE_EMAIL_TEXT_HPP

#include <string_view>

#include "extraction.hpp"

namespace dlpd::filetype {

void extract_email(Extraction &x, std::string_view message);

// True when data starts like an RFC 5322 message: a block of header lines
// (field names of printable ASCII, folded lines allowed) holding at least
// min_known of the fields a message carries (From, To, Subject, Date,
// Message-ID, MIME-Version, Received, Return-Path, Content-Type), ended by an
// empty line or the end of the data.
// Plain text that starts with one "From:" line is not a message.
bool looks_like_email(std::string_view data, int min_known = 2);

}  // namespace dlpd::filetype

#endif
