#include "admin/admin_handler.hpp"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "admin/connection_guard.hpp"
#include "admin/html.hpp"
#include "log.hpp"
#include "admin/password_hash.hpp"

namespace dlpd {

namespace {

// A policy with no inline script or style at all: pages are HTML and one
// stylesheet; forms post to this origin only; no framing.
constexpr const char *kContentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'";

struct RequestTooLarge {};
// A form over admin.max_fields or admin.max_field_bytes, or one that is not
// url-encoded: the message says which.
struct FormRefused {
    int status;
    std::string message;
};

// The body, at most max bytes; RequestTooLarge past that.
std::string read_body(Poco::Net::HTTPServerRequest &request, size_t max) {
    if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(max))
        throw RequestTooLarge{};
    std::string body;
    char buffer[8192];
    std::istream &in = request.stream();
    while (in) {
        in.read(buffer, sizeof buffer);
        body.append(buffer, static_cast<size_t>(in.gcount()));
        if (body.size() > max) throw RequestTooLarge{};
    }
    return body;
}

// Reads an application/x-www-form-urlencoded body into form, with Poco's
// HTMLForm and its limits. Only the body: HTMLForm::load would also take a
// POST's query string as form data, and a CSRF token (or any field) in the
// URL must be ignored, so the body is given to HTMLForm::read alone.
void read_form(const std::string &body, size_t max_fields, size_t max_field_bytes, Poco::Net::NameValueCollection &form) {
    Poco::Net::HTMLForm parsed;  // url-encoded unless told otherwise
    parsed.setFieldLimit(static_cast<int>(max_fields));
    parsed.setValueLengthLimit(static_cast<int>(max_field_bytes));
    try {
        parsed.read(body);
    } catch (const Poco::Net::HTMLFormException &e) {
        // "Too many form fields", or a name or value over the length limit.
        if (e.message().find("Too many") != std::string::npos)
            throw FormRefused{413, "The form has more than admin.max_fields (" + std::to_string(max_fields) +
                                       ") fields."};
        throw FormRefused{413, "A form field is larger than admin.max_field_bytes (" + std::to_string(max_field_bytes) +
                                   " bytes)."};
    }
    for (const auto &[name, value] : parsed) form.add(name, value);
}

bool method_allowed(Methods methods, const std::string &method) {
    switch (methods) {
    case Methods::get: return method == "GET" || method == "HEAD";
    case Methods::post: return method == "POST";
    case Methods::get_and_post: return method == "GET" || method == "HEAD" || method == "POST";
    }
    return false;
}

bool is_token_char(unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::set<std::string> parse_trusted_proxies(const std::string &list) {
    std::set<std::string> out;
    Poco::StringTokenizer entries(list, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto &entry : entries) {
        Poco::Net::IPAddress ip;
        if (Poco::Net::IPAddress::tryParse(entry, ip)) out.insert(ip.toString());
    }
    return out;
}

std::string client_address(const std::string &peer, const std::vector<std::string> &forwarded_for,
                           const std::set<std::string> &trusted) {
    if (!trusted.contains(peer)) return peer;
    std::vector<std::string> hops;  // in the order the proxies appended them
    for (const auto &header : forwarded_for) {
        Poco::StringTokenizer entries(header, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
        hops.insert(hops.end(), entries.begin(), entries.end());
    }
    // From the right: each trusted proxy names who connected to it; the
    // first address a trusted proxy did not itself add is the client.
    std::string client = peer;
    for (auto it = hops.rbegin(); it != hops.rend() && trusted.contains(client); ++it) {
        Poco::Net::IPAddress ip;
        if (!Poco::Net::IPAddress::tryParse(*it, ip)) break;  // not an address: the last good hop stands
        client = ip.toString();
    }
    return client;
}

void set_response_header(Poco::Net::HTTPResponse &response, const std::string &name, const std::string &value,
                         bool add) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](unsigned char c) { return is_token_char(c); }))
        throw std::invalid_argument("a response header name that is not an HTTP token was refused");
    if (std::any_of(value.begin(), value.end(), [](unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7F; }))
        throw std::invalid_argument("a response header value with a control character was refused");
    if (add)
        response.add(name, value);
    else
        response.set(name, value);
}

AdminRequest::AdminRequest(AdminContext &context_in, Poco::Net::HTTPServerRequest &request,
                           Poco::Net::HTTPServerResponse &response_in)
    : context(context_in), http(request), response(response_in) {
    const Poco::URI uri(request.getURI());
    path = uri.getPath();
    for (const auto &[name, value] : uri.getQueryParameters()) query.add(name, value);
    request.getCookies(cookies);
    std::vector<std::string> forwarded;
    for (auto it = request.find("X-Forwarded-For"); it != request.end() && Poco::icompare(it->first, "X-Forwarded-For") == 0;
         ++it)
        forwarded.push_back(it->second);
    address = client_address(request.clientAddress().host().toString(), forwarded, context.trusted_proxies);
}

bool AdminRequest::is_post() const { return http.getMethod() == "POST"; }

