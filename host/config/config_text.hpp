// The text-level pieces of reading dlpd.yaml: ${VAR} substitution, the
// shape checks of addresses and URLs, and hints for messages. Internal to
// config.cpp; separate so each can be tested and read on its own.
#ifndef DLPD_HOST_CONFIG_CONFIG_TEXT_HPP
#define DLPD_HOST_CONFIG_CONFIG_TEXT_HPP

#include <string>
#include <string_view>
#include <vector>

namespace dlpd {

// Replaces ${VAR} with the environment variable VAR (an error when it is not
// set; set and empty gives ""), ${VAR:-default} with VAR, or default when VAR
// is unset or empty, and $$ with $. Any other $ stays as it is. On error
// returns false with error naming the variable, never a value.
bool substitute_environment(std::string_view text, std::string &out, std::string &error);

// HOST:PORT, the host a name, an IPv4 address or [IPv6], the port 0..65535.
// Returns the problem, naming the value as shown ("'x'"), or empty.
std::string check_listen_address(std::string_view value, std::string_view shown);

// http:// or https://, a host, and a trailing /. Returns the problem, naming
// the value as shown, or empty.
std::string check_http_url(std::string_view value, std::string_view shown);

// The path ("database.url") of the last block-mapping key that begins before
// the 0-based line and column: where a YAML syntax error most likely is, as
// yaml-cpp reports errors where it noticed them, often a line late. Found by
// indentation; empty when there is none.
std::string key_before(std::string_view text, int line, int column);

// The known word closest to word within two edits, for "did you mean";
// empty when none is that close.
std::string closest_word(const std::string &word, const std::vector<std::string> &known);

}  // namespace dlpd

#endif
