// The Slack Web API: every call goes to api_url + METHOD as a JSON body with
// `Authorization: Bearer TOKEN`. `ok:false` is a failure with Slack's error
// code; HTTP 429 waits for Retry-After before that method is called again
// (other methods go on); network errors and 5xx answers are retried with
// jittered exponential backoff; every request has a timeout.
//
// Thread-safe. Tokens never appear in a message or a log line.
#ifndef DLPD_HOST_SLACK_WEB_API_HPP
#define DLPD_HOST_SLACK_WEB_API_HPP

#include <Poco/JSON/Object.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "slack/http_client.hpp"

namespace dlpd::slack {

enum class Token { bot, user, app };
const char *token_name(Token token);

struct WebApiOptions {
    std::string api_url = "https://slack.com/api/";  // ends with '/'
    std::string bot_token, user_token, app_token;
    HttpClientOptions http;
    // Tries per call for network errors, 5xx and 429 together.
    int max_attempts = 5;
    // First backoff after a network error or 5xx; doubles, with jitter.
    std::chrono::milliseconds retry_base{500};
    // A Retry-After longer than this is cut to it.
    std::chrono::seconds max_retry_after{300};
};

struct ApiResult {
    bool ok = false;
    // Slack's error code, or one of dlpd's: "transport_error" (no answer
    // after every try), "http_status" (an answer that is not Slack's JSON),
    // "stopping" (shutdown interrupted a wait), "no_token".
    std::string error;
    std::string detail;  // for the log: what happened, never a token
    unsigned http_status = 0;
    int attempts = 0;
    Poco::JSON::Object::Ptr json;  // the answer when it was JSON
    // Slack's x-oauth-scopes header: the scopes the token was granted,
    // comma-separated as sent (empty when Slack did not say).
    std::string granted_scopes;

    std::string string_field(const std::string &name) const;
};

// An object as compact JSON text: what every request body and Socket Mode
// ack is made of.
std::string json_text(const Poco::JSON::Object &object);

// An empty object that writes its keys in the order they were set.
inline Poco::JSON::Object json_object() { return Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

class WebApi {
public:
    explicit WebApi(WebApiOptions options);

    // Calls METHOD with json_body (a JSON object's text) and the token.
    ApiResult call(const std::string &method, const std::string &json_body, Token token);
    // The same with the arguments as an object, written by Poco's JSON writer.
    ApiResult call(const std::string &method, const Poco::JSON::Object &arguments, Token token) {
        return call(method, json_text(arguments), token);
    }

    // GET a file's URL with the token as Bearer (Slack's url_private), with
    // the same retries. Throws HttpError when no answer came.
    HttpResponse download(const std::string &url, Token token, uint64_t max_bytes);

    bool has_token(Token token) const { return !token_value(token).empty(); }
    const WebApiOptions &options() const { return options_; }

    // Interrupts every wait (backoff, Retry-After): calls return "stopping".
    void stop();

private:
    const std::string &token_value(Token token) const;
    // Waits until `method` may be called again; false when stopping.
    bool wait_for_method(const std::string &method);
    bool sleep_for(std::chrono::milliseconds duration);
    std::chrono::milliseconds backoff(int attempt);

    WebApiOptions options_;
    HttpClient http_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::map<std::string, std::chrono::steady_clock::time_point> blocked_until_;
};

}  // namespace dlpd::slack

#endif
