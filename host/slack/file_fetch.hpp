// Fetching a Slack file for scanning: files.info when the event carried only
// the id (file_shared, Slack Connect stubs), then url_private_download with
// the bot token, with a size cap. A 200 HTML sign-in page in place of the
// file (what Slack sends when the token is missing or wrong) is detected and
// reported, never scanned as the file.
#ifndef DLPD_HOST_SLACK_FILE_FETCH_HPP
#define DLPD_HOST_SLACK_FILE_FETCH_HPP

#include <cstdint>
#include <string>

#include "slack/slack_event.hpp"
#include "slack/web_api.hpp"

namespace dlpd::slack {

struct FetchedFile {
    FileRef file;          // completed by files.info when needed
    std::string content;   // empty unless ok
    bool ok = false;
    bool interrupted = false;  // shutdown stopped it: try again later
    std::string problem;   // why not ok, for the log and the incident
    bool too_large = false;  // not ok because of slack.max_file_bytes: a limit, for policy.unscannable
};

FetchedFile fetch_file(WebApi &api, FileRef file, uint64_t max_bytes);

// True when an answer for a file that is not HTML is a web page instead.
bool looks_like_sign_in_page(const std::string &content_type, const std::string &body, const FileRef &file);

}  // namespace dlpd::slack

#endif
