// The listening side of systemd's notification protocol (sd_notify(3)), as
// systemd has it: a unix datagram socket whose path goes in NOTIFY_SOCKET.
// Tests read what dlpd says on it. Every wait is bounded.
#ifndef DLPD_TESTS_NOTIFY_SOCKET_HPP
#define DLPD_TESTS_NOTIFY_SOCKET_HPP

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace dlpd::test {

class NotifySocket {
public:
    explicit NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
        sockaddr_un addr{};
        if (path_.string().size() >= sizeof addr.sun_path) throw std::runtime_error("socket path too long: " + path_.string());
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) throw std::runtime_error("socket(AF_UNIX, SOCK_DGRAM) failed");
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
        if (::bind(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            throw std::runtime_error("cannot bind " + path_.string());
    }
    ~NotifySocket() {
        ::close(fd_);
        ::unlink(path_.c_str());
    }
    NotifySocket(const NotifySocket &) = delete;
    NotifySocket &operator=(const NotifySocket &) = delete;

    const std::filesystem::path &path() const { return path_; }

    // The next datagram (one notification: lines such as READY=1 and
    // STATUS=...), or nullopt when none comes within `timeout`.
    std::optional<std::string> next(std::chrono::milliseconds timeout) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
        char buffer[4096];
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n < 0) return std::nullopt;
        seen_.emplace_back(buffer, static_cast<size_t>(n));
        return seen_.back();
    }

    // Reads until a datagram holds the line `line` (READY=1, WATCHDOG=1...);
    // returns that datagram, or nullopt at the deadline.
    std::optional<std::string> wait_for(const std::string &line, std::chrono::milliseconds timeout) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            if (auto d = next(left); d && has_line(*d, line)) return d;
        }
    }

    // Every datagram already queued, without waiting.
    void drain() {
        while (next(std::chrono::milliseconds(0))) {
        }
    }

    static bool has_line(const std::string &datagram, const std::string &line) {
        size_t start = 0;
        while (start <= datagram.size()) {
            size_t end = datagram.find('\n', start);
            if (end == std::string::npos) end = datagram.size();
            if (datagram.compare(start, end - start, line) == 0) return true;
            start = end + 1;
        }
        return false;
    }

    // What was received so far, in order.
    const std::vector<std::string> &seen() const { return seen_; }
    std::string transcript() const {
        std::string out;
        for (const auto &d : seen_) out += "[" + d + "]\n";
        return out;
    }

private:
    std::filesystem::path path_;
    int fd_ = -1;
    std::vector<std::string> seen_;
};

}  // namespace dlpd::test

#endif
