// The key that seals message text at rest, kept in a file of its own outside
// the database, so that a copy of the database (a backup, a replica's dump)
// does not carry what opens it.
#ifndef DLPD_HOST_STORE_KEY_FILE_HPP
#define DLPD_HOST_STORE_KEY_FILE_HPP

#include <filesystem>
#include <optional>
#include <string>

namespace dlpd {

// The 32-byte key in file (64 hex characters and a newline). When the file
// does not exist: with create, a fresh random key is written there, readable
// by this user only (mode 0600, created exclusively, so two processes
// starting together agree on one key); without, nothing. Throws StoreError
// when the file cannot be read or written, does not hold a key, or can be
// read by others (like ssh with a private key, dlpd refuses it: chmod 600).
std::optional<std::string> read_key_file(const std::filesystem::path &file, bool create);

}  // namespace dlpd

#endif
