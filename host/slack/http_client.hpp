// A small blocking HTTP/1.1 client for the Slack Web API and file downloads:
// http:// and https:// (TLS 1.2+, verified against the system CA store, with
// SNI and host-name checks), keep-alive connections reused per origin, one
// timeout for each whole request, and a cap on the body it will read.
// Beast and Asio stay in http_client.cpp.
//
// Thread-safe: any number of threads may call send() at once; each request
// uses a connection of its own.
#ifndef DLPD_HOST_SLACK_HTTP_CLIENT_HPP
#define DLPD_HOST_SLACK_HTTP_CLIENT_HPP

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dlpd::slack {

// An absolute http(s):// or ws(s):// URL taken apart.
struct Url {
    std::string scheme;  // http, https, ws, wss
    std::string host;
    std::string port;    // always set: the scheme's default when absent
    std::string target;  // path and query, at least "/"
    bool tls() const { return scheme == "https" || scheme == "wss"; }
    std::string origin() const { return scheme + "://" + host + ":" + port; }

    // Nothing, with the reason in error, for anything else.
    static std::optional<Url> parse(std::string_view text, std::string &error);
};

struct HttpRequest {
    std::string method = "POST";
    std::string url;
    // Sent as given; never logged (Authorization holds a token).
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct HttpResponse {
    unsigned status = 0;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    std::string header(const std::string &lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// The request did not get a complete answer: the name did not resolve, the
// connection or TLS failed, the time ran out, or the body passed the cap.
// The message names the origin and the reason, never a header.
class HttpError : public std::runtime_error {
public:
    enum class Kind { network, timeout, tls, too_large, bad_url };
    HttpError(Kind kind, const std::string &message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

struct HttpClientOptions {
    // For one whole request: connect, TLS, write, and read.
    std::chrono::milliseconds timeout{10000};
    // Bodies longer than this are refused with HttpError(too_large).
    uint64_t max_body_bytes = uint64_t{16} << 20;
    // Idle keep-alive connections kept per origin.
    size_t max_idle_per_origin = 8;
};

class HttpClient {
public:
    explicit HttpClient(HttpClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    // Sends the request and reads the whole answer; max_body_bytes, when
    // set, replaces the default cap for this request. Throws HttpError.
    HttpResponse send(const HttpRequest &request, std::optional<uint64_t> max_body_bytes = std::nullopt);

    const HttpClientOptions &options() const { return options_; }

    class Pool;

private:
    HttpClientOptions options_;
    std::unique_ptr<Pool> pool_;
};

}  // namespace dlpd::slack

#endif
