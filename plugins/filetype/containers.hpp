// Containers: zip, gzip and tar hand their members back to the host as
// nested blobs (the host runs the extractors on each and names findings
// outer.zip!dir/member). Every member counts against the limits of the
// extraction; a member that hits one is reported and skipped, the others go
// on.
#ifndef DLPD_FILETYPE_CONTAINERS_HPP
#define DLPD_FILETYPE_CONTAINERS_HPP

#include <string_view>

#include "extraction.hpp"
#include "zip_reader.hpp"

namespace dlpd::filetype {

// The archive at hand: zip members, or the Office document it turns out to
// be. expected_office: the name or declared type says it is an Office
// document (a plain zip is then reported as a disguise).
void extract_zip(Extraction &x, std::string_view archive, bool expected_office);
void extract_gzip(Extraction &x, std::string_view data);
void extract_tar(Extraction &x, std::string_view data);

// Reads a zip member within the extraction's limits and charges what it
// produced. Problems are reported naming the member. Returns true when
// there is content to use (possibly partial, after a corruption report).
bool read_member_checked(Extraction &x, std::string_view archive, const ZipDirectory &dir, const ZipMember &member,
                         MemberData &out);

// False (after reporting it) when the member's declared size does not fit in
// what is left of the budget: that member is skipped, the others go on.
bool fits_budget(Extraction &x, const ZipMember &member);

// False (after reporting it) when containers at this depth must not be
// opened: the plugin's max_depth.
bool may_open_container(Extraction &x, std::string_view what);

}  // namespace dlpd::filetype

#endif
