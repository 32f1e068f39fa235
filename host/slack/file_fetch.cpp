#include "slack/file_fetch.hpp"

#include <algorithm>
#include <cctype>


namespace dlpd::slack {

bool looks_like_sign_in_page(const std::string &content_type, const std::string &body, const FileRef &file) {
    std::string type = file.mimetype + " " + file.filetype;
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    if (type.find("html") != std::string::npos) return false;  // the file is a web page itself
    std::string answer = content_type;
    std::transform(answer.begin(), answer.end(), answer.begin(), [](unsigned char c) { return std::tolower(c); });
    if (answer.find("text/html") != std::string::npos) return true;
    std::string head = body.substr(0, 512);
    std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
    const auto start = head.find_first_not_of(" \t\r\n\xef\xbb\xbf");
    if (start == std::string::npos) return false;
    return head.compare(start, 9, "<!doctype") == 0 || head.compare(start, 5, "<html") == 0;
}

FetchedFile fetch_file(WebApi &api, FileRef file, uint64_t max_bytes) {
    FetchedFile out;
    if (file.needs_info() || file.mode == "file_access") {
        Poco::JSON::Object args = json_object();
        args.set("file", file.id);
        ApiResult info = api.call("files.info", args, Token::bot);
        if (!info.ok) {
            out.file = file;
            out.interrupted = info.error == "stopping";
            out.problem = "files.info failed: " + info.error;
            return out;
        }
        try {
            const std::string id = file.id;
            file = read_file_object(info.json->getObject("file"));
            if (file.id.empty()) file.id = id;
        } catch (const std::exception &) {
            out.file = file;
            out.problem = "files.info answered without a file object";
            return out;
        }
    }
    out.file = file;
    if (file.mode == "external") {
        out.problem = "an external file (stored outside Slack): not downloaded";
        return out;
    }
    if (file.size >= 0 && static_cast<uint64_t>(file.size) > max_bytes) {
        out.problem = "larger (" + std::to_string(file.size) + " bytes) than slack.max_file_bytes; not downloaded";
        out.too_large = true;
        return out;
    }
    const std::string &url = file.url_private_download.empty() ? file.url_private : file.url_private_download;
    if (url.empty()) {
        out.problem = "no download URL";
        return out;
    }
    HttpResponse response;
    try {
        response = api.download(url, Token::bot, max_bytes);
    } catch (const HttpError &e) {
        out.interrupted = std::string(e.what()).find("shutdown") != std::string::npos;
        out.too_large = e.kind() == HttpError::Kind::too_large;
        out.problem = out.too_large ? "larger than slack.max_file_bytes; not scanned"
                                    : std::string("download failed: ") + e.what();
        return out;
    }
    if (response.status != 200) {
        out.problem = "download failed: HTTP " + std::to_string(response.status) +
                      (response.status / 100 == 3 ? " (a redirect: the token may lack files:read)" : "");
        return out;
    }
    if (looks_like_sign_in_page(response.header("content-type"), response.body, file)) {
        out.problem = "Slack answered the download with a web page (a sign-in page) instead of the file: the bot "
                      "token is missing, wrong, or lacks files:read";
        return out;
    }
    out.content = std::move(response.body);
    out.ok = true;
    return out;
}

}  // namespace dlpd::slack
