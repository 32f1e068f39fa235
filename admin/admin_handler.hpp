// The common shape of every admin handler. handleRequest() does what every
// request needs, in this order, and only then calls handle():
//   1. security headers (CSP without inline script, frame-ancestors 'none',
//      nosniff, Referrer-Policy, no-store; Strict-Transport-Security under
//      TLS);
//   2. the method is one the resource takes (else 405);
//   3. the body is read up to admin.max_request_bytes (else 413) and parsed
//      as a url-encoded form of at most admin.max_fields fields of at most
//      admin.max_field_bytes each (else 413); only the body, never the
//      query string, is form data;
//   4. the session cookie is resolved; a resource that needs a session
//      redirects to the sign-in page without one, and one for admins answers
//      403 to a viewer;
//   5. every POST to a signed-in resource carries the session's CSRF token
//      (else 403).
// An exception from handle() becomes a 500 page and a log line.
//
// Every response header goes through set_response_header(), which refuses a
// name or a value with a control character: no input, wherever a handler
// puts it, can end a header line and start another.
#ifndef DLPD_ADMIN_ADMIN_HANDLER_HPP
#define DLPD_ADMIN_ADMIN_HANDLER_HPP

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "admin/admin_context.hpp"

namespace dlpd {

// Who may use a resource.
enum class Access { anyone, signed_in, admin };
// Which methods it takes.
enum class Methods { get, post, get_and_post };

inline constexpr const char *kSessionCookie = "dlpd_session";

// The client's address: the peer's, or, when the peer is one of the trusted
// proxies (admin.trusted_proxies), what the X-Forwarded-For headers say,
// read from the right past every trusted proxy. An entry that is not an
// address ends the walk at the last trusted hop.
std::string client_address(const std::string &peer, const std::vector<std::string> &forwarded_for,
                           const std::set<std::string> &trusted);

// Sets (or, with add, adds another) response header. Throws
// std::invalid_argument, naming neither, when the name is not an HTTP token
// or the value holds a control character (CR, LF, NUL, DEL, ...; a tab is
// allowed).
void set_response_header(Poco::Net::HTTPResponse &response, const std::string &name, const std::string &value,
                         bool add = false);

// One request, as the handlers see it.
class AdminRequest {
public:
    AdminRequest(AdminContext &context, Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response);

    AdminContext &context;
    Poco::Net::HTTPServerRequest &http;
    std::string path;
    Poco::Net::NameValueCollection query;  // from the URL
    Poco::Net::NameValueCollection form;   // from a POST body
    Poco::Net::NameValueCollection cookies;
    std::optional<SignedIn> who;           // set for Access::signed_in and admin
    std::string address;                   // the client's IP address (client_address())

    bool is_post() const;
    // A query (GET) or form (POST) value; empty when absent.
    std::string param(const std::string &name) const;
    std::string field(const std::string &name) const;
    // Every value of a repeated form field, in order.
    std::vector<std::string> fields(const std::string &name) const;

    // A header for the response (through set_response_header()).
    void set_header(const std::string &name, const std::string &value);

    // Responses. Each sends at once; send nothing else afterwards.
    void send_page(int status, const std::string &title, const std::string &section, const std::string &body);
    void send(int status, const std::string &content_type, const std::string &body);
    // 303 See Other: after a POST, the browser GETs location.
    void redirect(const std::string &location);
    void send_error_page(int status, const std::string &title, const std::string &message);
    // A Set-Cookie header for the next response (HttpOnly, SameSite=Strict,
    // Path=/, Secure over TLS). Without max_age_seconds the cookie ends
    // with the browser; 0 deletes it.
    void set_cookie(const std::string &name, const std::string &value, std::optional<int64_t> max_age_seconds);

private:
    friend class AdminHandler;
    Poco::Net::HTTPServerResponse &response;
};

class AdminHandler : public Poco::Net::HTTPRequestHandler {
public:
    AdminHandler(AdminContext &context, Access access, Methods methods);
    void handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) final;

protected:
    virtual void handle(AdminRequest &request) = 0;
    AdminContext &context_;

private:
    Access access_;
    Methods methods_;
};

}  // namespace dlpd

#endif
