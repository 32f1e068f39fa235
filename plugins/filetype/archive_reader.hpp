// Reading archives and compressed files from memory with libarchive: zip
// (deflate, deflate64, bzip2, LZMA, xz, zstd, stored; self-extractors), the
// compressed single files (gzip, bzip2, xz, zstd, lzma), tar, 7z, RAR, cpio,
// ISO 9660 and ar. Containers and the Office packages read through it.
//
// Nothing is read ahead of the limits: libarchive gets the input in small
// blocks (so the bytes consumed by a member are known to within a block) and
// hands back output 64 KiB at a time; size, ratio and deadline are checked
// between steps, so a bomb never gets further than the limit that catches it.
#ifndef DLPD_FILETYPE_ARCHIVE_READER_HPP
#define DLPD_FILETYPE_ARCHIVE_READER_HPP

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

struct archive;
struct archive_entry;

namespace dlpd::filetype {

struct ReadLimits {
    // Stop once the output would exceed this many bytes.
    uint64_t max_output = 0;
    // Stop once output > max_ratio * input consumed, after ratio_floor bytes
    // of output (0: no ratio check).
    uint64_t max_ratio = 0;
    uint64_t ratio_floor = 0;
    // Polled between steps; returns true when time is up.
    std::function<bool()> expired;
};

enum class MemberStatus {
    ok,
    corrupt,  // damaged (bad data, bad CRC, cut short): what was read is in data
    encrypted,
    unsupported_method,
    output_limit,
    ratio_limit,
    deadline,
};

struct MemberData {
    MemberStatus status = MemberStatus::ok;
    std::string detail;  // for people: what went wrong
    std::string storage;
    std::string_view data() const { return storage; }
};

// One member of an archive, as listed before its content is read.
struct ZipMember {
    std::string name;   // path inside the archive, as UTF-8
    uint64_t size = 0;  // declared uncompressed size: a claim, not a fact (0 when unknown)
    uint64_t index = 0; // position in the order the archive is read
    bool directory = false;
    bool encrypted = false;

    bool is_directory() const { return directory || (!name.empty() && name.back() == '/'); }
};

// One libarchive reader over a blob in memory.
class MemoryArchive {
public:
    enum class Kind {
        zip,           // the seekable zip reader (central directory, self-extractors)
        zip_streamed,  // zip read front to back by local headers
        compressed,    // a compressed single file (gzip, bzip2, xz, zstd, lzma, ...): one raw member
        any,           // every archive format libarchive has (tar, 7z, RAR, cpio, ISO 9660, ar, ...)
    };

    MemoryArchive(std::string_view data, Kind kind);
    ~MemoryArchive();
    MemoryArchive(const MemoryArchive &) = delete;
    MemoryArchive &operator=(const MemoryArchive &) = delete;

    // Empty on success, else why the archive cannot be opened.
    const std::string &open_error() const { return open_error_; }
    // The next member's header; false at the end or on damage (then error()
    // is not empty).
    bool next(ZipMember &member);
    // Reads the current member's content under the limits. Never throws.
    MemberData read(const ReadLimits &limits);
    // True when next() stopped on damage rather than at the end.
    bool damaged() const { return damaged_; }
    // libarchive's last error message.
    std::string error() const;
    // The format and the filter ("ZIP 2.0 (deflation)", "gzip").
    std::string format_name() const;
    std::string filter_name() const;
    // True when the only "format" is raw data (a compressed single file).
    bool is_raw() const;
    // The whole stream's ratio: bytes after the filters against bytes in.
    uint64_t filtered_bytes() const;
    uint64_t consumed() const { return handed_out_; }

    // libarchive's callbacks.
    int64_t read_block(const void **buffer);
    int64_t seek(int64_t offset, int whence);
    int64_t skip(int64_t request);

private:
    std::string_view data_;
    uint64_t at_ = 0;
    uint64_t handed_out_ = 0;
    struct archive *a_ = nullptr;
    struct archive_entry *entry_ = nullptr;
    std::string open_error_;
    uint64_t next_index_ = 0;
    bool damaged_ = false;
};

// The number of members the zip's end record declares, or -1 when there is
// no end record in the last 64 KiB.
int64_t zip_declared_members(std::string_view data);

// The last path component of a name ("a.zip!dir/b.gz" -> "b.gz").
std::string_view base_name(std::string_view name);

}  // namespace dlpd::filetype

#endif
