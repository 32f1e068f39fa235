#include "admin/admin_server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <mutex>
#include <stdexcept>

#include "admin/admin_context.hpp"
#include "admin/connection_guard.hpp"
#include "log.hpp"
#include "admin/router.hpp"

namespace dlpd {

namespace {

// Connections waiting in the kernel before the server accepts them.
constexpr int kListenBacklog = 64;

// SO_REUSEADDR (a restart need not wait for TIME_WAIT), but never
// SO_REUSEPORT, which Poco's constructors also set: with it a second dlpd
// would share the port silently instead of failing.
Poco::Net::ServerSocket listening(Poco::Net::ServerSocket socket, const Poco::Net::SocketAddress &address) {
    socket.bind(address, true, false);
    socket.listen(kListenBacklog);
    return socket;
}

Poco::Net::ServerSocket bind_socket(const AdminOptions &options, bool tls) {
    const Poco::Net::SocketAddress address(options.listen);
    if (!tls) return listening(Poco::Net::ServerSocket(), address);
    static std::once_flag ssl_once;
    std::call_once(ssl_once, [] { Poco::Net::initializeSSL(); });
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, options.tls_key.string(), options.tls_cert.string(),
                               "", Poco::Net::Context::VERIFY_NONE, 9, false, "HIGH:!aNULL:!MD5:!RC4");
    context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                              Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    return listening(Poco::Net::SecureServerSocket(context), address);
}

// An HTTPServerConnection under the guard's deadlines and cap.
class GuardedConnection : public Poco::Net::HTTPServerConnection {
public:
    GuardedConnection(const Poco::Net::StreamSocket &socket, Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr factory, ConnectionGuard &guard)
        : HTTPServerConnection(socket, params, factory), guard_(guard) {}

    void run() override {
        std::string address;
        try {
            address = socket().peerAddress().host().toString();
        } catch (const std::exception &) {
            return;  // gone already
        }
        if (!guard_.begin(socket(), address)) return;
        try {
            HTTPServerConnection::run();
        } catch (...) {
            guard_.end();
            throw;
        }
        guard_.end();
    }

private:
    ConnectionGuard &guard_;
};

class GuardedConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
public:
    GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                             ConnectionGuard &guard)
        : params_(params), factory_(factory), guard_(guard) {}
    Poco::Net::TCPServerConnection *createConnection(const Poco::Net::StreamSocket &socket) override {
        return new GuardedConnection(socket, params_, factory_, guard_);
    }

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
    ConnectionGuard &guard_;
};

// Refuses, as it accepts, a connection from an address already at its cap.
class PerAddressFilter : public Poco::Net::TCPServerConnectionFilter {
public:
    explicit PerAddressFilter(ConnectionGuard &guard) : guard_(guard) {}
    bool accept(const Poco::Net::StreamSocket &socket) override {
        try {
            return guard_.filter(socket.peerAddress().host().toString());
        } catch (const std::exception &) {
            return false;
        }
    }

private:
    ConnectionGuard &guard_;
};

ConnectionGuard::Settings guard_settings(const AdminOptions &options, const AdminContext &context,
                                         const AdminServices &services) {
    ConnectionGuard::Settings s;
    s.header_timeout = std::chrono::seconds(options.header_timeout_seconds);
    s.body_timeout = std::chrono::seconds(options.body_timeout_seconds);
    s.keep_alive = std::chrono::seconds(options.keep_alive_seconds);
    s.max_per_address = static_cast<size_t>(options.max_connections_per_address);
    s.uncapped = context.trusted_proxies;
    s.log_summary = services.log_summary;
    return s;
}

class PocoAdminServer : public AdminServer {
public:
    PocoAdminServer(const AdminOptions &options, AdminServices &services)
        : tls_(!options.tls_cert.empty()),
          context_(options, services, tls_),
          guard_(guard_settings(options, context_, services)),
          pool_(1, static_cast<int>(options.threads)) {
        if (options.tls_cert.empty() != options.tls_key.empty())
            throw std::runtime_error("admin.tls_cert and admin.tls_key must be set together");
        // Enough threads for the cap: one address can never hold them all.
        if (options.threads <= options.max_connections_per_address)
            throw std::runtime_error("admin.threads (" + std::to_string(options.threads) +
                                     ") must be larger than admin.max_connections_per_address (" +
                                     std::to_string(options.max_connections_per_address) +
                                     "), or one address could take every thread");
        Poco::Net::ServerSocket socket;
        try {
            socket = bind_socket(options, tls_);
        } catch (const Poco::Exception &e) {
            throw std::runtime_error("the admin cannot listen on " + options.listen + ": " + e.displayText());
        }
        host_ = socket.address().host().toString();
        port_ = socket.address().port();
        // One reference-counted object shared by the factory and the server.
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        // Each read and write; the whole of a header or body has the guard's deadlines.
        params->setTimeout(Poco::Timespan(options.request_timeout_seconds, 0));
        params->setKeepAliveTimeout(Poco::Timespan(options.keep_alive_seconds, 0));
        params->setMaxThreads(static_cast<int>(options.threads));
        params->setMaxQueued(static_cast<int>(options.max_queued_connections));
        params->setServerName("dlpd-admin");
        server_ = std::make_unique<Poco::Net::TCPServer>(
            new GuardedConnectionFactory(params, new AdminRouter(context_), guard_), pool_, socket, params);
        server_->setConnectionFilter(new PerAddressFilter(guard_));
        server_->start();
        log(LogLevel::info, "admin", "serving the admin at " + url());
    }
    ~PocoAdminServer() override { stop(); }

    uint16_t port() const override { return port_; }
    std::string url() const override {
        const bool v6 = host_.find(':') != std::string::npos;
        return std::string(tls_ ? "https://" : "http://") + (v6 ? "[" + host_ + "]" : host_) + ":" +
               std::to_string(port_) + "/";
    }
    void stop() override {
        std::lock_guard lock(stop_mutex_);
        if (!server_) return;
        server_->stop();
        guard_.stop();  // requests in progress end with their connections
        pool_.joinAll();
        server_.reset();
    }

private:
    bool tls_;
    AdminContext context_;
    ConnectionGuard guard_;
    Poco::ThreadPool pool_;
    std::unique_ptr<Poco::Net::TCPServer> server_;
    std::string host_;
    uint16_t port_ = 0;
    std::mutex stop_mutex_;
};

}  // namespace

std::unique_ptr<AdminServer> start_admin_server(const AdminOptions &options, AdminServices &services) {
    return std::make_unique<PocoAdminServer>(options, services);
}

}  // namespace dlpd
