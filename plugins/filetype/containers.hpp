// Containers: zip, the compressed single files, tar, 7z, RAR, cpio, ISO 9660
// and ar, all read with libarchive (archive_reader.hpp), hand their members
// back to the host as nested blobs (the host runs the extractors on each and
// names findings outer.zip!dir/member). Every member counts against the
// limits of the extraction; a member that hits one is reported and skipped,
// the others go on.
#ifndef DLPD_FILETYPE_CONTAINERS_HPP
#define DLPD_FILETYPE_CONTAINERS_HPP

#include <string_view>

#include "archive_reader.hpp"
#include "extraction.hpp"

namespace dlpd::filetype {

// The zip at hand: its members, or the Office document it turns out to be.
// expected_office: the name or declared type says it is an Office document
// (a plain zip is then reported as a disguise).
void extract_zip(Extraction &x, std::string_view archive, bool expected_office);
// A compressed single file (gzip, multi-member too, bzip2, xz, zstd, lzma):
// one blob, named after the file without its suffix.
void extract_compressed(Extraction &x, std::string_view data);
// Any other archive libarchive reads (tar, 7z, RAR, cpio, ISO 9660, ar).
void extract_archive(Extraction &x, std::string_view data);

// The read limits that are left for one member of this extraction.
ReadLimits read_limits(Extraction &x);

// Reports a member's read problem naming it and charges what it produced.
// Returns true when there is content to use (possibly partial, after a
// corruption report).
bool check_member(Extraction &x, const ZipMember &member, MemberData &data);

// False (after reporting it) when the member's declared size does not fit in
// what is left of the budget: that member is skipped, the others go on.
bool fits_budget(Extraction &x, const ZipMember &member);

// False (after reporting it) when containers at this depth must not be
// opened: the plugin's max_depth.
bool may_open_container(Extraction &x, std::string_view what);

}  // namespace dlpd::filetype

#endif
