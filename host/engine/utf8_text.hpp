// Text from files is whatever bytes they held; what dlpd writes as JSON must
// be valid UTF-8. Poco's JSON writer escapes quotes and control characters
// but copies bytes that are not UTF-8 through unchanged, so the writers pass
// every string through here first.
#ifndef DLPD_HOST_ENGINE_UTF8_TEXT_HPP
#define DLPD_HOST_ENGINE_UTF8_TEXT_HPP

#include <string>
#include <string_view>

namespace dlpd {

// s with each byte that does not start a valid UTF-8 sequence (overlong
// forms, surrogates, and code points above U+10FFFF included) replaced by
// U+FFFD.
std::string valid_utf8(std::string_view s);

}  // namespace dlpd

#endif
