#include "config/database_url.hpp"

#include <charconv>

namespace dlpd {

namespace {

// %XX decoding for user names and passwords that contain URL syntax.
std::optional<std::string> percent_decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out.push_back(s[i]);
            continue;
        }
        if (i + 2 >= s.size()) return std::nullopt;
        int v = 0;
        auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
        if (ec != std::errc() || p != s.data() + i + 3) return std::nullopt;
        out.push_back(static_cast<char>(v));
        i += 2;
    }
    return out;
}

// Poco's MySQL connection string is KEY=VALUE;... : a value may not hold ';'.
bool safe_for_connection_string(const std::string &s) { return s.find(';') == std::string::npos; }

}  // namespace

std::string DatabaseUrl::redacted() const {
    if (dialect == Dialect::sqlite) return "sqlite:" + path;
    return "mysql://" + user + (password.empty() ? "" : ":***") + "@" + host + ":" + std::to_string(port) + "/" +
           database;
}

std::string DatabaseUrl::connection_string() const {
    if (dialect == Dialect::sqlite) return path;
    return "host=" + host + ";port=" + std::to_string(port) + ";user=" + user + ";password=" + password +
           ";db=" + database + ";compress=false;auto-reconnect=true;protocol=tcp;character-set=utf8mb4";
}

std::optional<DatabaseUrl> parse_database_url(const std::string &url, std::string &error) {
    DatabaseUrl out;
    if (url.rfind("sqlite:", 0) == 0) {
        out.dialect = DatabaseUrl::Dialect::sqlite;
        out.path = url.substr(7);
        if (out.path.rfind("//", 0) == 0) out.path = out.path.substr(2);  // sqlite://PATH as well
        if (out.path.empty()) {
            error = "database.url 'sqlite:' needs a file path, e.g. sqlite:/var/lib/dlpd/dlpd.db";
            return std::nullopt;
        }
        return out;
    }
    if (url.rfind("mysql://", 0) != 0 && url.rfind("mariadb://", 0) != 0) {
        error = "database.url must start with sqlite: or mysql://";
        return std::nullopt;
    }
    out.dialect = DatabaseUrl::Dialect::mysql;
    std::string rest = url.substr(url.find("://") + 3);
    const size_t at = rest.rfind('@');
    const size_t slash = rest.find('/', at == std::string::npos ? 0 : at);
    if (at == std::string::npos || slash == std::string::npos) {
        error = "database.url must look like mysql://USER:PASSWORD@HOST:PORT/DATABASE";
        return std::nullopt;
    }
    const std::string credentials = rest.substr(0, at);
    const std::string hostport = rest.substr(at + 1, slash - at - 1);
    out.database = rest.substr(slash + 1);
    const size_t colon = credentials.find(':');
    auto user = percent_decode(credentials.substr(0, colon));
    auto password = colon == std::string::npos ? std::optional<std::string>("")
                                               : percent_decode(credentials.substr(colon + 1));
    if (!user || !password || user->empty()) {
        error = "database.url has a malformed user or password (use %XX for special characters)";
        return std::nullopt;
    }
    out.user = *user;
    out.password = *password;
    const size_t port_colon = hostport.rfind(':');
    out.host = hostport.substr(0, port_colon);
    if (port_colon != std::string::npos) {
        const std::string port = hostport.substr(port_colon + 1);
        unsigned v = 0;
        auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
        if (ec != std::errc() || p != port.data() + port.size() || v == 0 || v > 65535) {
            error = "database.url has an invalid port '" + port + "'";
            return std::nullopt;
        }
        out.port = static_cast<uint16_t>(v);
    }
    if (out.host.empty() || out.database.empty()) {
        error = "database.url needs a host and a database name: mysql://USER:PASSWORD@HOST:PORT/DATABASE";
        return std::nullopt;
    }
    if (!safe_for_connection_string(out.user) || !safe_for_connection_string(out.password) ||
        !safe_for_connection_string(out.host) || !safe_for_connection_string(out.database)) {
        error = "database.url may not contain ';' in its user, password, host or database";
        return std::nullopt;
    }
    return out;
}

}  // namespace dlpd
