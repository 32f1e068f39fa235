#include "store/key_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "store/sealed_text.hpp"
#include "store/store.hpp"

namespace dlpd {

namespace {

std::string errno_text() { return std::strerror(errno); }

// Reads the whole (small) file; nullopt when it does not exist.
std::optional<std::string> read_existing(const std::filesystem::path &file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        throw StoreError("cannot read the key file " + file.string() + ": " + errno_text());
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw StoreError("the key file " + file.string() + " is not a regular file");
    }
    if ((st.st_mode & 077) != 0) {
        ::close(fd);
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        throw StoreError("the key file " + file.string() + " can be read by other users (mode " + mode +
                         "): run chmod 600 " + file.string());
    }
    std::string text(256, '\0');
    const ssize_t n = ::read(fd, text.data(), text.size());
    ::close(fd);
    if (n < 0) throw StoreError("cannot read the key file " + file.string() + ": " + errno_text());
    text.resize(static_cast<size_t>(n));
    return text;
}

std::string key_from(const std::filesystem::path &file, std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    auto key = parse_key(text);
    if (!key)
        throw StoreError("the key file " + file.string() +
                         " does not hold a 32-byte key (64 hex characters); it must be the file dlpd created");
    return *key;
}

}  // namespace

std::optional<std::string> read_key_file(const std::filesystem::path &file, bool create) {
    if (auto text = read_existing(file)) return key_from(file, *text);
    if (!create) return std::nullopt;
    const std::string key = random_bytes(32);
    const std::string text = to_hex(key) + "\n";
    // Written whole to a private temporary file, then linked into place:
    // link() fails if the name exists, so of two processes starting together
    // one key wins, and nobody ever reads a half-written file.
    const std::filesystem::path temp = file.string() + ".new." + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw StoreError("cannot create the key file " + file.string() + ": " + errno_text());
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
        const std::string why = errno_text();
        ::unlink(temp.c_str());
        throw StoreError("cannot write the key file " + file.string() + ": " + why);
    }
    const int linked = ::link(temp.c_str(), file.c_str());
    const int link_errno = errno;
    ::unlink(temp.c_str());
    if (linked != 0) {
        if (link_errno == EEXIST)
            if (auto theirs = read_existing(file)) return key_from(file, *theirs);
        errno = link_errno;
        throw StoreError("cannot create the key file " + file.string() + ": " + errno_text());
    }
    return key;
}

}  // namespace dlpd
