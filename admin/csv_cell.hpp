// One CSV cell (RFC 4180), safe to open in a spreadsheet: quoted, quotes
// doubled, and a leading = + - @ tab or CR (which would start a formula)
// neutralised with a leading single quote.
#ifndef DLPD_ADMIN_CSV_CELL_HPP
#define DLPD_ADMIN_CSV_CELL_HPP

#include <string>
#include <string_view>

namespace dlpd {

inline std::string csv_cell(std::string_view value) {
    std::string out = "\"";
    if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) out += '\'';
    for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace dlpd

#endif
