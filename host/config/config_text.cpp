#include "config/config_text.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace dlpd {

namespace {

bool is_name_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9');
}

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

bool substitute_environment(std::string_view text, std::string &out, std::string &error) {
    out.clear();
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '$' || i + 1 == text.size() || (text[i + 1] != '$' && text[i + 1] != '{')) {
            out += text[i];
            continue;
        }
        if (text[i + 1] == '$') {
            out += '$';
            ++i;
            continue;
        }
        const size_t close = text.find('}', i + 2);
        if (close == std::string_view::npos) {
            error = "'${' without a closing '}' (write $$ for a literal $)";
            return false;
        }
        const std::string_view inner = text.substr(i + 2, close - i - 2);
        size_t n = 0;
        while (n < inner.size() && (n == 0 ? is_name_start(inner[n]) : is_name_char(inner[n]))) ++n;
        const std::string name(inner.substr(0, n));
        if (name.empty()) {
            error = "'${' must be followed by an environment variable name ([A-Za-z_][A-Za-z0-9_]*)";
            return false;
        }
        const std::string_view rest = inner.substr(n);
        const char *value = std::getenv(name.c_str());
        if (rest.empty()) {
            if (value == nullptr) {
                error =
                    "the environment variable " + name + " is not set (write ${" + name + ":-} to default to empty)";
                return false;
            }
            out += value;
        } else if (rest.starts_with(":-")) {
            out += value != nullptr && *value != '\0' ? std::string_view(value) : rest.substr(2);
        } else {
            error = "in ${" + name + "...}, only ':-default' may follow the variable name";
            return false;
        }
        i = close;
    }
    return true;
}

std::string check_listen_address(std::string_view value, std::string_view shown) {
    std::string bad = std::string(shown) + " is not HOST:PORT (for example 127.0.0.1:8080)";
    std::string_view host, port;
    if (value.starts_with('[')) {
        const size_t close = value.find(']');
        if (close == std::string_view::npos || close + 1 >= value.size() || value[close + 1] != ':') return bad;
        host = value.substr(1, close - 1);
        port = value.substr(close + 2);
    } else {
        const size_t colon = value.rfind(':');
        if (colon == std::string_view::npos) return bad;
        host = value.substr(0, colon);
        port = value.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) return bad + "; write an IPv6 address as [ADDRESS]:PORT";
    }
    if (host.empty()) return bad + "; to listen on every address, write 0.0.0.0:PORT";
    unsigned n = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || n > 65535)
        return "the port of " + std::string(shown) + " is not a number from 0 to 65535";
    return {};
}

std::string check_http_url(std::string_view value, std::string_view shown) {
    size_t host = 0;
    if (value.starts_with("https://"))
        host = 8;
    else if (value.starts_with("http://"))
        host = 7;
    if (host == 0 || host >= value.size() || value[host] == '/' || !value.ends_with('/'))
        return std::string(shown) +
               " must start with http:// or https://, name a host, and end with / (for example "
               "https://slack.com/api/)";
    return {};
}

std::string key_before(std::string_view text, int line, int column) {
    struct Key {
        size_t indent;
        std::string_view name;
    };
    std::vector<Key> open;
    size_t start = 0;
    for (int n = 0; n <= line && start <= text.size(); ++n) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view l = text.substr(start, end - start);
        start = end + 1;
        size_t k = l.find_first_not_of(' ');
        while (k != std::string_view::npos && l.substr(k).starts_with("- ")) k = l.find_first_not_of(' ', k + 2);
        if (k == std::string_view::npos || l[k] == '#') continue;
        size_t e = k;
        while (e < l.size() && (is_name_char(l[e]) || l[e] == '-' || l[e] == '.')) ++e;
        const bool is_key = e > k && e < l.size() && l[e] == ':' && (e + 1 == l.size() || l[e + 1] == ' ');
        if (!is_key || (n == line && static_cast<int>(e) >= column)) continue;
        while (!open.empty() && open.back().indent >= k) open.pop_back();
        open.push_back({k, l.substr(k, e - k)});
    }
    std::string path;
    for (const auto &key : open) path += (path.empty() ? "" : ".") + std::string(key.name);
    return path;
}

std::string closest_word(const std::string &word, const std::vector<std::string> &known) {
    std::string best;
    size_t best_distance = 3;
    for (const auto &candidate : known) {
        const size_t d = edit_distance(word, candidate);
        if (d < best_distance && d < candidate.size()) {
            best = candidate;
            best_distance = d;
        }
    }
    return best;
}

}  // namespace dlpd
