#include "email_text.hpp"

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "containers.hpp"
#include "html_text.hpp"
#include "text_builder.hpp"
#include "text_decoding.hpp"

namespace dlpd::filetype {

namespace {

// Multipart bodies nest at most this deep; deeper parts are not read.
constexpr int kMaxMimeDepth = 16;
// Headers kept per part, and the longest header value, before the rest is
// ignored.
constexpr size_t kMaxHeaders = 512;
constexpr size_t kMaxHeaderValue = 64 << 10;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

struct Headers {
    std::vector<std::pair<std::string, std::string>> fields;  // lower-case name, unfolded value
    std::string get(std::string_view name) const {
        for (const auto &f : fields)
            if (f.first == name) return f.second;
        return {};
    }
};

// Splits a message (or part) at its first empty line.
std::pair<std::string_view, std::string_view> split_head(std::string_view part) {
    size_t at = 0;
    while (at < part.size()) {
        size_t nl = part.find('\n', at);
        if (nl == std::string_view::npos) return {part, {}};
        std::string_view line = part.substr(at, nl - at);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) return {part.substr(0, at), part.substr(nl + 1)};
        at = nl + 1;
    }
    return {part, {}};
}

Headers parse_headers(std::string_view head) {
    Headers h;
    size_t at = 0;
    while (at < head.size()) {
        size_t nl = head.find('\n', at);
        std::string_view line = head.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
        at = nl == std::string_view::npos ? head.size() : nl + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        if ((line[0] == ' ' || line[0] == '\t') && !h.fields.empty()) {  // folded continuation
            std::string &value = h.fields.back().second;
            if (value.size() < kMaxHeaderValue) value += " " + std::string(trim(line));
            continue;
        }
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos || h.fields.size() >= kMaxHeaders) continue;
        h.fields.emplace_back(lower(trim(line.substr(0, colon))),
                              std::string(trim(line.substr(colon + 1)).substr(0, kMaxHeaderValue)));
    }
    return h;
}

// "text/plain; charset=utf-8; name=\"a.txt\"" -> value "text/plain", params.
struct HeaderValue {
    std::string value;
    std::vector<std::pair<std::string, std::string>> params;
    std::string param(std::string_view name) const {
        for (const auto &p : params)
            if (p.first == name) return p.second;
        return {};
    }
};

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decoded(std::string_view enc) {
    std::string out;
    for (size_t i = 0; i < enc.size(); ++i) {
        if (enc[i] == '%' && i + 2 < enc.size() && hex_value(enc[i + 1]) >= 0 && hex_value(enc[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(enc[i + 1]) * 16 + hex_value(enc[i + 2])));
            i += 2;
        } else {
            out.push_back(enc[i]);
        }
    }
    return out;
}

