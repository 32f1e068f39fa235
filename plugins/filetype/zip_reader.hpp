// Reading zip archives from memory, for containers and for the Office
// formats built on zip (OOXML, ODF).
//
// Why not Poco::Zip's reader (DESIGN.md names it): it walks local headers
// front to back, trusts their sizes, asserts on hostile headers, and
// allocates what a header declares; libFuzzer made it request a 400 PB buffer
// (ZipArchiveInfo64::parse) from a 123-byte input within a minute (kept as
// tests/filetype/fuzz/regressions/zip_office/poco-zip64-eocd-alloc). This reader
// trusts nothing: the central directory is located from the end and
// bounds-checked field by field, members are counted against a limit before
// anything is read, and every member is decompressed through
// inflate_stream() under the size, ratio and time limits. Poco::Zip writes
// the test corpus (tests/filetype), so the two are checked against each
// other.
#ifndef DLPD_FILETYPE_ZIP_READER_HPP
#define DLPD_FILETYPE_ZIP_READER_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "inflate.hpp"

namespace dlpd::filetype {

struct ZipMember {
    std::string name;  // path inside the archive, as UTF-8
    uint16_t flags = 0;
    uint16_t method = 0;
    uint32_t crc = 0;
    uint64_t compressed_size = 0;
    uint64_t size = 0;  // declared uncompressed size: a claim, not a fact
    uint64_t local_header_offset = 0;

    // Traditional (ZipCrypto) or strong encryption, or WinZip AES.
    bool encrypted() const { return (flags & 0x0041) != 0 || method == 99; }
    bool is_directory() const { return !name.empty() && name.back() == '/'; }
};

struct ZipDirectory {
    std::vector<ZipMember> members;  // in central-directory order, at most max_members
    uint64_t declared_count = 0;     // how many members the archive says it has
    uint64_t offset_shift = 0;       // bytes before the archive proper (self-extractors)
};

// Reads the central directory of archive. Returns empty on success, else why
// it cannot be read; members read before a problem are kept in out.
std::string read_zip_directory(std::string_view archive, uint64_t max_members, ZipDirectory &out);

enum class MemberStatus {
    ok,
    truncated,     // data cut short: what was read is in data
    corrupt,       // invalid compressed data: what was read is in data
    crc_mismatch,  // complete, but the checksum differs: data is as read
    bad_header,    // no local header where the directory says
    encrypted,
    unsupported_method,
    output_limit,
    ratio_limit,
    deadline,
};

struct MemberData {
    MemberStatus status = MemberStatus::ok;
    std::string detail;  // for people: what went wrong

    // The content read: a view into the archive for stored members, the
    // inflated bytes otherwise.
    std::string_view data() const { return inflated ? std::string_view(storage) : stored; }

    std::string_view stored;
    std::string storage;
    bool inflated = false;
};

// Reads one member's content under the limits. Never throws on bad input.
MemberData read_zip_member(std::string_view archive, const ZipDirectory &dir, const ZipMember &member,
                           const InflateLimits &limits);

// "deflate64", "bzip2", "LZMA", ... for a diagnostic.
std::string compression_method_name(uint16_t method);

}  // namespace dlpd::filetype

#endif
