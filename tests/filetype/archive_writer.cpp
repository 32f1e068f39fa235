#include "archive_writer.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <stdexcept>

namespace dlpd::test::docs {

namespace {

la_ssize_t append(struct archive *, void *out, const void *buffer, size_t length) {
    static_cast<std::string *>(out)->append(static_cast<const char *>(buffer), length);
    return static_cast<la_ssize_t>(length);
}

}  // namespace

std::string libarchive_write(std::string_view format, std::string_view filter, const Files &files,
                             std::string_view options, std::string_view passphrase) {
    std::unique_ptr<struct archive, int (*)(struct archive *)> a(archive_write_new(), archive_write_free);
    const auto check = [&](int r, const char *what) {
        if (r < ARCHIVE_WARN)
            throw std::runtime_error(std::string("libarchive ") + what + ": " +
                                     (archive_error_string(a.get()) ? archive_error_string(a.get()) : "?"));
    };
    check(archive_write_set_format_by_name(a.get(), std::string(format).c_str()), "format");
    if (filter != "none") check(archive_write_add_filter_by_name(a.get(), std::string(filter).c_str()), "filter");
    if (!options.empty()) check(archive_write_set_options(a.get(), std::string(options).c_str()), "options");
    if (!passphrase.empty()) check(archive_write_set_passphrase(a.get(), std::string(passphrase).c_str()), "passphrase");
    // Whole blocks of output, not padded to tar's 10 KiB records.
    archive_write_set_bytes_in_last_block(a.get(), 1);
    std::string out;
    check(archive_write_open(a.get(), &out, nullptr, append, nullptr), "open");
    for (const auto &[name, content] : files) {
        std::unique_ptr<struct archive_entry, void (*)(struct archive_entry *)> e(archive_entry_new(),
                                                                                  archive_entry_free);
        archive_entry_set_pathname(e.get(), name.c_str());
        const bool dir = !name.empty() && name.back() == '/';
        archive_entry_set_filetype(e.get(), dir ? AE_IFDIR : AE_IFREG);
        archive_entry_set_perm(e.get(), dir ? 0755 : 0644);
        archive_entry_set_size(e.get(), dir ? 0 : static_cast<la_int64_t>(content.size()));
        archive_entry_set_mtime(e.get(), 1700000000, 0);
        check(archive_write_header(a.get(), e.get()), "header");
        if (!dir && !content.empty())
            if (archive_write_data(a.get(), content.data(), content.size()) < 0) check(ARCHIVE_FATAL, "data");
    }
    check(archive_write_close(a.get()), "close");
    return out;
}

}  // namespace dlpd::test::docs
