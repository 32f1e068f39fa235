// How a Web API method of the double reads its arguments and writes its
// answer; shared by web_api.cpp and conversations_api.cpp. Defined in
// web_api.cpp. Pure functions: no workspace state, safe from any thread.
#ifndef DLPD_TESTS_SLACK_DOUBLE_API_ANSWERS_HPP
#define DLPD_TESTS_SLACK_DOUBLE_API_ANSWERS_HPP

#include <Poco/JSON/Object.h>

#include <string>

#include "workspace.hpp"

namespace dlpd::test::slack_double {

// An argument as text: "" when absent, numbers and booleans converted.
std::string arg(const Poco::JSON::Object &args, const std::string &name);
// A boolean argument as Slack reads one: JSON true, a non-zero number, or the
// text "true" / "1" (form bodies and query strings carry only text).
bool flag_arg(const Poco::JSON::Object &args, const std::string &name);

HttpAnswer json_answer(const Poco::JSON::Object::Ptr &body, unsigned status = 200);
// {"ok":false,"error":error}, recorded in the call.
HttpAnswer error_answer(ApiCall &call, const std::string &error, unsigned status = 200);

}  // namespace dlpd::test::slack_double

#endif
