#include "slack/web_api.hpp"

#include <Poco/JSON/Parser.h>

#include <random>
#include <sstream>

#include "slack/slack_metrics.hpp"

namespace dlpd::slack {

const char *token_name(Token token) {
    switch (token) {
    case Token::bot: return "bot token";
    case Token::user: return "user token";
    case Token::app: return "app-level token";
    }
    return "token";
}

std::string ApiResult::string_field(const std::string &name) const {
    if (!json || !json->has(name)) return {};
    const auto value = json->get(name);
    return value.isString() ? value.extract<std::string>() : std::string();
}

WebApi::WebApi(WebApiOptions options) : options_(std::move(options)), http_(options_.http) {
    if (!options_.api_url.empty() && options_.api_url.back() != '/') options_.api_url += '/';
}

const std::string &WebApi::token_value(Token token) const {
    switch (token) {
    case Token::bot: return options_.bot_token;
    case Token::user: return options_.user_token;
    case Token::app: return options_.app_token;
    }
    return options_.bot_token;
}

void WebApi::stop() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
}

bool WebApi::sleep_for(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, duration, [&] { return stopping_; });
}

bool WebApi::wait_for_method(const std::string &method) {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (stopping_) return false;
        auto it = blocked_until_.find(method);
        if (it == blocked_until_.end() || std::chrono::steady_clock::now() >= it->second) return true;
        wake_.wait_until(lock, it->second);
    }
}

std::chrono::milliseconds WebApi::backoff(int attempt) {
    thread_local std::mt19937 random{std::random_device{}()};
    const auto base = options_.retry_base.count() << std::min(attempt, 10);
    std::uniform_int_distribution<long long> jitter(base / 2, base);
    return std::chrono::milliseconds(jitter(random));
}

namespace {

ApiResult stopped(ApiResult result, const std::string &method) {
    result.ok = false;
    result.error = "stopping";
    result.detail = method + ": interrupted by shutdown";
    return result;
}

}  // namespace

std::string json_text(const Poco::JSON::Object &object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

ApiResult WebApi::call(const std::string &method, const std::string &json_body, Token token) {
    ApiResult result;
    const std::string &value = token_value(token);
    if (value.empty()) {
        result.error = "no_token";
        result.detail = std::string("no ") + token_name(token) + " is configured";
        return result;
    }
    HttpRequest request;
    request.url = options_.api_url + method;
    request.headers = {{"Authorization", "Bearer " + value},
                       {"Content-Type", "application/json; charset=utf-8"}};
    request.body = json_body;

    const std::string method_label = metrics::bounded_label(method);
    // Each HTTP request, with what came of it (a retried call counts each try).
    auto count = [&](std::string_view outcome, std::chrono::steady_clock::time_point began) {
        slack_metrics().api_calls.with({method_label, result_label(outcome)}).inc();
        slack_metrics().api_duration.with({method_label}).observe(seconds_since(began));
    };
    for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
        result.attempts = attempt + 1;
        if (!wait_for_method(method)) return stopped(result, method);
        HttpResponse response;
        const auto began = std::chrono::steady_clock::now();
        try {
            response = http_.send(request);
        } catch (const HttpError &e) {
            count("transport_error", began);
            result.error = "transport_error";
            result.detail = method + ": " + e.what();
            if (e.kind() == HttpError::Kind::bad_url) return result;
            if (attempt + 1 < options_.max_attempts && !sleep_for(backoff(attempt))) return stopped(result, method);
            continue;
        }
        result.http_status = response.status;
        result.granted_scopes = response.header("x-oauth-scopes");
        if (response.status == 429) {
            count("ratelimited", began);
            long long seconds = 30;
            try {
                seconds = std::stoll(response.header("retry-after"));
            } catch (const std::exception &) {
            }
            seconds = std::clamp<long long>(seconds, 0, options_.max_retry_after.count());
            {
                std::lock_guard lock(mutex_);
                blocked_until_[method] = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
            }
            result.error = "ratelimited";
            result.detail = method + ": rate limited by Slack, waiting " + std::to_string(seconds) + " s";
            continue;
        }
        if (response.status >= 500) {
            count("http_5xx", began);
            result.error = "http_status";
            result.detail = method + ": HTTP " + std::to_string(response.status);
            if (attempt + 1 < options_.max_attempts && !sleep_for(backoff(attempt))) return stopped(result, method);
            continue;
        }
        try {
            Poco::JSON::Parser parser;
            result.json = parser.parse(response.body).extract<Poco::JSON::Object::Ptr>();
        } catch (const std::exception &) {
            result.json = nullptr;
        }
        if (!result.json) {
            count("not_json", began);
            result.error = "http_status";
            result.detail = method + ": HTTP " + std::to_string(response.status) + " without a JSON object";
            return result;
        }
        result.ok = result.json->optValue<bool>("ok", false);
        result.error = result.ok ? "" : result.string_field("error");
        if (!result.ok && result.error.empty()) result.error = "unknown_error";
        result.detail = result.ok ? "" : method + ": " + result.error;
        count(result.ok ? "ok" : result.error, began);
        return result;
    }
    return result;  // every try used: the last failure
}

HttpResponse WebApi::download(const std::string &url, Token token, uint64_t max_bytes) {
    HttpRequest request;
    request.method = "GET";
    request.url = url;
    const std::string &value = token_value(token);
    if (!value.empty()) request.headers = {{"Authorization", "Bearer " + value}};
    for (int attempt = 0;; ++attempt) {
        try {
            HttpResponse response = http_.send(request, max_bytes);
            if (response.status < 500 || attempt + 1 >= options_.max_attempts) return response;
        } catch (const HttpError &e) {
            if (e.kind() == HttpError::Kind::too_large || e.kind() == HttpError::Kind::bad_url ||
                attempt + 1 >= options_.max_attempts)
                throw;
        }
        if (!sleep_for(backoff(attempt))) throw HttpError(HttpError::Kind::network, "download interrupted by shutdown");
    }
}

}  // namespace dlpd::slack
