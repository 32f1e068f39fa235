#include "zip_reader.hpp"

#include <zlib.h>

#include <algorithm>

#include "text_builder.hpp"
#include "text_decoding.hpp"

namespace dlpd::filetype {

namespace {

constexpr uint32_t kEocdSignature = 0x06054b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr uint32_t kZip64EocdSignature = 0x06064b50;
constexpr uint32_t kCentralSignature = 0x02014b50;
constexpr uint32_t kLocalSignature = 0x04034b50;
constexpr size_t kEocdSize = 22;
constexpr size_t kZip64LocatorSize = 20;
constexpr size_t kZip64EocdSize = 56;
constexpr size_t kCentralSize = 46;
constexpr size_t kLocalSize = 30;
constexpr size_t kMaxComment = 0xFFFF;

// Little-endian reads, bounds-checked by the caller.
uint16_t u16(std::string_view s, size_t at) {
    return static_cast<uint16_t>(static_cast<unsigned char>(s[at]) | static_cast<unsigned char>(s[at + 1]) << 8);
}
uint32_t u32(std::string_view s, size_t at) {
    return u16(s, at) | static_cast<uint32_t>(u16(s, at + 2)) << 16;
}
uint64_t u64(std::string_view s, size_t at) {
    return u32(s, at) | static_cast<uint64_t>(u32(s, at + 4)) << 32;
}

bool fits(std::string_view s, uint64_t at, uint64_t n) {
    return at <= s.size() && n <= s.size() - at;
}

std::string utf8_name(std::string_view raw) {
    if (is_valid_utf8(raw)) return std::string(raw);
    TextBuilder b(raw.size() * 3);
    decode_to_utf8(raw, Encoding::windows1252, b);
    return b.take();
}

// Applies the zip64 extended-information extra field to the fields the
// central directory saturated.
void apply_zip64_extra(std::string_view extra, ZipMember &m, bool size_sat, bool csize_sat, bool offset_sat) {
    size_t at = 0;
    while (at + 4 <= extra.size()) {
        const uint16_t id = u16(extra, at);
        const uint16_t len = u16(extra, at + 2);
        at += 4;
        if (len > extra.size() - at) return;
        if (id == 0x0001) {
            std::string_view field = extra.substr(at, len);
            size_t f = 0;
            if (size_sat && f + 8 <= field.size()) m.size = u64(field, f), f += 8;
            if (csize_sat && f + 8 <= field.size()) m.compressed_size = u64(field, f), f += 8;
            if (offset_sat && f + 8 <= field.size()) m.local_header_offset = u64(field, f), f += 8;
            return;
        }
        at += len;
    }
}

}  // namespace

std::string compression_method_name(uint16_t method) {
    switch (method) {
        case 0:
            return "stored";
        case 8:
            return "deflate";
        case 9:
            return "deflate64";
        case 12:
            return "bzip2";
        case 14:
            return "LZMA";
        case 93:
            return "zstd";
        case 95:
            return "xz";
        case 98:
            return "PPMd";
        case 99:
            return "AES encryption";
        default:
            return "method " + std::to_string(method);
    }
}

std::string read_zip_directory(std::string_view archive, uint64_t max_members, ZipDirectory &out) {
    out = ZipDirectory{};
    if (archive.size() < kEocdSize) return "too short to be a zip archive";

    // The end-of-central-directory record: the last one whose comment fits.
    size_t eocd = std::string_view::npos;
    const size_t last = archive.size() - kEocdSize;
    const size_t first = last > kMaxComment ? last - kMaxComment : 0;
    for (size_t at = last + 1; at-- > first;) {
        if (u32(archive, at) == kEocdSignature && at + kEocdSize + u16(archive, at + 20) <= archive.size()) {
            eocd = at;
            break;
        }
    }
    if (eocd == std::string_view::npos) return "no end-of-central-directory record (truncated, or not a zip archive)";

    uint64_t count = u16(archive, eocd + 10);
    uint64_t cd_size = u32(archive, eocd + 12);
    uint64_t cd_offset = u32(archive, eocd + 16);
    uint64_t cd_end = eocd;  // where the central directory should end

    // Zip64: a locator right before the record points to the zip64 record.
    if (eocd >= kZip64LocatorSize && u32(archive, eocd - kZip64LocatorSize) == kZip64LocatorSignature) {
        const uint64_t z64 = u64(archive, eocd - kZip64LocatorSize + 8);
        // The zip64 record normally sits right before the locator; its
        // stated offset may be shifted by prepended data.
        uint64_t at = eocd - kZip64LocatorSize >= kZip64EocdSize ? eocd - kZip64LocatorSize - kZip64EocdSize : 0;
        if (fits(archive, z64, kZip64EocdSize) && u32(archive, static_cast<size_t>(z64)) == kZip64EocdSignature)
            at = z64;
        if (fits(archive, at, kZip64EocdSize) && u32(archive, static_cast<size_t>(at)) == kZip64EocdSignature) {
            const size_t r = static_cast<size_t>(at);
            if (count == 0xFFFF) count = u64(archive, r + 32);
            if (cd_size == 0xFFFFFFFF) cd_size = u64(archive, r + 40);
            if (cd_offset == 0xFFFFFFFF) cd_offset = u64(archive, r + 48);
            cd_end = at;
        }
    }
    out.declared_count = count;
    if (cd_size > cd_end || cd_offset > cd_end - cd_size) return "the central directory lies outside the archive";
    out.offset_shift = cd_end - cd_size - cd_offset;
    const std::string_view cd =
        archive.substr(static_cast<size_t>(cd_offset + out.offset_shift), static_cast<size_t>(cd_size));

    const uint64_t wanted = std::min(count, max_members);
    out.members.reserve(static_cast<size_t>(std::min<uint64_t>(wanted, cd.size() / kCentralSize)));
    size_t at = 0;
    while (out.members.size() < wanted) {
        if (!fits(cd, at, kCentralSize) || u32(cd, at) != kCentralSignature)
            return "the central directory is damaged after " + std::to_string(out.members.size()) + " of " +
                   std::to_string(count) + " members";
        const size_t name_len = u16(cd, at + 28);
        const size_t extra_len = u16(cd, at + 30);
        const size_t comment_len = u16(cd, at + 32);
        if (!fits(cd, at + kCentralSize, name_len + extra_len + comment_len))
            return "the central directory is damaged after " + std::to_string(out.members.size()) + " of " +
                   std::to_string(count) + " members";
        ZipMember m;
        m.flags = u16(cd, at + 8);
        m.method = u16(cd, at + 10);
        m.crc = u32(cd, at + 16);
        m.compressed_size = u32(cd, at + 20);
        m.size = u32(cd, at + 24);
        m.local_header_offset = u32(cd, at + 42);
        m.name = utf8_name(cd.substr(at + kCentralSize, name_len));
        apply_zip64_extra(cd.substr(at + kCentralSize + name_len, extra_len), m, m.size == 0xFFFFFFFF,
                          m.compressed_size == 0xFFFFFFFF, m.local_header_offset == 0xFFFFFFFF);
        out.members.push_back(std::move(m));
        at += kCentralSize + name_len + extra_len + comment_len;
    }
    return {};
}

MemberData read_zip_member(std::string_view archive, const ZipDirectory &dir, const ZipMember &member,
                           const InflateLimits &limits) {
    MemberData out;
    if (member.encrypted()) {
        out.status = MemberStatus::encrypted;
        out.detail = "encrypted (password-protected)";
        return out;
    }
    if (member.method != 0 && member.method != 8) {
        out.status = MemberStatus::unsupported_method;
        out.detail = "compressed with " + compression_method_name(member.method) + ", which is not supported";
        return out;
    }
    const uint64_t header = member.local_header_offset + dir.offset_shift;
    if (header < member.local_header_offset || !fits(archive, header, kLocalSize) ||
        u32(archive, static_cast<size_t>(header)) != kLocalSignature) {
        out.status = MemberStatus::bad_header;
        out.detail = "no local header where the central directory says";
        return out;
    }
    const size_t h = static_cast<size_t>(header);
    const uint64_t data_start = header + kLocalSize + u16(archive, h + 26) + u16(archive, h + 28);
    if (data_start > archive.size()) {
        out.status = MemberStatus::truncated;
        out.detail = "the archive ends inside this member's header";
        return out;
    }
    const uint64_t available = std::min<uint64_t>(member.compressed_size, archive.size() - data_start);
    const std::string_view compressed = archive.substr(static_cast<size_t>(data_start), static_cast<size_t>(available));

    if (member.method == 0) {
        if (compressed.size() > limits.max_output) {
            out.status = MemberStatus::output_limit;
            return out;
        }
        out.stored = compressed;
        if (available < member.compressed_size) {
            out.status = MemberStatus::truncated;
            out.detail = "the archive ends inside this member";
            return out;
        }
    } else {
        const InflateResult r = inflate_stream(compressed, Framing::raw, limits, out.storage);
        out.inflated = true;
        switch (r.end) {
            case InflateEnd::complete:
                break;
            case InflateEnd::input_ended:
                out.status = MemberStatus::truncated;
                out.detail = describe(r.end);
                return out;
            case InflateEnd::corrupt:
                out.status = MemberStatus::corrupt;
                out.detail = std::string(describe(r.end)) + (r.message.empty() ? "" : " (" + r.message + ")");
                return out;
            case InflateEnd::output_limit:
                out.status = MemberStatus::output_limit;
                return out;
            case InflateEnd::ratio_limit:
                out.status = MemberStatus::ratio_limit;
                return out;
            case InflateEnd::deadline:
                out.status = MemberStatus::deadline;
                return out;
        }
    }
    const std::string_view data = out.data();
    if (crc32_z(0, reinterpret_cast<const Bytef *>(data.data()), data.size()) != member.crc) {
        out.status = MemberStatus::crc_mismatch;
        out.detail = "checksum mismatch: the member is damaged";
    }
    return out;
}

}  // namespace dlpd::filetype
