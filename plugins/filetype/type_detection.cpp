#include "type_detection.hpp"

#include <array>
#include <cstdint>
#include <stdexcept>

#include "text_decoding.hpp"

namespace dlpd::filetype {

namespace {

// What libmagic looks at: the start of a blob is enough for every type we
// read (zip-based formats are told apart after opening the archive).
constexpr size_t kMagicBytes = size_t{1} << 20;

// MIME type and charset, without decompressing anything (we do that
// ourselves, within our limits).
constexpr int kMagicFlags = MAGIC_MIME_TYPE | MAGIC_MIME_ENCODING | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR;

magic_t open_handle() {
    magic_t m = magic_open(kMagicFlags);
    if (m == nullptr) throw std::runtime_error("libmagic: magic_open failed");
    if (magic_load(m, nullptr) != 0) {
        std::string why = magic_error(m) != nullptr ? magic_error(m) : "unknown error";
        magic_close(m);
        throw std::runtime_error("libmagic: cannot load the magic database: " + why);
    }
    size_t bytes = kMagicBytes;
    magic_setparam(m, MAGIC_PARAM_BYTES_MAX, &bytes);
    return m;
}

bool is_text_charset(std::string_view charset) {
    static constexpr std::array<std::string_view, 8> kText = {"us-ascii", "utf-8",    "iso-8859-1", "unknown-8bit",
                                                              "utf-16le", "utf-16be", "utf-7",      "ebcdic"};
    for (auto c : kText)
        if (charset == c) return true;
    return false;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// An HTML root in the first kilobytes: XHTML that libmagic calls XML
// (<?xml ...?><!DOCTYPE html ...><html xmlns=...>), or HTML it calls
// binary for the NULs it is padded with.
bool has_html_root(std::string_view data) {
    std::string head;
    for (const char c : data.substr(0, 4096))
        if (c != '\0') head.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    return head.find("<html") != std::string::npos || head.find("<!doctype html") != std::string::npos;
}

// A zip whatever libmagic calls it: "Microsoft OOXML" without a MIME type
// when the entries are reordered, a self-extractor's executable stub, data
// prepended. Its end-of-central-directory record is within the last 64 KiB;
// the archive itself then tells what it is (containers.cpp).
// The record must also point back at a central directory just before it
// (its size, counted back from the record, lands on a "PK\1\2" header):
// the four bytes alone at the end of a text would otherwise hide the text
// as a zip that does not open.
bool has_zip_end_record(std::string_view data) {
    if (data.size() < 22) return false;
    auto u32 = [&](size_t at) {
        return static_cast<uint32_t>(static_cast<unsigned char>(data[at])) |
               static_cast<uint32_t>(static_cast<unsigned char>(data[at + 1])) << 8 |
               static_cast<uint32_t>(static_cast<unsigned char>(data[at + 2])) << 16 |
               static_cast<uint32_t>(static_cast<unsigned char>(data[at + 3])) << 24;
    };
    const size_t floor = data.size() > 65557 ? data.size() - 65557 : 0;
    for (size_t at = data.size() - 22 + 1; at-- > floor;) {
        if (data.compare(at, 4, "PK\x05\x06") != 0) continue;
        const uint32_t directory_size = u32(at + 12);
        // Zip64: the sizes are in the zip64 record, whose locator comes just before.
        if (directory_size == 0xFFFFFFFFu && at >= 20 && data.compare(at - 20, 4, "PK\x06\x07") == 0) return true;
        if (directory_size >= 46 && directory_size <= at && data.compare(at - directory_size, 4, "PK\x01\x02") == 0)
            return true;
    }
    return false;
}

}  // namespace

Format format_for(std::string_view mime, std::string_view charset) {
    if (mime == "inode/x-empty") return Format::empty;
    if (mime == "application/pdf") return Format::pdf;
    if (mime == "application/zip" || mime == "application/x-zip-compressed" || mime == "application/epub+zip" ||
        mime == "application/java-archive" || mime == "application/vnd.android.package-archive" ||
        starts_with(mime, "application/vnd.openxmlformats-officedocument.") ||
        starts_with(mime, "application/vnd.oasis.opendocument."))
        return Format::zip;
    if (mime == "application/gzip" || mime == "application/x-gzip") return Format::gzip;
    if (mime == "application/x-tar" || mime == "application/x-gtar" || mime == "application/x-ustar")
        return Format::tar;
    if (mime == "application/x-bzip2" || mime == "application/x-xz" || mime == "application/zstd" ||
        mime == "application/x-lzma" || mime == "application/x-compress" || mime == "application/x-lzip")
        return Format::compressed;
    if (mime == "application/x-7z-compressed" || mime == "application/x-rar" || mime == "application/vnd.rar" ||
        mime == "application/x-cpio" || mime == "application/x-iso9660-image" || mime == "application/x-archive")
        return Format::archive;
    if (mime == "text/html" || mime == "application/xhtml+xml") return Format::html;
    if (mime == "text/rtf" || mime == "application/rtf") return Format::rtf;
    if (mime == "message/rfc822") return Format::email;
    if (mime == "application/encrypted") return Format::encrypted;
    if (is_text_charset(charset)) return Format::text;
    return Format::binary;
}

MagicPool::MagicPool() {
    idle_.push_back(open_handle());
}

MagicPool::~MagicPool() {
    for (magic_t m : idle_) magic_close(m);
}

magic_t MagicPool::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            magic_t m = idle_.back();
            idle_.pop_back();
            return m;
        }
    }
    return open_handle();  // outside the lock: loading takes a moment
}

void MagicPool::release(magic_t m) {
    std::lock_guard lock(mutex_);
    idle_.push_back(m);
}

DetectedType MagicPool::detect(std::string_view data) {
    DetectedType out;
    if (data.empty()) {
        out.mime = "inode/x-empty";
        out.charset = "binary";
        out.format = Format::empty;
        return out;
    }
    magic_t m = acquire();
    const char *answer = magic_buffer(m, data.data(), data.size());
    std::string result = answer != nullptr ? answer : "";
    release(m);
    // "application/pdf; charset=binary"
    const size_t semi = result.find(';');
    out.mime = result.substr(0, semi);
    if (semi != std::string::npos) {
        const size_t eq = result.find("charset=", semi);
        if (eq != std::string::npos) out.charset = result.substr(eq + 8);
    }
    if (out.mime.empty()) out.mime = "application/octet-stream";
    if (out.charset.empty()) out.charset = "binary";
    out.format = format_for(out.mime, out.charset);
    if ((out.format == Format::binary || out.format == Format::text) && has_zip_end_record(data)) {
        out.mime = "application/zip";
        out.format = Format::zip;
    } else if ((out.mime == "text/xml" || out.mime == "application/xml") && has_html_root(data)) {
        out.mime = "application/xhtml+xml";
        out.format = Format::html;
    } else if (out.format == Format::binary &&
               (out.mime == "application/octet-stream" || starts_with(out.mime, "text/"))) {
        // libmagic calls binary what has NULs: UTF-16/32 without a BOM, text
        // padded with NULs. Text all the same when sniff_text_charset says so.
        std::string charset = sniff_text_charset(data);
        if (!charset.empty()) {
            out.charset = std::move(charset);
            out.format = has_html_root(data) ? Format::html : Format::text;
            if (out.mime == "application/octet-stream") out.mime = out.format == Format::html ? "text/html" : "text/plain";
        }
    }
    return out;
}

}  // namespace dlpd::filetype
