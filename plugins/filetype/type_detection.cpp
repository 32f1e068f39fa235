#include "type_detection.hpp"

#include <array>
#include <stdexcept>

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

// A zip whatever libmagic calls it: "Microsoft OOXML" without a MIME type
// when the entries are reordered, a self-extractor's executable stub, data
// prepended. Its end-of-central-directory record is within the last 64 KiB;
// the archive itself then tells what it is (containers.cpp).
bool has_zip_end_record(std::string_view data) {
    if (data.size() < 22) return false;
    const size_t floor = data.size() > 65557 ? data.size() - 65557 : 0;
    for (size_t at = data.size() - 22 + 1; at-- > floor;)
        if (data.compare(at, 4, "PK\x05\x06") == 0) return true;
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
    }
    return out;
}

}  // namespace dlpd::filetype