HeaderValue parse_header_value(std::string_view s) {
    HeaderValue out;
    size_t i = s.find(';');
    out.value = lower(trim(s.substr(0, i)));
    while (i != std::string_view::npos && i < s.size()) {
        ++i;  // past the ';'
        const size_t eq = s.find_first_of("=;", i);
        if (eq == std::string_view::npos) break;
        if (s[eq] == ';') {  // a parameter without a value
            i = eq;
            continue;
        }
        std::string key = lower(trim(s.substr(i, eq - i)));
        size_t j = eq + 1;
        while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
        std::string value;
        if (j < s.size() && s[j] == '"') {
            for (++j; j < s.size() && s[j] != '"'; ++j) {
                if (s[j] == '\\' && j + 1 < s.size()) ++j;
                value.push_back(s[j]);
            }
            i = j < s.size() ? s.find(';', j + 1) : std::string_view::npos;
        } else {
            const size_t semi = s.find(';', j);
            value = std::string(trim(s.substr(j, semi == std::string_view::npos ? std::string_view::npos : semi - j)));
            i = semi;
        }
        // RFC 2231: key*=charset'language'percent-encoded-value
        if (!key.empty() && key.back() == '*') {
            key.pop_back();
            const size_t q1 = value.find('\'');
            const size_t q2 = q1 == std::string::npos ? q1 : value.find('\'', q1 + 1);
            value = percent_decoded(q2 == std::string::npos ? std::string_view(value)
                                                            : std::string_view(value).substr(q2 + 1));
        }
        out.params.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

void charset_to_utf8(std::string_view bytes, std::string_view charset, TextBuilder &out) {
    const std::string cs = lower(charset);
    Encoding e = detect_encoding(bytes, {});
    if (cs == "iso-8859-1" || cs == "latin1" || cs == "windows-1252" || cs == "cp1252" || cs == "iso-8859-15")
        e = Encoding::windows1252;
    else if (cs == "utf-16le")
        e = Encoding::utf16le;
    else if (cs == "utf-16be" || cs == "utf-16")
        e = e == Encoding::utf16le ? e : Encoding::utf16be;
    decode_to_utf8(bytes, e, out);
}

// Raw header bytes: UTF-8 when they are, else Windows-1252.
void append_raw(std::string_view bytes, TextBuilder &out) {
    decode_to_utf8(bytes, Encoding::utf8, out);
}

// RFC 2047 encoded words: =?charset?B?...?= and =?charset?Q?...?=.
std::string decode_words(std::string_view s) {
    TextBuilder out(s.size() * 3 + 16);
    size_t at = 0;
    bool last_was_word = false;
    while (at < s.size()) {
        const size_t start = s.find("=?", at);
        if (start == std::string_view::npos) {
            append_raw(s.substr(at), out);
            break;
        }
        const size_t q1 = s.find('?', start + 2);
        const size_t q2 = q1 == std::string_view::npos ? q1 : s.find('?', q1 + 1);
        const size_t end = q2 == std::string_view::npos ? q2 : s.find("?=", q2 + 1);
        if (end == std::string_view::npos) {
            // No encoded word can end after this point: the rest is plain.
            append_raw(s.substr(at), out);
            break;
        }
        if (q2 != q1 + 2) {
            append_raw(s.substr(at, start + 2 - at), out);
            at = start + 2;
            last_was_word = false;
            continue;
        }
        const std::string_view between = s.substr(at, start - at);
        if (!(last_was_word && trim(between).empty())) append_raw(between, out);  // space between words is dropped
        const std::string_view charset = s.substr(start + 2, q1 - start - 2);
        const char mode = static_cast<char>(std::toupper(static_cast<unsigned char>(s[q1 + 1])));
        const std::string_view payload = s.substr(q2 + 1, end - q2 - 1);
        std::string bytes;
        if (mode == 'B') {
            bytes = decode_base64(payload);
        } else {
            std::string qp(payload);
            for (char &c : qp)
                if (c == '_') c = ' ';
            bytes = decode_quoted_printable(qp);
        }
        charset_to_utf8(bytes, charset, out);
        at = end + 2;
        last_was_word = true;
    }
    return out.take();
}

// Splits a multipart body at its boundary lines.
std::vector<std::string_view> split_multipart(std::string_view body, std::string_view boundary) {
    std::vector<std::string_view> parts;
    const std::string delimiter = "--" + std::string(boundary);
    size_t at = 0;
    size_t part_start = std::string_view::npos;
    while (at <= body.size()) {
        const size_t found = body.find(delimiter, at);
        if (found == std::string_view::npos) break;
        if (found != 0 && body[found - 1] != '\n') {
            at = found + 1;
            continue;
        }
        if (part_start != std::string_view::npos) {
            size_t end = found;
            if (end > part_start && body[end - 1] == '\n') --end;
            if (end > part_start && body[end - 1] == '\r') --end;
            parts.push_back(body.substr(part_start, end - part_start));
        }
        const bool closing = body.substr(found + delimiter.size(), 2) == "--";
        const size_t nl = body.find('\n', found);
        if (closing || nl == std::string_view::npos) return parts;
        part_start = nl + 1;
        at = part_start;
    }
    if (part_start != std::string_view::npos && part_start < body.size())
        parts.push_back(body.substr(part_start));  // no closing delimiter: the last part runs to the end
    return parts;
}

class MailReader {
public:
    explicit MailReader(Extraction &x) : x_(x) {}

    void message(std::string_view data, int depth) {
        const auto [head, body] = split_head(data);
        const Headers headers = parse_headers(head);
        const std::string subject = decode_words(headers.get("subject"));
        if (!subject.empty()) text("Subject: " + subject, "subject");
        part(headers, body, depth);
    }

private:
    void part(const Headers &headers, std::string_view body, int depth) {
        if (x_.stopped() || x_.expired()) return;
        if (depth > kMaxMimeDepth) {
            x_.limit({}, "e-mail: MIME parts nested more than " + std::to_string(kMaxMimeDepth) +
                             " deep; the deeper parts are not scanned");
            return;
        }
        if (++parts_ > x_.limits().max_members) {
            if (parts_ == x_.limits().max_members + 1)
                x_.limit({}, "e-mail: more than max_members (" + std::to_string(x_.limits().max_members) +
                                 ") parts; the rest are not scanned");
            return;
        }
        const std::string ct_header = headers.get("content-type");
        const HeaderValue type = parse_header_value(ct_header.empty() ? "text/plain" : ct_header);
        if (type.value.rfind("multipart/", 0) == 0) {
            const std::string boundary = type.param("boundary");
            if (boundary.empty()) {
                x_.corrupt({}, "e-mail: a multipart part without a boundary; not scanned");
                return;
            }
            const std::vector<std::string_view> subs = split_multipart(body, boundary);
            if (type.value == "multipart/alternative") {
                // The same content several times: read the last (richest,
                // RFC 2046) text alternative only, so nothing is reported twice.
                for (auto it = subs.rbegin(); it != subs.rend(); ++it) {
                    const auto [head, sub_body] = split_head(*it);
                    const Headers sub_headers = parse_headers(head);
                    const std::string sub_type = parse_header_value(sub_headers.get("content-type")).value;
                    if (sub_type.empty() || sub_type == "text/plain" || sub_type == "text/html" ||
                        sub_type.rfind("multipart/", 0) == 0) {
                        part(sub_headers, sub_body, depth + 1);
                        return;
                    }
                }
            }
            for (std::string_view sub : subs) {
                const auto [head, sub_body] = split_head(sub);
                part(parse_headers(head), sub_body, depth + 1);
            }
            return;
        }
        if (type.value == "message/rfc822") {
            message(decoded(headers, body), depth + 1);
            return;
        }
        const HeaderValue disposition = parse_header_value(headers.get("content-disposition"));
        std::string filename = decode_words(disposition.param("filename"));
        if (filename.empty()) filename = decode_words(type.param("name"));
        const bool is_text = type.value == "text/plain" || type.value == "text/html";
        const std::string content = decoded(headers, body);
        if (!x_.charge(content.size(), filename)) return;
        if (is_text && disposition.value != "attachment") {
            TextBuilder out(content.size() * 3 + 16);
            if (type.value == "text/html") {
                TextBuilder utf8(content.size() * 3 + 16);
                charset_to_utf8(content, type.param("charset"), utf8);
                html_to_text(utf8.str(), out);
            } else {
                charset_to_utf8(content, type.param("charset"), out);
            }
            text(out.str(), "body");
            return;
        }
        if (content.empty() || !may_open_container(x_, "e-mail attachment")) return;
        ++attachments_;
        if (filename.empty()) filename = "attachment-" + std::to_string(attachments_);
        x_.emit_blob(content, filename, type.value);
    }

    static std::string decoded(const Headers &headers, std::string_view body) {
        const std::string encoding = lower(trim(headers.get("content-transfer-encoding")));
        if (encoding == "base64") return decode_base64(body);
        if (encoding == "quoted-printable") return decode_quoted_printable(body);
        return std::string(body);
    }

    void text(const std::string &t, std::string_view location) { x_.emit_text(t, location); }

    Extraction &x_;
    uint64_t parts_ = 0;
    uint64_t attachments_ = 0;
};

}  // namespace

std::string decode_base64(std::string_view in) {
    std::string out;
    out.reserve(in.size() / 4 * 3);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+' || c == '-')
            v = 62;
        else if (c == '/' || c == '_')
            v = 63;
        else if (c == '=')
            break;
        else
            continue;  // line breaks and other noise
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

std::string decode_quoted_printable(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c != '=') {
            out.push_back(c);
            continue;
        }
        if (i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
            i += 2;
        } else if (i + 1 < in.size() && (in[i + 1] == '\n' || in[i + 1] == '\r')) {
            // Soft line break: "=\r\n" or "=\n".
            ++i;
            if (in[i] == '\r' && i + 1 < in.size() && in[i + 1] == '\n') ++i;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

void extract_email(Extraction &x, std::string_view message) {
    MailReader(x).message(message, 0);
}

}  // namespace dlpd::filetype
