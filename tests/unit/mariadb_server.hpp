// A real MariaDB server for the tests: initialised in a temporary folder
// with mariadb-install-db, started on a free loopback port, shared by every
// test in the process and stopped (and its folder removed) at exit.
#ifndef DLPD_TESTS_MARIADB_SERVER_HPP
#define DLPD_TESTS_MARIADB_SERVER_HPP

#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "test_support.hpp"

extern char **environ;

namespace dlpd::test {

class MariaDbServer {
public:
    static constexpr const char *kUser = "dlpd_test";
    static constexpr const char *kPassword = "s3cret-Pa55word";

    // Starts the server on first use. Throws with the server's own log when
    // it cannot start (MariaDB not installed, or broken).
    static MariaDbServer &instance() {
        static MariaDbServer server;
        return server;
    }

    // A server of the caller's own, not shared: for a test that kills it.
    static std::unique_ptr<MariaDbServer> start_private() { return std::unique_ptr<MariaDbServer>(new MariaDbServer); }

    // The server dies at once (SIGKILL), as a crashed database would.
    void kill_now() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = 0;
    }

    uint16_t port() const { return port_; }

    std::string url(const std::string &database, const std::string &password = kPassword) const {
        return "mysql://" + std::string(kUser) + ":" + password + "@127.0.0.1:" + std::to_string(port_) + "/" +
               database;
    }

    // A new, empty database with a unique name.
    std::string fresh_database() {
        const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(next_++);
        sql("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        return name;
    }

    void sql(const std::string &statement) const {
        auto r = run("mariadb --no-defaults --socket=" + quote((dir_ / "mysqld.sock").string()) + " -uroot -e " +
                     quote(statement));
        if (r.exit_code != 0) throw std::runtime_error("mariadb: " + statement + ": " + r.err);
    }

    // A loopback port with nothing listening (for "unreachable" tests).
    static uint16_t free_port() {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
        ::close(fd);
        return ntohs(addr.sin_port);
    }

    ~MariaDbServer() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            for (int i = 0; i < 300; ++i) {
                if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
                    pid_ = 0;
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            if (pid_ > 0) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, nullptr, 0);
            }
        }
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

private:
    MariaDbServer() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "dlpd-mariadb-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir_ = tmpl;
        const auto data = dir_ / "data";
        auto init = run("mariadb-install-db --no-defaults --user=root --auth-root-authentication-method=normal "
                        "--skip-test-db --skip-name-resolve --datadir=" +
                        quote(data.string()));
        if (init.exit_code != 0)
            throw std::runtime_error("mariadb-install-db failed (is mariadb-server installed?): " + init.out + init.err);
        port_ = free_port();
        const std::string port_arg = "--port=" + std::to_string(port_);
        const std::string datadir = "--datadir=" + data.string();
        const std::string socket = "--socket=" + (dir_ / "mysqld.sock").string();
        const std::string pidfile = "--pid-file=" + (dir_ / "mysqld.pid").string();
        const std::string logfile = "--log-error=" + (dir_ / "error.log").string();
        const char *argv[] = {"mariadbd", "--no-defaults", "--user=root", datadir.c_str(), port_arg.c_str(),
                              "--bind-address=127.0.0.1", socket.c_str(), pidfile.c_str(), logfile.c_str(),
                              "--skip-log-bin", "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M",
                              "--max-connections=200", nullptr};
        // Debian puts the server in /usr/sbin, which a non-login PATH may lack.
        const char *server = std::filesystem::exists("/usr/sbin/mariadbd") ? "/usr/sbin/mariadbd" : "mariadbd";
        if (::posix_spawnp(&pid_, server, nullptr, nullptr, const_cast<char **>(argv), environ) != 0)
            throw std::runtime_error("cannot start mariadbd (is mariadb-server installed?)");
        for (int i = 0; i < 600; ++i) {
            auto ping = run("mariadb-admin --no-defaults --socket=" + quote((dir_ / "mysqld.sock").string()) +
                            " -uroot ping");
            if (ping.exit_code == 0) break;
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = 0;
                throw std::runtime_error("mariadbd exited: " + slurp(dir_ / "error.log"));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        sql(std::string("CREATE USER '") + kUser + "'@'127.0.0.1' IDENTIFIED BY '" + kPassword + "'");
        sql(std::string("GRANT ALL ON *.* TO '") + kUser + "'@'127.0.0.1'");
    }

    std::filesystem::path dir_;
    pid_t pid_ = 0;
    uint16_t port_ = 0;
    std::atomic<int> next_{0};
};

}  // namespace dlpd::test

#endif
