// The Web API client's TLS: peers are verified against the CA store and
// the host name is checked. An `openssl s_server` on loopback with a
// self-signed certificate stands in for Slack.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "slack/http_client.hpp"
#include "test_support.hpp"

extern char **environ;

using namespace dlpd;

namespace {

uint16_t free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

bool accepts(uint16_t port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
    close(fd);
    return ok;
}

class TlsServer {
public:
    explicit TlsServer(const test::TempDir &dir) : port_(free_port()) {
        const std::string cert = (dir.path() / "cert.pem").string(), key = (dir.path() / "key.pem").string();
        cert_ = cert;
        const auto made = test::run("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
                                    "-addext subjectAltName=DNS:localhost -keyout " + test::quote(key) + " -out " +
                                    test::quote(cert));
        if (made.exit_code != 0) throw std::runtime_error("openssl req failed: " + made.err);
        const std::string accept = "127.0.0.1:" + std::to_string(port_);
        const char *argv[] = {"openssl", "s_server", "-quiet", "-www", "-accept", accept.c_str(), "-cert", cert.c_str(),
                              "-key", key.c_str(), nullptr};
        if (posix_spawnp(&pid_, "openssl", nullptr, nullptr, const_cast<char **>(argv), environ) != 0)
            throw std::runtime_error("cannot start openssl s_server");
        for (int i = 0; i < 200 && !accepts(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ~TlsServer() {
        kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
    }
    uint16_t port() const { return port_; }
    const std::string &cert() const { return cert_; }

private:
    uint16_t port_;
    pid_t pid_ = 0;
    std::string cert_;
};

// SSL_CERT_FILE replaces the system CA store for OpenSSL's default paths.
class TrustOnly {
public:
    explicit TrustOnly(const std::string &file) { setenv("SSL_CERT_FILE", file.c_str(), 1); }
    ~TrustOnly() { unsetenv("SSL_CERT_FILE"); }
};

}  // namespace

TEST_CASE("https: an untrusted certificate is refused, a trusted one for another name too", "[slack][tls]") {
    test::TempDir dir;
    TlsServer server(dir);
    REQUIRE(accepts(server.port()));
    const std::string port = std::to_string(server.port());
    {
        slack::HttpClient client;  // the system CA store: a self-signed certificate is not in it
        try {
            client.send({"GET", "https://localhost:" + port + "/", {}, ""});
            FAIL("an untrusted certificate was accepted");
        } catch (const slack::HttpError &e) {
            CHECK(e.kind() == slack::HttpError::Kind::tls);
            CHECK_THAT(e.what(), Catch::Contains("certificate verify failed"));
        }
    }
    TrustOnly trust(server.cert());
    {
        slack::HttpClient client;
        const auto ok = client.send({"GET", "https://localhost:" + port + "/", {}, ""});
        CHECK(ok.status == 200);
    }
    {
        slack::HttpClient client;  // trusted, but issued to localhost, not 127.0.0.1
        try {
            client.send({"GET", "https://127.0.0.1:" + port + "/", {}, ""});
            FAIL("a certificate for another host name was accepted");
        } catch (const slack::HttpError &e) {
            CHECK(e.kind() == slack::HttpError::Kind::tls);
        }
    }
}
