#include "admin/admin_server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <mutex>
#include <stdexcept>

#include "admin/admin_context.hpp"
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

class PocoAdminServer : public AdminServer {
public:
    PocoAdminServer(const AdminOptions &options, AdminServices &services)
        : tls_(!options.tls_cert.empty()),
          context_(options, services, tls_),
          pool_(1, static_cast<int>(options.threads)) {
        if (options.tls_cert.empty() != options.tls_key.empty())
            throw std::runtime_error("admin.tls_cert and admin.tls_key must be set together");
        Poco::Net::ServerSocket socket;
        try {
            socket = bind_socket(options, tls_);
        } catch (const Poco::Exception &e) {
            throw std::runtime_error("the admin cannot listen on " + options.listen + ": " + e.displayText());
        }
        host_ = socket.address().host().toString();
        port_ = socket.address().port();
        auto params = new Poco::Net::HTTPServerParams;
        params->setTimeout(Poco::Timespan(options.request_timeout_seconds, 0));
        params->setKeepAliveTimeout(Poco::Timespan(options.request_timeout_seconds, 0));
        params->setMaxThreads(static_cast<int>(options.threads));
        params->setMaxQueued(static_cast<int>(options.max_queued_connections));
        params->setServerName("dlpd-admin");
        server_ = std::make_unique<Poco::Net::HTTPServer>(new AdminRouter(context_), pool_, socket, params);
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
        server_->stopAll(true);
        pool_.joinAll();
        server_.reset();
    }

private:
    bool tls_;
    AdminContext context_;
    Poco::ThreadPool pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::string host_;
    uint16_t port_ = 0;
    std::mutex stop_mutex_;
};

}  // namespace

std::unique_ptr<AdminServer> start_admin_server(const AdminOptions &options, AdminServices &services) {
    return std::make_unique<PocoAdminServer>(options, services);
}

}  // namespace dlpd
