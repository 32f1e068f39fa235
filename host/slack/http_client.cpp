#include "slack/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>

#include <algorithm>
#include <cctype>
#include <deque>
#include <mutex>

#include "slack/tls.hpp"

namespace dlpd::slack {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::optional<Url> Url::parse(std::string_view text, std::string &error) {
    Url url;
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos) {
        error = "not an absolute URL (expected scheme://host/...)";
        return std::nullopt;
    }
    url.scheme = std::string(text.substr(0, scheme_end));
    std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (url.scheme != "http" && url.scheme != "https" && url.scheme != "ws" && url.scheme != "wss") {
        error = "scheme '" + url.scheme + "' is not http, https, ws or wss";
        return std::nullopt;
    }
    std::string_view rest = text.substr(scheme_end + 3);
    const auto path_start = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, path_start);
    url.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
    if (url.target.front() == '?') url.target.insert(url.target.begin(), '/');
    if (authority.find('@') != std::string_view::npos) {
        error = "user information in a URL is not supported";
        return std::nullopt;
    }
    if (!authority.empty() && authority.front() == '[') {  // [v6]:port
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            error = "unterminated IPv6 address";
            return std::nullopt;
        }
        url.host = std::string(authority.substr(1, close - 1));
        authority = authority.substr(close + 1);
        if (!authority.empty() && authority.front() == ':') url.port = std::string(authority.substr(1));
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) url.port = std::string(authority.substr(colon + 1));
    }
    if (url.host.empty()) {
        error = "no host";
        return std::nullopt;
    }
    if (url.port.empty()) url.port = url.tls() ? "443" : "80";
    if (url.port.find_first_not_of("0123456789") != std::string::npos || url.port.size() > 5) {
        error = "port '" + url.port + "' is not a number";
        return std::nullopt;
    }
    return url;
}

namespace {

// The largest header, or trailer, of an answer. Below the 64 KiB at which
// Beast's field storage throws.
constexpr uint32_t kMaxHeaderBytes = 60 * 1024;

// One connection and the io_context that drives it. The calling thread runs
// the context for each step, so a blocking call can still have a deadline.
class Connection {
public:
    Connection(const Url &url, std::shared_ptr<net::ssl::context> tls)
        : origin_(url.origin()), host_(url.host), tls_context_(std::move(tls)) {
        if (url.tls())
            tls_stream_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc_, *tls_context_);
        else
            plain_stream_ = std::make_unique<beast::tcp_stream>(ioc_);
    }

    const std::string &origin() const { return origin_; }

    beast::tcp_stream &tcp() { return tls_stream_ ? beast::get_lowest_layer(*tls_stream_) : *plain_stream_; }

    void connect(const Url &url, std::chrono::steady_clock::time_point deadline) {
        tcp::resolver resolver(ioc_);
        beast::error_code ec;
        tcp::resolver::results_type endpoints;
        resolver.async_resolve(url.host, url.port, [&](beast::error_code e, tcp::resolver::results_type r) {
            ec = e;
            endpoints = std::move(r);
        });
        run_until(deadline, [&] { resolver.cancel(); });
        if (ec) throw error_of(ec, "cannot resolve");
        tcp().expires_at(deadline);
        tcp().async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint &) { ec = e; });
        run();
        if (ec) throw error_of(ec, "cannot connect");
        tcp().socket().set_option(tcp::no_delay(true));
        if (tls_stream_) {
            if (!prepare_tls_stream(*tls_stream_, url.host))
                throw HttpError(HttpError::Kind::tls, origin_ + ": cannot set the TLS server name");
            tcp().expires_at(deadline);
            tls_stream_->async_handshake(net::ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
            run();
            if (ec) throw error_of(ec, "TLS handshake failed", HttpError::Kind::tls);
        }
    }

    // Writes the request and reads the answer. `fresh_failure` tells the
    // caller that a reused connection failed before any answer came, so a
    // new connection may try again.
    HttpResponse exchange(http::request<http::string_body> &request, uint64_t max_body,
                          std::chrono::steady_clock::time_point deadline, bool &fresh_failure) {
        fresh_failure = false;
        beast::error_code ec;
        tcp().expires_at(deadline);
        if (tls_stream_)
            http::async_write(*tls_stream_, request, [&](beast::error_code e, size_t) { ec = e; });
        else
            http::async_write(*plain_stream_, request, [&](beast::error_code e, size_t) { ec = e; });
        run();
        if (ec) {
            fresh_failure = ec != beast::error::timeout;
            throw error_of(ec, "cannot send the request");
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(max_body);
        parser.header_limit(kMaxHeaderBytes);
        buffer_.clear();
        if (tls_stream_)
            http::async_read(*tls_stream_, buffer_, parser, [&](beast::error_code e, size_t) { ec = e; });
        else
            http::async_read(*plain_stream_, buffer_, parser, [&](beast::error_code e, size_t) { ec = e; });
        run();
        if (ec == http::error::body_limit)
            throw HttpError(HttpError::Kind::too_large,
                            origin_ + ": the answer is larger than the limit of " + std::to_string(max_body) + " bytes");
        if (ec) {
            fresh_failure = !parser.got_some() && ec != beast::error::timeout;
            throw error_of(ec, "cannot read the answer");
        }
        auto message = parser.release();
        HttpResponse response;
        response.status = message.result_int();
        for (const auto &field : message) {
            std::string name(field.name_string());
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            response.headers[name] = std::string(field.value());
        }
        response.body = std::move(message.body());
        reusable_ = message.keep_alive();
        return response;
    }

    bool reusable() const { return reusable_; }

private:
    // What escapes a handler (an answer Beast cannot store) fails this
    // request like a network error; the connection is not reused.
    void run() {
        ioc_.restart();
        guarded([&] { ioc_.run(); });
    }
    template <class Cancel>
    void run_until(std::chrono::steady_clock::time_point deadline, Cancel cancel) {
        ioc_.restart();
        guarded([&] { ioc_.run_until(deadline); });
        if (!ioc_.stopped()) {
            cancel();
            ioc_.restart();
            guarded([&] { ioc_.run(); });
        }
    }
    template <class Run>
    void guarded(Run &&run) {
        try {
            run();
        } catch (const HttpError &) {
            throw;
        } catch (const std::exception &e) {
            throw HttpError(HttpError::Kind::network, origin_ + ": the answer could not be read (" + e.what() + ")");
        }
    }

    HttpError error_of(const beast::error_code &ec, const std::string &what,
                       HttpError::Kind kind = HttpError::Kind::network) const {
        if (ec == beast::error::timeout || ec == net::error::operation_aborted)
            return HttpError(HttpError::Kind::timeout, origin_ + ": " + what + ": timed out");
        return HttpError(kind, origin_ + ": " + what + ": " + ec.message());
    }

    std::string origin_;
    std::string host_;
    net::io_context ioc_{1};
    std::shared_ptr<net::ssl::context> tls_context_;
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls_stream_;
    std::unique_ptr<beast::tcp_stream> plain_stream_;
    // As large as a header may be: a trailer that does not fit fails the
    // read (buffer_overflow) instead of growing it.
    beast::flat_buffer buffer_{kMaxHeaderBytes};
    bool reusable_ = false;
};

}  // namespace

