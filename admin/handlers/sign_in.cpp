// Signing in and out. The sign-in form has no session to tie a CSRF token
// to, so it carries a random token that must equal a SameSite=Strict cookie
// set with the form (a double-submit token): another site can neither read
// the cookie nor make the browser send it.
#include <cctype>
#include <string_view>

#include "admin/handlers/handlers.hpp"
#include "admin/html.hpp"
#include "log.hpp"
#include "admin/password_hash.hpp"

namespace dlpd {

namespace {

constexpr const char *kSignInCookie = "dlpd_sign_in";
constexpr int64_t kSignInFormSeconds = 3600;

constexpr size_t kMaxNextBytes = 2048;

// Only a path on this site ("/x", "/x?a=b"), of the characters a URL's path
// and query may hold unescaped, so no space, quote, backslash or control
// character; never "//host" or "/\host". Anything else is "/".
std::string safe_next(const std::string &next) {
    if (next.empty() || next[0] != '/' || next.size() > kMaxNextBytes) return "/";
    if (next.size() > 1 && next[1] == '/') return "/";
    constexpr std::string_view allowed = "-._~!$&'()*+,;=:@/?%";
    for (unsigned char c : next)
        if (!std::isalnum(c) && (c == 0 || allowed.find(static_cast<char>(c)) == std::string_view::npos)) return "/";
    return next;
}

void send_form(AdminRequest &r, int status, const std::string &name, const std::string &message) {
    const std::string token = random_token();
    r.set_cookie(kSignInCookie, token, kSignInFormSeconds);
    std::string body = "<div class=\"card signin\">";
    if (!message.empty()) body += html::notice("error", message);
    body += "<form method=\"post\" action=\"/sign-in\">"
            "<input type=\"hidden\" name=\"sign_in_token\" value=\"" + token + "\">"
            "<input type=\"hidden\" name=\"next\" value=\"" + html::escape(safe_next(r.param("next").empty() ? r.field("next") : r.param("next"))) + "\">"
            "<div class=\"field\"><label for=\"name\">User name</label>"
            "<input type=\"text\" id=\"name\" name=\"name\" autocomplete=\"username\" required autofocus value=\"" +
            html::escape(name) + "\"></div>"
            "<div class=\"field\"><label for=\"password\">Password</label>"
            "<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required></div>"
            "<button type=\"submit\">Sign in</button></form></div>";
    r.send_page(status, "Sign in", "", body);
}

}  // namespace

void SignInHandler::handle(AdminRequest &r) {
    if (!r.is_post()) {
        send_form(r, 200, "", "");
        return;
    }
    const std::string name = r.field("name");
    if (!r.cookies.has(kSignInCookie) || !constant_time_equal(r.field("sign_in_token"), r.cookies.get(kSignInCookie))) {
        send_form(r, 403, name, "The sign-in form expired. Please sign in again.");
        return;
    }
    if (auto wait = context_.throttle.refusal(name, r.address)) {
        context_.refused_sign_ins.note(r.address, "for '" + loggable(name) + "'");
        const auto seconds = std::chrono::ceil<std::chrono::seconds>(*wait).count();
        r.set_header("Retry-After", std::to_string(seconds));
        send_form(r, 429, name,
                  "Too many failed sign-ins. Try again in " +
                      (seconds < 120 ? std::to_string(seconds) + " second(s)."
                                     : std::to_string((seconds + 59) / 60) + " minute(s)."));
        return;
    }
    auto user = context_.services.store.admin_user(name);
    const std::string password = r.field("password");
    bool good = false;
    if (user && !user->disabled)
        good = verify_password(password, user->password_hash);
    else
        verify_password_for_unknown_user(password);
    if (!good) {
        context_.throttle.record_failure(name, r.address);
        context_.failed_sign_ins.note(r.address, "for '" + loggable(name) + "'");
        send_form(r, 401, name, "Wrong user name or password.");
        return;
    }
    context_.throttle.record_success(name, r.address);
    auto started = context_.sessions.start(*user);
    // No Max-Age: the cookie ends with the browser; the idle and absolute
    // expiry are the server's (SessionKeeper).
    r.set_cookie(kSessionCookie, started.id, std::nullopt);
    r.set_cookie(kSignInCookie, "", 0);
    context_.services.store.audit(user->name, "user.sign_in", user->name, "from " + r.address);
    log(LogLevel::info, "admin", "'" + user->name + "' signed in from " + r.address);
    r.redirect(safe_next(r.field("next")));
}

void SignOutHandler::handle(AdminRequest &r) {
    context_.sessions.end(r.cookies.get(kSessionCookie));
    r.set_cookie(kSessionCookie, "", 0);
    context_.services.store.audit(r.who->user.name, "user.sign_out", r.who->user.name, "");
    r.redirect("/sign-in");
}

}  // namespace dlpd
