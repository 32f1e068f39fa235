#include "containers.hpp"

#include <algorithm>
#include <string>

#include "office_package.hpp"
#include "text_builder.hpp"
#include "text_decoding.hpp"

namespace dlpd::filetype {

namespace {

constexpr size_t kTarBlock = 512;
// The longest member name we accept from a GNU long-name or pax record.
constexpr size_t kMaxMemberName = 4096;

InflateLimits inflate_limits(Extraction &x) {
    InflateLimits l;
    l.max_output = x.budget_left();
    l.max_ratio = x.limits().max_compression_ratio;
    l.ratio_floor = Limits::ratio_floor_bytes;
    l.expired = [&x] { return x.expired(); };
    return l;
}

void report_ratio(Extraction &x, std::string_view subject) {
    x.limit(subject, "expands more than max_compression_ratio (" + std::to_string(x.limits().max_compression_ratio) +
                         ") times its compressed size: a possible decompression bomb; not scanned");
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The last path component of a host item name ("a.zip!dir/b.gz" -> "b.gz").
std::string_view base_name(std::string_view name) {
    const size_t cut = name.find_last_of("/!\\");
    return cut == std::string_view::npos ? name : name.substr(cut + 1);
}

std::string sanitize_name(std::string_view raw) {
    if (is_valid_utf8(raw)) return std::string(raw);
    TextBuilder b(raw.size() * 3);
    decode_to_utf8(raw, Encoding::windows1252, b);
    return b.take();
}

uint64_t tar_number(std::string_view field) {
    // GNU base-256 for large values: first byte has its high bit set.
    if (!field.empty() && (static_cast<unsigned char>(field[0]) & 0x80) != 0) {
        uint64_t v = static_cast<unsigned char>(field[0]) & 0x7F;
        for (size_t i = 1; i < field.size(); ++i) {
            if (v > (UINT64_MAX >> 8)) return UINT64_MAX;
            v = v << 8 | static_cast<unsigned char>(field[i]);
        }
        return v;
    }
    uint64_t v = 0;
    size_t i = 0;
    while (i < field.size() && (field[i] == ' ' || field[i] == '\0')) ++i;
    for (; i < field.size() && field[i] >= '0' && field[i] <= '7'; ++i) {
        if (v > (UINT64_MAX >> 3)) return UINT64_MAX;
        v = v << 3 | static_cast<uint64_t>(field[i] - '0');
    }
    return v;
}

std::string_view c_string(std::string_view field) {
    return field.substr(0, field.find('\0'));
}

bool tar_checksum_ok(std::string_view header) {
    uint64_t sum = 0;
    for (size_t i = 0; i < kTarBlock; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
    return sum == tar_number(header.substr(148, 8));
}

// "path" from a pax extended header ("LEN key=value\n" records).
std::string pax_path(std::string_view records) {
    std::string path;
    size_t at = 0;
    while (at < records.size()) {
        size_t sp = records.find(' ', at);
        if (sp == std::string_view::npos) break;
        uint64_t len = 0;
        for (size_t i = at; i < sp; ++i) {
            if (records[i] < '0' || records[i] > '9' || len > records.size()) return path;
            len = len * 10 + static_cast<uint64_t>(records[i] - '0');
        }
        if (len == 0 || len > records.size() - at || sp - at + 1 > len) break;
        std::string_view record = records.substr(at, static_cast<size_t>(len));
        record = record.substr(sp - at + 1);
        if (!record.empty() && record.back() == '\n') record.remove_suffix(1);
        if (record.substr(0, 5) == "path=") path = std::string(record.substr(5, kMaxMemberName));
        at += static_cast<size_t>(len);
    }
    return path;
}

}  // namespace

bool fits_budget(Extraction &x, const ZipMember &member) {
    if (member.size <= x.budget_left()) return true;
    // An honest size is skipped without inflating anything; a member that
    // lies about its size is stopped by inflate_stream at the budget.
    x.limit(member.name, "its " + std::to_string(member.size) +
                             " bytes would exceed what is left of max_extracted_mb (" +
                             std::to_string(x.limits().max_extracted_bytes >> 20) + "); not scanned");
    return false;
}

bool may_open_container(Extraction &x, std::string_view what) {
    if (x.depth() < x.limits().max_depth) return true;
    x.limit({}, std::string(what) + " at nesting depth " + std::to_string(x.depth()) +
                    ": its members would be deeper than max_depth (" + std::to_string(x.limits().max_depth) +
                    "); not opened");
    return false;
}

bool read_member_checked(Extraction &x, std::string_view archive, const ZipDirectory &dir, const ZipMember &member,
                         MemberData &out) {
    out = read_zip_member(archive, dir, member, inflate_limits(x));
    const std::string_view data = out.data();
    switch (out.status) {
        case MemberStatus::ok:
            return x.charge(data.size(), member.name);
        case MemberStatus::truncated:
        case MemberStatus::corrupt:
        case MemberStatus::crc_mismatch:
            x.corrupt(member.name, out.detail + (data.empty() ? "" : "; what could be read is scanned"));
            return !data.empty() && x.charge(data.size(), member.name);
        case MemberStatus::bad_header:
            x.corrupt(member.name, out.detail + "; not scanned");
            return false;
        case MemberStatus::encrypted:
            x.encrypted(member.name, out.detail + "; not scanned");
            return false;
        case MemberStatus::unsupported_method:
            x.unreadable(member.name, out.detail + "; not scanned");
            return false;
        case MemberStatus::output_limit:
            x.budget_exhausted(member.name);
            return false;
        case MemberStatus::ratio_limit:
            report_ratio(x, member.name);
            return false;
        case MemberStatus::deadline:
            x.expired();
            return false;
    }
    return false;
}

void extract_zip(Extraction &x, std::string_view archive, bool expected_office) {
    ZipDirectory dir;
    const std::string problem = read_zip_directory(archive, x.limits().max_members, dir);
    if (!problem.empty() && dir.members.empty()) {
        x.corrupt({}, "zip archive cannot be read: " + problem);
        return;
    }
    if (!problem.empty()) x.corrupt({}, "zip archive: " + problem + "; the members before it are scanned");
    if (extract_office_document(x, archive, dir)) return;
    if (expected_office)
        x.mismatch({},
                  "named or declared as an Office document, but it is a plain zip archive (no "
                  "[Content_Types].xml or ODF mimetype); its members are scanned as an archive");
    if (!may_open_container(x, "zip archive")) return;
    if (dir.declared_count > dir.members.size() && problem.empty())
        x.limit({}, "the archive has " + std::to_string(dir.declared_count) + " members; only the first " +
                        std::to_string(dir.members.size()) + " (max_members) are scanned");
    for (const ZipMember &member : dir.members) {
        if (x.stopped() || x.expired()) return;
        if (member.is_directory()) continue;
        if (!fits_budget(x, member)) continue;
        MemberData data;
        if (!read_member_checked(x, archive, dir, member, data)) continue;
        if (!x.emit_blob(data.data(), member.name)) return;
    }
}

void extract_gzip(Extraction &x, std::string_view data) {
    if (!may_open_container(x, "gzip stream")) return;
    std::string out;
    GzipHeader header;
    size_t at = 0;
    bool first = true;
    // A gzip file may hold several members back to back; they form one stream.
    while (at < data.size()) {
        InflateLimits limits = inflate_limits(x);
        limits.max_output = x.budget_left() - std::min<uint64_t>(x.budget_left(), out.size());
        GzipHeader member_header;
        const InflateResult r = inflate_stream(data.substr(at), Framing::gzip, limits, out, &member_header);
        if (first) header = member_header;
        first = false;
        if (r.end == InflateEnd::output_limit) {
            x.budget_exhausted({});
            return;
        }
        if (r.end == InflateEnd::ratio_limit) {
            report_ratio(x, {});
            return;
        }
        if (r.end == InflateEnd::deadline) return;
        if (r.end != InflateEnd::complete) {
            x.corrupt({}, std::string("gzip: ") + describe(r.end) + (r.message.empty() ? "" : " (" + r.message + ")") +
                              (out.empty() ? "" : "; what could be read is scanned"));
            break;
        }
        at += static_cast<size_t>(r.consumed);
        if (r.consumed == 0 || data.substr(at, 2) != "\x1f\x8b") break;
    }
    if (out.empty() || !x.charge(out.size(), {})) return;
    // The member's name: the one stored in the header, else ours without .gz.
    std::string name = sanitize_name(base_name(header.name));
    if (name.empty()) {
        std::string_view own = base_name(x.name());
        if (ends_with(own, ".tgz")) {
            name = std::string(own.substr(0, own.size() - 4)) + ".tar";
        } else if (ends_with(own, ".gz")) {
            name = std::string(own.substr(0, own.size() - 3));
        }
        if (name.empty()) name = "data";
    }
    x.emit_blob(out, name);
}

void extract_tar(Extraction &x, std::string_view data) {
    if (!may_open_container(x, "tar archive")) return;
    std::string long_name;  // from a GNU 'L' or pax 'x' record, for the next member
    uint64_t members = 0;
    size_t at = 0;
    while (at + kTarBlock <= data.size()) {
        if (x.stopped() || x.expired()) return;
        const std::string_view header = data.substr(at, kTarBlock);
        if (header.find_first_not_of('\0') == std::string_view::npos) return;  // end of archive
        if (!tar_checksum_ok(header)) {
            x.corrupt({}, "tar: damaged header at byte " + std::to_string(at) + "; the rest is not scanned");
            return;
        }
        const uint64_t size = tar_number(header.substr(124, 12));
        const char type = header[156];
        const size_t body = at + kTarBlock;
        const uint64_t available = std::min<uint64_t>(size, data.size() - body);
        const std::string_view content = data.substr(body, static_cast<size_t>(available));
        std::string name;
        if (!long_name.empty()) {
            name = std::move(long_name);
            long_name.clear();
        } else {
            name = std::string(c_string(header.substr(0, 100)));
            if (header.substr(257, 5) == "ustar") {
                const std::string_view prefix = c_string(header.substr(345, 155));
                if (!prefix.empty()) name = std::string(prefix) + "/" + name;
            }
        }
        if (type == 'L') {
            long_name = std::string(c_string(content.substr(0, kMaxMemberName)));
        } else if (type == 'x') {
            long_name = pax_path(content);
        } else if (type == '0' || type == '\0' || type == '7') {
            if (++members > x.limits().max_members) {
                x.limit({}, "the archive has more than max_members (" + std::to_string(x.limits().max_members) +
                                ") members; the rest are not scanned");
                return;
            }
            name = sanitize_name(name);
            if (available < size) {
                x.corrupt(name, "tar: the archive ends inside this member; what could be read is scanned");
            }
            if (!x.charge(content.size(), name)) return;
            if (!x.emit_blob(content, name)) return;
        }
        // Directories, links, devices and global pax records carry no content to scan.
        if (available < size) return;
        const uint64_t padded = (size + kTarBlock - 1) / kTarBlock * kTarBlock;
        if (padded > data.size() - body) return;
        at = body + static_cast<size_t>(padded);
    }
    if (at < data.size() && members == 0 && at == 0) x.corrupt({}, "tar: too short to hold a header");
}

}  // namespace dlpd::filetype
