#include "runtime/metrics_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <mutex>
#include <stdexcept>

#include "log.hpp"
#include "metrics/metrics.hpp"

namespace dlpd {

namespace {

// A scrape, a probe or two at once; more wait in the queue.
constexpr int kThreads = 2;
constexpr int kMaxQueued = 16;
constexpr int kListenBacklog = 16;
// Each read and write of a request; nothing here reads a body.
constexpr int kTimeoutSeconds = 10;

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

void answer(HTTPServerResponse &response, HTTPResponse::HTTPStatus status, const std::string &content_type,
            const std::string &body, bool head) {
    response.setStatus(status);
    response.setContentType(content_type);
    response.set("Cache-Control", "no-store");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    auto &out = response.send();
    if (!head) out << body;
}

class EndpointHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit EndpointHandler(const std::function<Readiness()> &readiness) : readiness_(readiness) {}

    void handleRequest(HTTPServerRequest &request, HTTPServerResponse &response) override {
        const bool head = request.getMethod() == "HEAD";
        const std::string path = request.getURI().substr(0, request.getURI().find('?'));
        constexpr const char *kText = "text/plain; charset=utf-8";
        if (!head && request.getMethod() != "GET") {
            response.set("Allow", "GET, HEAD");
            answer(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, kText, "only GET and HEAD\n", head);
        } else if (path == "/metrics") {
            answer(response, HTTPResponse::HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
                   metrics::registry().exposition(), head);
        } else if (path == "/healthz") {
            answer(response, HTTPResponse::HTTP_OK, kText, "ok\n", head);
        } else if (path == "/readyz") {
            Readiness r;
            try {
                r = readiness_();
            } catch (const std::exception &e) {
                r = {false, e.what()};
            }
            if (r.ready)
                answer(response, HTTPResponse::HTTP_OK, kText, "ready\n", head);
            else
                answer(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, kText, "not ready: " + r.reason + "\n", head);
        } else {
            answer(response, HTTPResponse::HTTP_NOT_FOUND, kText, "not found: /metrics, /healthz or /readyz\n", head);
        }
    }

private:
    const std::function<Readiness()> &readiness_;
};

class EndpointFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit EndpointFactory(const std::function<Readiness()> &readiness) : readiness_(readiness) {}
    Poco::Net::HTTPRequestHandler *createRequestHandler(const HTTPServerRequest &) override {
        return new EndpointHandler(readiness_);
    }

private:
    const std::function<Readiness()> &readiness_;
};

class PocoMetricsServer : public MetricsServer {
public:
    PocoMetricsServer(const std::string &listen, std::function<Readiness()> readiness)
        : readiness_(std::move(readiness)), pool_(1, kThreads) {
        Poco::Net::ServerSocket socket;
        try {
            // SO_REUSEADDR, never SO_REUSEPORT: a second dlpd on the same
            // port must fail, not share it (as the admin does).
            socket.bind(Poco::Net::SocketAddress(listen), true, false);
            socket.listen(kListenBacklog);
        } catch (const Poco::Exception &e) {
            throw std::runtime_error("metrics.listen: cannot listen on " + listen + ": " + e.displayText());
        }
        host_ = socket.address().host().toString();
        port_ = socket.address().port();
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setTimeout(Poco::Timespan(kTimeoutSeconds, 0));
        params->setKeepAliveTimeout(Poco::Timespan(kTimeoutSeconds, 0));
        params->setMaxThreads(kThreads);
        params->setMaxQueued(kMaxQueued);
        params->setServerName("dlpd-metrics");
        server_ = std::make_unique<Poco::Net::HTTPServer>(new EndpointFactory(readiness_), pool_, socket, params);
        server_->start();
        log(LogLevel::info, "metrics", "serving /metrics, /healthz and /readyz at " + url());
    }
    ~PocoMetricsServer() override { stop(); }

    uint16_t port() const override { return port_; }
    std::string url() const override {
        const bool v6 = host_.find(':') != std::string::npos;
        return "http://" + (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_) + "/";
    }
    void stop() override {
        std::lock_guard lock(stop_mutex_);
        if (!server_) return;
        server_->stopAll(true);
        pool_.joinAll();
        server_.reset();
    }

private:
    std::function<Readiness()> readiness_;
    Poco::ThreadPool pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::string host_;
    uint16_t port_ = 0;
    std::mutex stop_mutex_;
};

}  // namespace

std::unique_ptr<MetricsServer> start_metrics_server(const std::string &listen, std::function<Readiness()> readiness) {
    return std::make_unique<PocoMetricsServer>(listen, std::move(readiness));
}

}  // namespace dlpd
