#include "email_text.hpp"

#include <dlfcn.h>
#include <gmime/gmime.h>

#include <algorithm>
#include <mutex>
#include <string>

#include "containers.hpp"
#include "html_text.hpp"
#include "text_builder.hpp"
#include "text_decoding.hpp"

namespace dlpd::filetype {

namespace {

// Multipart bodies nest at most this deep; deeper parts are not read.
constexpr int kMaxMimeDepth = 16;
// How far into a blob looks_like_email reads for its header block.
constexpr size_t kMaxHeaderScan = 64 << 10;

// GMime keeps process-wide state (its GTypes, charset tables, iconv cache)
// and g_mime_init is not thread-safe. It is initialised once and never shut
// down: the GTypes it registers live in libgobject, which cannot be unloaded,
// so a libgmime unloaded with the plugin and loaded again would register them
// twice. libgmime is pinned in memory (RTLD_NODELETE) instead, which keeps its
// state reachable for LeakSanitizer after the plugin is gone.
void ensure_gmime() {
    static std::once_flag once;
    std::call_once(once, [] {
        // NOLOAD: only marks the library already mapped as a dependency.
        if (void *self = dlopen("libgmime-3.0.so.0", RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE)) dlclose(self);
        g_mime_init();
    });
}

// Owns one GObject reference.
template <typename T>
struct Ref {
    T *p = nullptr;
    explicit Ref(T *ptr) : p(ptr) {}
    ~Ref() {
        if (p != nullptr) g_object_unref(p);
    }
    Ref(const Ref &) = delete;
    Ref &operator=(const Ref &) = delete;
};

struct GChars {
    char *p;
    ~GChars() { g_free(p); }
};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// The bytes of a GByteArray-backed memory stream.
std::string_view stream_bytes(GMimeStream *mem) {
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    return {reinterpret_cast<const char *>(bytes->data), bytes->len};
}

// The part's content with its transfer encoding undone.
void decoded_content(GMimePart *part, GMimeStream *out) {
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (content != nullptr) g_mime_data_wrapper_write_to_stream(content, out);
    g_mime_stream_flush(out);
}

bool is_encrypted_type(GMimeContentType *type) {
    if (g_mime_content_type_is_type(type, "multipart", "encrypted")) return true;
    if (g_mime_content_type_is_type(type, "application", "pgp-encrypted")) return true;
    if (g_mime_content_type_is_type(type, "application", "pkcs7-mime") ||
        g_mime_content_type_is_type(type, "application", "x-pkcs7-mime")) {
        // Signed-only S/MIME (signed-data) needs no key: it goes on as an
        // attachment. Enveloped data, or no smime-type, is encrypted.
        const char *smime = g_mime_content_type_get_parameter(type, "smime-type");
        return smime == nullptr || lower(smime) != "signed-data";
    }
    return false;
}

class MailReader {
public:
    explicit MailReader(Extraction &x) : x_(x) {}

    void message(GMimeMessage *m, int depth) {
        headers(m);
        GMimeObject *body = g_mime_message_get_mime_part(m);
        if (body != nullptr) object(body, depth);
    }

private:
    // The headers a person writes: Subject, and the people it is from and to
    // (display names decoded by GMime).
    void headers(GMimeMessage *m) {
        TextBuilder out(x_.budget_left());
        if (const char *subject = g_mime_message_get_subject(m); subject != nullptr && *subject != '\0') {
            out.append("Subject: ");
            decode_to_utf8(subject, Encoding::utf8, out);
            out.line_break();
        }
        const std::pair<const char *, GMimeAddressType> people[] = {
            {"From: ", GMIME_ADDRESS_TYPE_FROM},
            {"To: ", GMIME_ADDRESS_TYPE_TO},
            {"Cc: ", GMIME_ADDRESS_TYPE_CC},
        };
        for (const auto &[label, kind] : people) {
            InternetAddressList *list = g_mime_message_get_addresses(m, kind);
            if (list == nullptr || internet_address_list_length(list) == 0) continue;
            const GChars s{internet_address_list_to_string(list, nullptr, FALSE)};
            if (s.p == nullptr || *s.p == '\0') continue;
            out.append(label);
            decode_to_utf8(s.p, Encoding::utf8, out);
            out.line_break();
        }
        emit(out, "headers");
    }