std::string AdminRequest::param(const std::string &name) const { return query.get(name, ""); }

std::string AdminRequest::field(const std::string &name) const { return form.get(name, ""); }

std::vector<std::string> AdminRequest::fields(const std::string &name) const {
    std::vector<std::string> out;
    for (auto it = form.find(name); it != form.end() && it->first == name; ++it) out.push_back(it->second);
    return out;
}

void AdminRequest::send(int status, const std::string &content_type, const std::string &body) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType(content_type);
    response.setContentLength64(static_cast<Poco::UInt64>(body.size()));
    std::ostream &out = response.send();
    if (http.getMethod() != "HEAD") out << body;
}

void AdminRequest::send_page(int status, const std::string &title, const std::string &section,
                             const std::string &body) {
    send(status, "text/html; charset=utf-8", html::page(title, section, who ? &*who : nullptr, body));
}

void AdminRequest::send_error_page(int status, const std::string &title, const std::string &message) {
    send_page(status, title, "", "<div class=\"card\"><p>" + html::escape(message) +
                                     "</p><p><a href=\"/\">Back to the dashboard</a></p></div>");
}

void AdminRequest::set_header(const std::string &name, const std::string &value) {
    set_response_header(response, name, value);
}

void AdminRequest::redirect(const std::string &location) {
    set_header("Location", location);
    send(303, "text/plain; charset=utf-8", "See " + location + "\n");
}

void AdminRequest::set_cookie(const std::string &name, const std::string &value,
                              std::optional<int64_t> max_age_seconds) {
    std::string cookie = name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
    if (max_age_seconds) cookie += "; Max-Age=" + std::to_string(*max_age_seconds);
    if (context.tls) cookie += "; Secure";
    set_response_header(response, "Set-Cookie", cookie, true);
}

AdminHandler::AdminHandler(AdminContext &context, Access access, Methods methods)
    : context_(context), access_(access), methods_(methods) {}

void AdminHandler::handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) {
    ConnectionGuard::header_read();
    // However this request ends, the connection's next header has its deadline.
    struct Answered {
        ~Answered() { ConnectionGuard::answered(); }
    } answered;
    AdminRequest r(context_, request, response);
    r.set_header("Content-Security-Policy", kContentSecurityPolicy);
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("X-Frame-Options", "DENY");
    r.set_header("Referrer-Policy", "no-referrer");
    r.set_header("Cache-Control", "no-store");
    if (context_.tls && context_.options.hsts_max_age_seconds > 0)
        r.set_header("Strict-Transport-Security", "max-age=" + std::to_string(context_.options.hsts_max_age_seconds));
    try {
        if (!method_allowed(methods_, request.getMethod())) {
            r.set_header("Allow", methods_ == Methods::post ? "POST" : methods_ == Methods::get ? "GET, HEAD" : "GET, HEAD, POST");
            r.send_error_page(405, "Method not allowed", "This page does not take " + request.getMethod() + " requests.");
            return;
        }
        if (r.is_post()) {
            const std::string body = read_body(request, static_cast<size_t>(context_.options.max_request_bytes));
            const std::string type = Poco::toLower(request.getContentType());
            if (!body.empty() && !type.starts_with("application/x-www-form-urlencoded"))
                throw FormRefused{415, "The admin's forms are sent as application/x-www-form-urlencoded."};
            read_form(body, static_cast<size_t>(context_.options.max_fields),
                      static_cast<size_t>(context_.options.max_field_bytes), r.form);
        }
        ConnectionGuard::body_read();
        if (access_ != Access::anyone) {
            if (r.cookies.has(kSessionCookie)) r.who = context_.sessions.find(r.cookies.get(kSessionCookie));
            if (!r.who) {
                const std::string uri = request.getURI();
                r.redirect(r.is_post() ? "/sign-in" : "/sign-in?next=" + html::url_encode(uri));
                return;
            }
            if (access_ == Access::admin && !r.who->is_admin()) {
                r.send_error_page(403, "Not allowed", "This needs the admin role; you are signed in as a viewer.");
                return;
            }
            if (r.is_post() && !constant_time_equal(r.field("csrf"), r.who->session.csrf_token)) {
                r.send_error_page(403, "Form expired",
                                  "The form was not sent from this session (its security token is missing or "
                                  "stale). Go back, reload the page and try again.");
                return;
            }
        }
        handle(r);
    } catch (const FormRefused &refused) {
        response.setKeepAlive(false);
        r.send_error_page(refused.status, refused.status == 413 ? "Form too large" : "Form not understood",
                          refused.message);
    } catch (const RequestTooLarge &) {
        response.setKeepAlive(false);
        r.send_error_page(413, "Request too large",
                          "The request is larger than admin.max_request_bytes (" +
                              std::to_string(context_.options.max_request_bytes) + " bytes).");
    } catch (const std::exception &e) {
        log(LogLevel::error, "admin", std::string(request.getMethod()) + " " + r.path + " failed: " + e.what());
        if (!response.sent()) r.send_error_page(500, "Something went wrong", "The request failed; the log says why.");
    }
}

}  // namespace dlpd
