// Writing JSON strings: the one escaping routine every output uses.
#ifndef DLPD_HOST_JSON_TEXT_HPP
#define DLPD_HOST_JSON_TEXT_HPP

#include <string>
#include <string_view>

namespace dlpd {

// Appends s as a quoted JSON string. Invalid UTF-8 bytes become U+FFFD, so
// the output is always valid JSON whatever a file contained.
void append_json_string(std::string &out, std::string_view s);

inline std::string json_string(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

}  // namespace dlpd

#endif
