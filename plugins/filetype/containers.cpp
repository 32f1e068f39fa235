#include "containers.hpp"

#include <algorithm>
#include <memory>
#include <string>

#include "office_package.hpp"

namespace dlpd::filetype {

namespace {

void report_ratio(Extraction &x, std::string_view subject) {
    x.limit(subject, "expands more than max_compression_ratio (" + std::to_string(x.limits().max_compression_ratio) +
                         ") times its compressed size: a possible decompression bomb; not scanned");
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A compressed single file's member name: ours without the compression suffix.
std::string raw_member_name(std::string_view own) {
    own = base_name(own);
    if (ends_with(own, ".tgz")) return std::string(own.substr(0, own.size() - 4)) + ".tar";
    if (ends_with(own, ".tbz2") || ends_with(own, ".txz")) return std::string(own.substr(0, own.size() - 4)) + ".tar";
    for (std::string_view suffix : {".gz", ".bz2", ".xz", ".zst", ".lzma", ".z", ".Z"})
        if (ends_with(own, suffix) && own.size() > suffix.size())
            return std::string(own.substr(0, own.size() - suffix.size()));
    return "data";
}

void members_limit(Extraction &x, uint64_t declared, uint64_t read) {
    if (declared > read)
        x.limit({}, "the archive has " + std::to_string(declared) + " members; only the first " + std::to_string(read) +
                        " (max_members) are scanned");
    else
        x.limit({}, "the archive has more than max_members (" + std::to_string(x.limits().max_members) +
                        ") members; the rest are not scanned");
}

// Reads every member of an archive and hands it back. what: for the
// diagnostics ("zip archive", "gzip stream", ...). seekable: members can be
// found again in a fresh reader, so one damaged member (after which
// libarchive's reader is unusable) does not end the others.
void extract_members(Extraction &x, std::string_view data, MemoryArchive::Kind kind, std::string_view what,
                     int64_t declared) {
    const bool seekable = kind == MemoryArchive::Kind::zip;
    auto archive = std::make_unique<MemoryArchive>(data, kind);
    uint64_t members = 0;
    uint64_t resume_at = 0;  // index of the next member to read after reopening
    ZipMember member;
    for (;;) {
        if (!archive->next(member)) {
            if (x.stopped() || !archive->damaged()) return;
            if (members == 0)
                x.corrupt({}, std::string(what) + ": " + archive->error() + "; nothing could be read");
            else
                x.corrupt({}, std::string(what) + ": damaged after " + std::to_string(members) + " members (" +
                                  archive->error() + "); the members before it are scanned");
            return;
        }
        if (member.index < resume_at) continue;
        if (x.stopped() || x.expired()) return;
        if (member.is_directory()) continue;
        if (++members > x.limits().max_members) {
            members_limit(x, declared > 0 ? static_cast<uint64_t>(declared) : 0, members - 1);
            return;
        }
        // A compressed single file's diagnostics are about the blob itself.
        ZipMember subject = member;
        if (archive->is_raw()) {
            member.name = raw_member_name(x.name());
            subject.name.clear();
        }
        if (!fits_budget(x, subject)) continue;
        MemberData content = archive->read(read_limits(x));
        if (archive->is_raw() && !content.detail.empty()) content.detail = archive->filter_name() + ": " + content.detail;
        const bool damaged =
            content.status == MemberStatus::corrupt || content.status == MemberStatus::unsupported_method;
        const bool usable = check_member(x, subject, content);
        if (usable && !x.emit_blob(content.data(), member.name)) return;
        if (x.stopped()) return;
        if (damaged && seekable) {
            archive = std::make_unique<MemoryArchive>(data, kind);
            resume_at = member.index + 1;
        }
    }
}

}  // namespace

ReadLimits read_limits(Extraction &x) {
    ReadLimits l;
    l.max_output = x.budget_left();
    l.max_ratio = x.limits().max_compression_ratio;
    l.ratio_floor = Limits::ratio_floor_bytes;
    l.expired = [&x] { return x.expired(); };
    return l;
}

bool fits_budget(Extraction &x, const ZipMember &member) {
    if (member.size <= x.budget_left()) return true;
    // An honest size is skipped without decompressing anything; a member that
    // lies about its size is stopped by the reader at the budget.
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

bool check_member(Extraction &x, const ZipMember &member, MemberData &out) {
    const std::string_view data = out.data();
    switch (out.status) {
        case MemberStatus::ok:
            return x.charge(data.size(), member.name);
        case MemberStatus::corrupt:
            x.corrupt(member.name, out.detail + (data.empty() ? "; not scanned" : "; what could be read is scanned"));
            return !data.empty() && x.charge(data.size(), member.name);
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

void extract_zip(Extraction &x, std::string_view data, bool expected_office) {
    const int64_t declared = zip_declared_members(data);
    // More members than max_members: read front to back and stop at the
    // limit, rather than let the seekable reader load a huge central directory.
    const bool too_many = declared > 0 && static_cast<uint64_t>(declared) > x.limits().max_members;
    std::string problem = declared < 0 ? "no end-of-central-directory record" : "";
    if (!too_many && declared >= 0) {
        MemoryArchive probe(data, MemoryArchive::Kind::zip);
        if (probe.open_error().empty()) {
            if (extract_office_document(x, data)) return;
            if (expected_office)
                x.mismatch({},
                          "named or declared as an Office document, but it is a plain zip archive (no "
                          "[Content_Types].xml, ODF mimetype or manifest); its members are scanned as an archive");
            if (!may_open_container(x, "zip archive")) return;
            extract_members(x, data, MemoryArchive::Kind::zip, "zip archive", declared);
            return;
        }
        problem = "the central directory cannot be read (" + probe.open_error() + ")";
    }
    if (!may_open_container(x, "zip archive")) return;
    if (!problem.empty()) x.corrupt({}, "zip archive: " + problem + "; the members are read front to back");
    MemoryArchive streamed(data, MemoryArchive::Kind::zip_streamed);
    if (!streamed.open_error().empty()) {
        x.corrupt({}, "zip archive cannot be read: " + streamed.open_error());
        return;
    }
    extract_members(x, data, MemoryArchive::Kind::zip_streamed, "zip archive", declared);
}

void extract_compressed(Extraction &x, std::string_view data) {
    MemoryArchive stream(data, MemoryArchive::Kind::compressed);
    if (!stream.open_error().empty()) {
        x.corrupt({}, "compressed stream cannot be read: " + stream.open_error());
        return;
    }
    const std::string what = stream.filter_name().empty() ? "compressed stream" : stream.filter_name() + " stream";
    if (!may_open_container(x, what)) return;
    extract_members(x, data, MemoryArchive::Kind::compressed, what, -1);
}

void extract_archive(Extraction &x, std::string_view data) {
    MemoryArchive archive(data, MemoryArchive::Kind::any);
    if (!archive.open_error().empty()) {
        x.corrupt({}, "archive cannot be read: " + archive.open_error());
        return;
    }
    const std::string what = archive.filter_name().empty() ? "archive" : archive.filter_name() + " stream";
    if (!may_open_container(x, what)) return;
    extract_members(x, data, MemoryArchive::Kind::any, what, -1);
}

}  // namespace dlpd::filetype