class HttpClient::Pool {
public:
    explicit Pool(size_t max_idle) : max_idle_(max_idle) {}

    std::unique_ptr<Connection> take(const std::string &origin) {
        std::lock_guard lock(mutex_);
        auto &idle = idle_[origin];
        if (idle.empty()) return nullptr;
        auto connection = std::move(idle.back());
        idle.pop_back();
        return connection;
    }
    void give_back(std::unique_ptr<Connection> connection) {
        std::lock_guard lock(mutex_);
        auto &idle = idle_[connection->origin()];
        if (idle.size() < max_idle_) idle.push_back(std::move(connection));
    }
    std::shared_ptr<net::ssl::context> tls() {
        std::lock_guard lock(mutex_);
        if (!tls_) tls_ = make_tls_client_context();
        return tls_;
    }

private:
    std::mutex mutex_;
    size_t max_idle_;
    std::map<std::string, std::deque<std::unique_ptr<Connection>>> idle_;
    std::shared_ptr<net::ssl::context> tls_;
};

HttpClient::HttpClient(HttpClientOptions options)
    : options_(options), pool_(std::make_unique<Pool>(options.max_idle_per_origin)) {}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::send(const HttpRequest &request, std::optional<uint64_t> max_body_bytes) {
    std::string error;
    auto url = Url::parse(request.url, error);
    if (!url) throw HttpError(HttpError::Kind::bad_url, "bad URL: " + error);
    if (url->scheme != "http" && url->scheme != "https")
        throw HttpError(HttpError::Kind::bad_url, "bad URL: an HTTP request needs http:// or https://");
    const auto deadline = std::chrono::steady_clock::now() + options_.timeout;

    http::request<http::string_body> message;
    message.method(http::string_to_verb(request.method));
    if (message.method() == http::verb::unknown)
        throw HttpError(HttpError::Kind::bad_url, "unknown HTTP method " + request.method);
    message.target(url->target);
    message.version(11);
    const bool default_port = url->port == (url->tls() ? "443" : "80");
    message.set(http::field::host, default_port ? url->host : url->host + ":" + url->port);
    message.set(http::field::user_agent, "dlpd");
    for (const auto &[name, value] : request.headers) message.set(name, value);
    message.body() = request.body;
    message.prepare_payload();
    message.keep_alive(true);

    const uint64_t limit = max_body_bytes.value_or(options_.max_body_bytes);
    // A reused connection may have been closed by the server while idle: one
    // more try on a new connection, only when nothing of an answer came.
    for (int attempt = 0;; ++attempt) {
        auto connection = attempt == 0 ? pool_->take(url->origin()) : nullptr;
        const bool reused = connection != nullptr;
        if (!connection) {
            connection = std::make_unique<Connection>(*url, url->tls() ? pool_->tls() : nullptr);
            connection->connect(*url, deadline);
        }
        bool fresh_failure = false;
        try {
            HttpResponse response = connection->exchange(message, limit, deadline, fresh_failure);
            if (connection->reusable()) pool_->give_back(std::move(connection));
            return response;
        } catch (const HttpError &) {
            if (reused && fresh_failure) continue;
            throw;
        }
    }
}

}  // namespace dlpd::slack
