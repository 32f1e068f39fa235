// Showing the JSON an incident keeps (actions decided, their results) to
// people: objects as definition lists, arrays as lists, every value escaped.
#ifndef DLPD_ADMIN_JSON_VIEW_HPP
#define DLPD_ADMIN_JSON_VIEW_HPP

#include <string>

namespace dlpd {

// HTML for a JSON text; text that is not JSON is shown as it is, escaped.
std::string json_to_html(const std::string &json_text);

// "failed" when any action's result is neither "ok" nor "already gone" (the
// Slack client's record, {"delete":"ok","notify":"not_in_channel"}), or a
// nested result says ok: false or carries an error; "none" for an empty
// record; else "ok".
std::string result_summary(const std::string &action_results_json);

}  // namespace dlpd

#endif
