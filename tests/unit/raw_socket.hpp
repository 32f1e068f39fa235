// A TCP client as plain as it gets, for tests that must send what no HTTP
// client library would (a trailer of 70 KB, a header line a byte at a time)
// and read the answer byte for byte. Loopback only; every wait is bounded.
#ifndef DLPD_TESTS_RAW_SOCKET_HPP
#define DLPD_TESTS_RAW_SOCKET_HPP

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace dlpd::test {

class RawSocket {
public:
    // Connects to 127.0.0.1:port, from source (a 127.0.0.0/8 address) when
    // given. Throws when it cannot.
    explicit RawSocket(uint16_t port, const std::string &source = {}) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd_ < 0) throw std::runtime_error("socket() failed");
        if (!source.empty()) {
            sockaddr_in local{};
            local.sin_family = AF_INET;
            ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
            if (::bind(fd_, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0)
                throw std::runtime_error("cannot bind to " + source);
        }
        sockaddr_in remote{};
        remote.sin_family = AF_INET;
        remote.sin_port = htons(port);
        ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
        if (::connect(fd_, reinterpret_cast<sockaddr *>(&remote), sizeof remote) != 0)
            throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
    ~RawSocket() {
        if (fd_ >= 0) ::close(fd_);
    }
    RawSocket(const RawSocket &) = delete;
    RawSocket &operator=(const RawSocket &) = delete;

    // Sends all of bytes; false when the peer closed or reset first.
    bool send(const std::string &bytes) {
        size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return false;
            sent += static_cast<size_t>(n);
        }
        return true;
    }
    // No more from this side; the peer reads the end of the stream.
    void finish_sending() { ::shutdown(fd_, SHUT_WR); }

    // Everything the peer sends until it closes, or until timeout passes.
    std::string read_all(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        std::string out;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        char buffer[8192];
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                                   std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            out.append(buffer, static_cast<size_t>(n));
        }
        return out;
    }

    // What the peer has sent by now, waiting at most timeout for the first
    // byte; empty when nothing came or the connection is closed.
    std::string receive(std::chrono::milliseconds timeout) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
        char buffer[65536];
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
    }

    // Whether the peer has closed this connection (the end of the stream or
    // a reset), waiting at most timeout; whatever it sent first is dropped.
    bool closed_by_peer(std::chrono::milliseconds timeout) {
        if (closed_) return true;
        for (;;) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
            char buffer[4096];
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) return closed_ = true;
        }
    }

private:
    int fd_ = -1;
    bool closed_ = false;
};

// One request on a connection of its own: sends it, ends the sending side,
// and returns the whole answer.
inline std::string raw_exchange(uint16_t port, const std::string &request, const std::string &source = {}) {
    RawSocket socket(port, source);
    socket.send(request);
    socket.finish_sending();
    return socket.read_all();
}

}  // namespace dlpd::test

#endif
