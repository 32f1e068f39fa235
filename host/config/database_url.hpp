// database.url: "sqlite:PATH" or "mysql://USER:PASS@HOST:PORT/DB". The
// password lives only in this struct and the connection string handed to
// the driver; everything printable goes through redacted().
#ifndef DLPD_HOST_CONFIG_DATABASE_URL_HPP
#define DLPD_HOST_CONFIG_DATABASE_URL_HPP

#include <cstdint>
#include <optional>
#include <string>

namespace dlpd {

struct DatabaseUrl {
    enum class Dialect { sqlite, mysql };
    Dialect dialect = Dialect::sqlite;
    std::string path;  // sqlite
    std::string user, password, host, database;
    uint16_t port = 3306;

    // The URL with the password replaced by ***: safe for logs and errors.
    std::string redacted() const;
    // The Poco::Data connector name and connection string.
    std::string connector() const { return dialect == Dialect::sqlite ? "SQLite" : "MySQL"; }
    std::string connection_string() const;
};

// Parses a URL; on failure returns nothing and sets error (which never
// contains the password).
std::optional<DatabaseUrl> parse_database_url(const std::string &url, std::string &error);

}  // namespace dlpd

#endif
