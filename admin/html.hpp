// Writing the admin's HTML: escaping for each context, the page frame every
// page shares (head, navigation, who is signed in), and small pieces that
// recur (a form's CSRF field, times, select options). Every value that comes
// from a request, the store or Slack goes through escape() or url_encode().
#ifndef DLPD_ADMIN_HTML_HPP
#define DLPD_ADMIN_HTML_HPP

#include <cstdint>
#include <string>
#include <string_view>

namespace dlpd {

struct SignedIn;

namespace html {

// For HTML text and quoted attribute values: & < > " ' become references.
std::string escape(std::string_view text);

// For one query-string component: everything but unreserved characters is
// percent-encoded.
std::string url_encode(std::string_view text);

// An http(s) URL fit for an href, escaped; empty for any other scheme
// (javascript:, data:, ...) or a URL with control characters.
std::string safe_link(std::string_view url);

// "2024-04-05 12:34:56 UTC".
std::string format_time(int64_t ms_since_epoch);
// "2024-04-05" (UTC).
std::string format_date(int64_t ms_since_epoch);
// Midnight UTC of a "YYYY-MM-DD" date in ms; -1 when it is not such a date.
int64_t parse_date(std::string_view text);

// <input type="hidden" name="csrf" ...> for a form posted by who.
std::string csrf_field(const SignedIn &who);

// <option value="value" [selected]>label</option>
std::string option(std::string_view value, std::string_view label, bool selected);

// A whole page: the shared head and navigation (section names the current
// item: dashboard, patterns, incidents, users, audit), the title as <h1>,
// then body. who is null on the sign-in page.
std::string page(std::string_view title, std::string_view section, const SignedIn *who, std::string_view body);

// A notice box ("ok", "error", "info").
std::string notice(std::string_view kind, std::string_view text);

}  // namespace html

// The stylesheet, served at /static/admin.css (compiled in).
std::string_view admin_stylesheet();

}  // namespace dlpd

#endif
