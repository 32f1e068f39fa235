#include "admin/json_view.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <optional>

#include "admin/html.hpp"

namespace dlpd {

namespace {

constexpr int kMaxDepth = 16;

std::string value_html(const Poco::Dynamic::Var &value, int depth) {
    if (depth > kMaxDepth) return "…";
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
        const auto object = value.extract<Poco::JSON::Object::Ptr>();
        if (object->size() == 0) return "<span class=\"muted\">(none)</span>";
        std::string out = "<dl class=\"facts\">";
        for (const auto &[key, inner] : *object)
            out += "<dt>" + html::escape(key) + "</dt><dd>" + value_html(inner, depth + 1) + "</dd>";
        return out + "</dl>";
    }
    if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
        const auto array = value.extract<Poco::JSON::Array::Ptr>();
        if (array->size() == 0) return "<span class=\"muted\">(none)</span>";
        std::string out = "<ul>";
        for (const auto &inner : *array) out += "<li>" + value_html(inner, depth + 1) + "</li>";
        return out + "</ul>";
    }
    if (value.isEmpty()) return "<span class=\"muted\">null</span>";
    if (value.type() == typeid(bool)) return value.extract<bool>() ? "yes" : "no";
    return html::escape(value.convert<std::string>());
}

// The results dlpd's actions record when they worked (host/slack/message_actions.hpp).
bool succeeded(const std::string &result) { return result == "ok" || result == "already gone"; }

bool failed(const Poco::Dynamic::Var &value, int depth) {
    if (depth > kMaxDepth) return false;
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
        const auto object = value.extract<Poco::JSON::Object::Ptr>();
        if (object->has("ok") && object->get("ok").type() == typeid(bool) && !object->get("ok").extract<bool>())
            return true;
        if (object->has("error") && !object->get("error").isEmpty() && object->get("error").toString() != "") return true;
        for (const auto &[key, inner] : *object) {
            // dlpd's own record: {"delete":"ok","notify":"cant_delete_message"}.
            if (inner.isString() && !succeeded(inner.extract<std::string>())) return true;
            if (failed(inner, depth + 1)) return true;
        }
    } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
        for (const auto &inner : *value.extract<Poco::JSON::Array::Ptr>())
            if (failed(inner, depth + 1)) return true;
    }
    return false;
}

std::optional<Poco::Dynamic::Var> parse(const std::string &text) {
    try {
        Poco::JSON::Parser parser;
        return parser.parse(text);
    } catch (const Poco::Exception &) {
        return std::nullopt;
    }
}

}  // namespace

std::string json_to_html(const std::string &json_text) {
    auto value = parse(json_text);
    if (!value) return "<pre>" + html::escape(json_text) + "</pre>";
    return value_html(*value, 0);
}

std::string result_summary(const std::string &action_results_json) {
    auto value = parse(action_results_json);
    if (!value) return "ok";
    if (value->type() == typeid(Poco::JSON::Object::Ptr) && value->extract<Poco::JSON::Object::Ptr>()->size() == 0)
        return "none";
    return failed(*value, 0) ? "failed" : "ok";
}

}  // namespace dlpd
