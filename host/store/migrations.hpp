// The schema, as an append-only list of migrations. A published migration
// is never edited: a change is a new migration at the end.
#ifndef DLPD_HOST_STORE_MIGRATIONS_HPP
#define DLPD_HOST_STORE_MIGRATIONS_HPP

#include <string>
#include <vector>

#include "config/database_url.hpp"

namespace dlpd {

struct Migration {
    int version;
    std::string name;
    // Statements for this dialect, in order.
    std::vector<std::string> statements;
};

std::vector<Migration> migrations_for(DatabaseUrl::Dialect dialect);

}  // namespace dlpd

#endif
