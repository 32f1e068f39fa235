#include "archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdio>

#include "text_builder.hpp"
#include "text_decoding.hpp"

namespace dlpd::filetype {

namespace {

// Input handed to libarchive per callback. The input a member has consumed
// is known to within a block when its ratio is checked, so a bomb at the
// ratio limit (250) is caught within about 250 blocks of output: 4 MiB at
// 16 KiB. 2 KiB blocks caught it near 1 MiB but made zips 20 to 40 % slower
// (filetype_bench, same run: ZIP 50 against 66 MB/s).
constexpr uint64_t kInputBlock = 16384;

la_ssize_t read_cb(struct archive *, void *self, const void **buffer) {
    return static_cast<MemoryArchive *>(self)->read_block(buffer);
}

la_int64_t seek_cb(struct archive *, void *self, la_int64_t offset, int whence) {
    return static_cast<MemoryArchive *>(self)->seek(offset, whence);
}

la_int64_t skip_cb(struct archive *, void *self, la_int64_t request) {
    return static_cast<MemoryArchive *>(self)->skip(request);
}

bool contains(std::string_view s, std::string_view what) {
    return s.find(what) != std::string_view::npos;
}

std::string utf8_name(std::string_view raw) {
    if (is_valid_utf8(raw)) return std::string(raw);
    TextBuilder b(raw.size() * 3);
    decode_to_utf8(raw, Encoding::windows1252, b);
    return b.take();
}

uint32_t le16(std::string_view s, size_t at) {
    return static_cast<unsigned char>(s[at]) | static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8;
}

}  // namespace

std::string_view base_name(std::string_view name) {
    const size_t cut = name.find_last_of("/!\\");
    return cut == std::string_view::npos ? name : name.substr(cut + 1);
}

int64_t zip_declared_members(std::string_view data) {
    if (data.size() < 22) return -1;
    const size_t floor = data.size() > 65557 ? data.size() - 65557 : 0;
    for (size_t at = data.size() - 22 + 1; at-- > floor;) {
        if (data.compare(at, 4, "PK\x05\x06") != 0) continue;
        const uint32_t total = le16(data, at + 10);
        if (total != 0xFFFF || at < 20 || data.compare(at - 20, 4, "PK\x06\x07") != 0) return total;
        // zip64: the count is in the zip64 end record, which the locator points at.
        uint64_t off = 0;
        for (int i = 7; i >= 0; --i) off = off << 8 | static_cast<unsigned char>(data[at - 20 + 8 + i]);
        if (off > data.size() || data.size() - off < 56 || data.compare(off, 4, "PK\x06\x06") != 0) return total;
        uint64_t n = 0;
        for (int i = 7; i >= 0; --i) n = n << 8 | static_cast<unsigned char>(data[off + 32 + i]);
        return static_cast<int64_t>(std::min<uint64_t>(n, INT64_MAX));
    }
    return -1;
}

MemoryArchive::MemoryArchive(std::string_view data, Kind kind) : data_(data) {
    a_ = archive_read_new();
    if (a_ == nullptr) {
        open_error_ = "libarchive: out of memory";
        return;
    }
    switch (kind) {
        case Kind::zip:
            archive_read_support_format_zip_seekable(a_);
            break;
        case Kind::zip_streamed:
            archive_read_support_format_zip_streamable(a_);
            break;
        case Kind::compressed:
            // Raw only: the decompressed stream goes back to the host, which
            // types it by content (a tar inside is read then). Letting the
            // archive formats bid would read ahead past the limits, and a tar
            // bidder takes a stream of zeros for an empty archive.
            archive_read_support_filter_all(a_);
            archive_read_support_format_raw(a_);
            break;
        case Kind::any:
            archive_read_support_filter_all(a_);
            archive_read_support_format_all(a_);
            break;
    }
    archive_read_set_callback_data(a_, this);
    archive_read_set_read_callback(a_, read_cb);
    archive_read_set_seek_callback(a_, seek_cb);
    archive_read_set_skip_callback(a_, skip_cb);
    if (archive_read_open1(a_) != ARCHIVE_OK) open_error_ = error();
}

MemoryArchive::~MemoryArchive() {
    if (a_ != nullptr) archive_read_free(a_);
}

int64_t MemoryArchive::read_block(const void **buffer) {
    const uint64_t n = std::min<uint64_t>(kInputBlock, data_.size() - at_);
    *buffer = data_.data() + at_;
    at_ += n;
    handed_out_ += n;
    return static_cast<int64_t>(n);
}

int64_t MemoryArchive::seek(int64_t offset, int whence) {
    int64_t base = 0;
    if (whence == SEEK_CUR) base = static_cast<int64_t>(at_);
    if (whence == SEEK_END) base = static_cast<int64_t>(data_.size());
    const int64_t to = base + offset;
    if (to < 0) return ARCHIVE_FATAL;
    at_ = std::min<uint64_t>(static_cast<uint64_t>(to), data_.size());
    return static_cast<int64_t>(at_);
}

int64_t MemoryArchive::skip(int64_t request) {
    if (request <= 0) return 0;
    const uint64_t n = std::min<uint64_t>(static_cast<uint64_t>(request), data_.size() - at_);
    at_ += n;
    return static_cast<int64_t>(n);
}

std::string MemoryArchive::error() const {
    const char *e = a_ != nullptr ? archive_error_string(a_) : nullptr;
    return e != nullptr ? e : "unknown libarchive error";
}

std::string MemoryArchive::format_name() const {
    const char *f = archive_format_name(a_);
    return f != nullptr ? f : "";
}

std::string MemoryArchive::filter_name() const {
    const char *f = archive_filter_count(a_) > 1 ? archive_filter_name(a_, 0) : nullptr;
    return f != nullptr ? f : "";
}

bool MemoryArchive::is_raw() const {
    return archive_format(a_) == ARCHIVE_FORMAT_RAW;
}

uint64_t MemoryArchive::filtered_bytes() const {
    return static_cast<uint64_t>(archive_filter_bytes(a_, 0));
}

bool MemoryArchive::next(ZipMember &member) {
    if (!open_error_.empty()) return false;
    const int r = archive_read_next_header(a_, &entry_);
    if (r == ARCHIVE_EOF) return false;
    // ARCHIVE_RETRY: a damaged header (tar's bad checksum); the rest is not trusted.
    if (r < ARCHIVE_OK && r != ARCHIVE_WARN) {
        damaged_ = true;
        return false;
    }
    const char *utf8 = archive_entry_pathname_utf8(entry_);
    const char *raw = archive_entry_pathname(entry_);
    member.name = utf8 != nullptr ? utf8_name(utf8) : raw != nullptr ? utf8_name(raw) : std::string();
    member.size = archive_entry_size_is_set(entry_) ? static_cast<uint64_t>(archive_entry_size(entry_)) : 0;
    member.directory = archive_entry_filetype(entry_) == AE_IFDIR;
    member.encrypted = archive_entry_is_encrypted(entry_) != 0;
    member.index = next_index_++;
    // Links, devices and fifos carry no content to scan.
    const auto type = archive_entry_filetype(entry_);
    if (type != AE_IFREG && type != AE_IFDIR && type != 0) member.directory = true;
    return true;
}

MemberData MemoryArchive::read(const ReadLimits &limits) {
    MemberData out;
    if (entry_ != nullptr && archive_entry_is_data_encrypted(entry_)) {
        out.status = MemberStatus::encrypted;
        out.detail = "encrypted (password-protected)";
        return out;
    }
    // Input consumed is counted from here, plus the block in hand.
    const uint64_t start = handed_out_ >= kInputBlock ? handed_out_ - kInputBlock : 0;
    std::string &data = out.storage;
    // archive_read_data_block, not archive_read_data: the latter drops what
    // one call decoded when it ends in an error (a bad CRC at the end of a
    // member), and what was read is still worth scanning. Blocks are
    // libarchive's own buffers, 256 KiB at most.
    for (;;) {
        if (limits.expired && limits.expired()) {
            out.status = MemberStatus::deadline;
            return out;
        }
        const void *block = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        const int r = archive_read_data_block(a_, &block, &size, &offset);
        if (r == ARCHIVE_EOF) return out;
        // ARCHIVE_WARN with a block: a bad CRC at the end; the block still counts.
        const la_ssize_t n = r < ARCHIVE_OK ? r : static_cast<la_ssize_t>(size);
        if (r == ARCHIVE_WARN && size > 0) data.append(static_cast<const char *>(block), size);
        if (n >= 0) {
            // A sparse file's hole is zeros, within the same limits.
            const uint64_t at = offset > 0 ? static_cast<uint64_t>(offset) : data.size();
            if (at > limits.max_output || size > limits.max_output - std::min<uint64_t>(at, limits.max_output)) {
                out.status = MemberStatus::output_limit;
                return out;
            }
            if (at > data.size()) data.resize(static_cast<size_t>(at), '\0');
            data.append(static_cast<const char *>(block), size);
        }
        if (n < 0) {
            const std::string why = error();
            if (contains(why, "Unsupported ZIP compression method") || contains(why, "nsupported compression") ||
                contains(why, "not supported")) {
                out.status = MemberStatus::unsupported_method;
                out.detail = "compressed with a method that cannot be read (" + why + ")";
            } else if (contains(why, "ncrypt") || contains(why, "assphrase")) {
                out.status = MemberStatus::encrypted;
                out.detail = "encrypted (password-protected)";
            } else if (contains(why, "CRC")) {
                out.status = MemberStatus::corrupt;
                out.detail = "checksum mismatch (" + why + ")";
            } else if (contains(why, "runcat") || contains(why, "remature")) {
                out.status = MemberStatus::corrupt;
                out.detail = "the compressed data ends early (" + why + ")";
            } else {
                out.status = MemberStatus::corrupt;
                out.detail = "the compressed data is invalid (" + why + ")";
            }
            return out;
        }
        const uint64_t consumed = handed_out_ - start;
        if (limits.max_ratio != 0 && data.size() > limits.ratio_floor && data.size() / limits.max_ratio > consumed) {
            out.status = MemberStatus::ratio_limit;
            return out;
        }
    }
}

}  // namespace dlpd::filetype
