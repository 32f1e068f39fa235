// Archives written with libarchive, for the tests and the fuzz seeds: 7z,
// tar.xz, zips with bzip2, LZMA or xz members, encrypted zips. Poco::Zip
// (document_writer.hpp) writes deflate and stored zips only.
#ifndef DLPD_TEST_FILETYPE_ARCHIVE_WRITER_HPP
#define DLPD_TEST_FILETYPE_ARCHIVE_WRITER_HPP

#include <string>
#include <string_view>

#include "document_writer.hpp"

namespace dlpd::test::docs {

// files in the archive format ("zip", "7zip", "pax", "ustar", "cpio",
// "iso9660", "arbsd", "raw") through filter ("none", "gzip", "bzip2",
// "xz", "lzma", "zstd"); options as archive_write_set_options takes them
// ("zip:compression=bzip2", "zip:encryption=zipcrypt"). Throws when
// libarchive cannot write it.
std::string libarchive_write(std::string_view format, std::string_view filter, const Files &files,
                             std::string_view options = {}, std::string_view passphrase = {});

}  // namespace dlpd::test::docs

#endif
