// The extractor's one entry: decide what a blob is (by content), warn when
// its name or declared type says otherwise, and run the reader for it.
#ifndef DLPD_FILETYPE_DISPATCH_HPP
#define DLPD_FILETYPE_DISPATCH_HPP

#include <cstdint>
#include <string_view>

#include "extraction.hpp"
#include "type_detection.hpp"

namespace dlpd::filetype {

// Returns DLPD_ERR_UNSUPPORTED for plain UTF-8 text without a BOM: the host
// scans it as it is, with no copy. Otherwise the extraction's status (see
// Extraction::status): every other blob is handled here, binary content of
// an unknown type by a diagnostic naming its type.
int32_t extract_blob(Extraction &x, MagicPool &magic, std::string_view data, std::string_view mime_hint);

}  // namespace dlpd::filetype

#endif
