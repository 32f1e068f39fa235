// What a blob is, decided by its content through libmagic: a MIME type, a
// charset, and the reader that handles it. The file name and the declared
// type are hints only (used to warn about disguised files, never to choose
// the reader).
#ifndef DLPD_FILETYPE_TYPE_DETECTION_HPP
#define DLPD_FILETYPE_TYPE_DETECTION_HPP

#include <magic.h>

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace dlpd::filetype {

// The reader for a blob.
enum class Format {
    empty,
    text,  // plain text, CSV/TSV, JSON, XML, logs, source code: any text charset
    html,
    rtf,
    email,  // message/rfc822
    pdf,
    zip,  // zip, and the formats built on it (OOXML, ODF, EPUB, JAR)
    gzip,
    tar,
    compressed,  // bzip2, xz, zstd, lzma, compress, lzip: one stream, like gzip
    archive,  // the other archives and compressed files libarchive reads (7z, RAR, xz, bzip2, cpio, ISO, ar, ...)
    encrypted,  // a password-protected Office document (CDFV2 Encrypted)
    binary,     // anything else: skipped, with its type named
};

struct DetectedType {
    std::string mime;     // "application/pdf"
    std::string charset;  // "binary", "utf-8", "us-ascii", "utf-16le", "unknown-8bit", ...
    Format format = Format::binary;
};

// The reader for a MIME type and charset as libmagic reports them.
Format format_for(std::string_view mime, std::string_view charset);

// libmagic handles, one per concurrent caller: a magic_t is never used by two
// threads at once. Handles are opened on demand and kept for reuse.
// [any-thread]
class MagicPool {
public:
    // Opens and loads one handle at once, so a missing magic database fails
    // here (std::runtime_error) rather than on the first blob.
    MagicPool();
    ~MagicPool();
    MagicPool(const MagicPool &) = delete;
    MagicPool &operator=(const MagicPool &) = delete;

    DetectedType detect(std::string_view data);

private:
    magic_t acquire();
    void release(magic_t m);

    std::mutex mutex_;           // guards idle_
    std::vector<magic_t> idle_;  // handles not in use
};

}  // namespace dlpd::filetype

#endif