    void object(GMimeObject *o, int depth) {
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
        GMimeContentType *type = g_mime_object_get_content_type(o);
        if (type != nullptr && is_encrypted_type(type)) {
            x_.encrypted(filename_of(o), "e-mail: an encrypted (S/MIME or PGP) part; not scanned without its key");
            return;
        }
        if (GMIME_IS_MULTIPART(o)) {
            // Every part, of an alternative too: text may be in one only.
            GMimeMultipart *multi = GMIME_MULTIPART(o);
            const int n = g_mime_multipart_get_count(multi);
            for (int i = 0; i < n && !x_.stopped(); ++i) object(g_mime_multipart_get_part(multi, i), depth + 1);
            return;
        }
        if (GMIME_IS_MESSAGE_PART(o)) {
            attached_message(GMIME_MESSAGE_PART(o));
            return;
        }
        if (GMIME_IS_PART(o)) part(GMIME_PART(o), type);
    }

    // GMime's strings are UTF-8 when it could decode them; raw bytes else.
    static std::string utf8(const char *s) {
        TextBuilder out(4096);
        decode_to_utf8(s, Encoding::utf8, out);
        return out.take();
    }

    static std::string filename_of(GMimeObject *o) {
        if (!GMIME_IS_PART(o)) return {};
        const char *name = g_mime_part_get_filename(GMIME_PART(o));  // RFC 2231 and 2047 decoded
        return name != nullptr ? utf8(name) : std::string();
    }

    // A message/rfc822 part: handed to the host as a blob of its own, so its
    // own attachments are recursed within the host's depth limit.
    void attached_message(GMimeMessagePart *mp) {
        GMimeMessage *inner = g_mime_message_part_get_message(mp);
        if (inner == nullptr || !may_open_container(x_, "e-mail attachment")) return;
        const Ref<GMimeStream> mem(g_mime_stream_mem_new());
        g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, mem.p);
        g_mime_stream_flush(mem.p);
        const std::string_view bytes = stream_bytes(mem.p);
        std::string name;
        if (const char *d = g_mime_object_get_content_disposition_parameter(GMIME_OBJECT(mp), "filename"))
            name = utf8(d);
        if (name.empty()) name = "message-" + std::to_string(++attachments_) + ".eml";
        if (!x_.charge(bytes.size(), name)) return;
        x_.emit_blob(bytes, name, "message/rfc822");
    }

    void part(GMimePart *p, GMimeContentType *type) {
        std::string filename = filename_of(GMIME_OBJECT(p));
        const bool is_plain = type == nullptr || g_mime_content_type_is_type(type, "text", "plain");
        const bool is_html = type != nullptr && g_mime_content_type_is_type(type, "text", "html");
        const char *disposition = g_mime_object_get_disposition(GMIME_OBJECT(p));
        const bool attachment = disposition != nullptr && lower(disposition) == "attachment";
        const Ref<GMimeStream> mem(g_mime_stream_mem_new());
        if ((is_plain || is_html) && !attachment) {
            body_text(p, type, is_html, mem.p);
            return;
        }
        decoded_content(p, mem.p);
        const std::string_view content = stream_bytes(mem.p);
        if (content.empty()) return;
        if (!x_.charge(content.size(), filename)) return;
        if (!may_open_container(x_, "e-mail attachment")) return;
        ++attachments_;
        if (filename.empty()) filename = "attachment-" + std::to_string(attachments_);
        GChars mime{type != nullptr ? g_mime_content_type_get_mime_type(type) : nullptr};
        x_.emit_blob(content, filename, mime.p != nullptr ? lower(mime.p) : std::string());
    }

