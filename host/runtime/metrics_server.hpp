// The operator's endpoint of `dlpd run` (metrics.listen): GET /metrics is the
// process's registry in the Prometheus text format, /healthz answers 200 while
// the process serves at all, /readyz 200 when the daemon can do its work and
// 503 with the reason otherwise. A Poco::Net HTTPServer on a small pool of
// its own, so a slow scraper never waits for the admin or the reverse.
#ifndef DLPD_HOST_RUNTIME_METRICS_SERVER_HPP
#define DLPD_HOST_RUNTIME_METRICS_SERVER_HPP

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace dlpd {

struct Readiness {
    bool ready = false;
    std::string reason;  // why not, one line for people (never a secret)
};

class MetricsServer {
public:
    virtual ~MetricsServer() = default;
    virtual uint16_t port() const = 0;
    // "http://HOST:PORT/"
    virtual std::string url() const = 0;
    // Stops accepting and waits for the requests in progress. Idempotent.
    virtual void stop() = 0;
};

// Binds listen (HOST:PORT; port 0 takes a free one) and serves on its own
// threads; readiness is asked on every /readyz, from a server thread.
// Throws std::runtime_error naming the address when it cannot be bound.
std::unique_ptr<MetricsServer> start_metrics_server(const std::string &listen, std::function<Readiness()> readiness);

}  // namespace dlpd

#endif