    // A body: decoded, converted to UTF-8 from its declared charset (by
    // content when it declares none or one iconv does not know). Bytes that
    // are valid UTF-8 are read as UTF-8 whatever the label says: mail tools
    // often send UTF-8 labelled with the local charset (GB2312, Latin-1).
    void body_text(GMimePart *p, GMimeContentType *type, bool is_html, GMimeStream *mem) {
        decoded_content(p, mem);
        std::string_view bytes = stream_bytes(mem);
        if (bytes.empty()) return;
        const char *charset = type != nullptr ? g_mime_content_type_get_parameter(type, "charset") : nullptr;
        const Ref<GMimeStream> converted(g_mime_stream_mem_new());
        // Pure ASCII is no evidence: ISO-2022-JP and UTF-7 are 7-bit.
        const bool ascii = std::all_of(bytes.begin(), bytes.end(), [](char c) { return (c & 0x80) == 0; });
        bool is_utf8 = charset == nullptr ? is_valid_utf8(bytes) : !ascii && is_valid_utf8(bytes);
        if (!is_utf8 && charset != nullptr) {
            if (GMimeFilter *convert =
                    g_mime_filter_charset_new(charset, "UTF-8")) {  // nullptr: iconv does not know it
                {
                    const Ref<GMimeStream> filtered(g_mime_stream_filter_new(converted.p));
                    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.p), convert);
                    g_object_unref(convert);
                    g_mime_stream_write(filtered.p, bytes.data(), bytes.size());
                    g_mime_stream_flush(filtered.p);
                }
                bytes = stream_bytes(converted.p);
                is_utf8 = true;
            }
        }
        TextBuilder utf8(x_.budget_left());
        decode_to_utf8(bytes, is_utf8 ? Encoding::utf8 : detect_encoding(bytes, {}), utf8);
        if (!is_html) {
            emit(utf8, "body");
            return;
        }
        TextBuilder text(x_.budget_left());
        html_to_text(utf8.str(), text);
        emit(text, "body");
    }

    // Emits text built from the message, charging it to the budget.
    void emit(TextBuilder &text, std::string_view location) {
        if (text.empty()) return;
        if (text.full()) {
            x_.emit_text(text.str(), location);
            x_.budget_exhausted(location);
            return;
        }
        if (x_.charge(text.size(), location)) x_.emit_text(text.str(), location);
    }

    Extraction &x_;
    uint64_t parts_ = 0;
    uint64_t attachments_ = 0;
};

}  // namespace

bool looks_like_email(std::string_view data, int min_known) {
    data = data.substr(0, kMaxHeaderScan);
    static constexpr std::string_view kFields[] = {
        "from", "to", "subject", "date", "message-id", "mime-version", "received", "return-path", "content-type"};
    int known = 0;
    bool any_field = false;
    size_t at = 0;
    // An mbox "From " separator line may come first.
    if (data.substr(0, 5) == "From ") {
        const size_t nl = data.find('\n');
        if (nl == std::string_view::npos) return false;
        at = nl + 1;
    }
    while (at < data.size()) {
        size_t nl = data.find('\n', at);
        const bool last = nl == std::string_view::npos;
        if (last) {
            if (data.size() == kMaxHeaderScan) return false;  // a header block this long is not one
            nl = data.size();
        }
        std::string_view line = data.substr(at, nl - at);
        at = nl + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) break;  // the end of the header block
        if (line[0] == ' ' || line[0] == '\t') {
            if (!any_field) return false;  // a folded line continues a field
            continue;
        }
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) return false;
        for (size_t i = 0; i < colon; ++i)
            if (line[i] <= ' ' || line[i] > '~') return false;  // RFC 5322 field names: printable ASCII
        any_field = true;
        const std::string name = lower(line.substr(0, colon));
        for (std::string_view f : kFields)
            if (name == f) {
                ++known;
                break;
            }
    }
    return known >= min_known;
}

void extract_email(Extraction &x, std::string_view message) {
    ensure_gmime();
    // The stream holds its own copy: GMime may read it in any order.
    const Ref<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(message.data(), message.size()));
    const Ref<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
    g_mime_parser_set_format(parser.p, GMIME_FORMAT_MESSAGE);
    const Ref<GMimeMessage> msg(g_mime_parser_construct_message(parser.p, nullptr));
    if (msg.p == nullptr) {
        x.corrupt({}, "e-mail: not a message GMime can parse; not scanned");
        return;
    }
    MailReader(x).message(msg.p, 0);
}

}  // namespace dlpd::filetype
