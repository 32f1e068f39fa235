#include "dispatch.hpp"

#include <dlpd/plugin.h>

#include <array>
#include <string>

#include "containers.hpp"
#include "email_text.hpp"
#include "html_text.hpp"
#include "pdf_text.hpp"
#include "rtf_text.hpp"
#include "text_builder.hpp"
#include "text_decoding.hpp"

namespace dlpd::filetype {

namespace {

struct NamedType {
    std::string_view extension;
    Format format;
    bool office;
};

// File names that promise a type. A blob whose content is something else is
// read as what it is, with a warning (a disguised file is worth knowing of).
constexpr std::array<NamedType, 23> kNamedTypes = {{
    {".pdf", Format::pdf, false},
    {".zip", Format::zip, false},
    {".gz", Format::gzip, false},
    {".tgz", Format::gzip, false},
    {".tar", Format::tar, false},
    {".7z", Format::archive, false},
    {".rar", Format::archive, false},
    {".xz", Format::compressed, false},
    {".bz2", Format::compressed, false},
    {".zst", Format::compressed, false},
    {".cpio", Format::archive, false},
    {".docx", Format::zip, true},
    {".docm", Format::zip, true},
    {".dotx", Format::zip, true},
    {".xlsx", Format::zip, true},
    {".xlsm", Format::zip, true},
    {".pptx", Format::zip, true},
    {".pptm", Format::zip, true},
    {".odt", Format::zip, true},
    {".ods", Format::zip, true},
    {".odp", Format::zip, true},
    {".odg", Format::zip, true},
    {".eml", Format::email, false},
}};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// The extension of the last component of a host item name.
std::string extension_of(std::string_view name) {
    const size_t slash = name.find_last_of("/!\\");
    const std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
    const size_t dot = base.rfind('.');
    return dot == std::string_view::npos || dot == 0 ? std::string() : lower(base.substr(dot));
}

const NamedType *promised_type(std::string_view name) {
    const std::string ext = extension_of(name);
    for (const NamedType &t : kNamedTypes)
        if (t.extension == ext) return &t;
    return nullptr;
}

bool is_office_mime(std::string_view mime) {
    return mime.substr(0, 46) == "application/vnd.openxmlformats-officedocument." ||
           mime.substr(0, 35) == "application/vnd.oasis.opendocument.";
}

// Emits text built from the blob itself, charging it to the budget.
void emit_built_text(Extraction &x, TextBuilder &text, std::string_view location) {
    if (text.full()) {
        x.emit_text(text.str(), location);
        x.budget_exhausted(location);
        return;
    }
    if (x.charge(text.size(), location)) x.emit_text(text.str(), location);
}

void extract_text(Extraction &x, std::string_view data, const std::string &charset) {
    TextBuilder text(x.budget_left());
    if (!convert_to_utf8(data, charset, text)) decode_to_utf8(data, Encoding::windows1252, text);
    emit_built_text(x, text, charset);
}

void extract_html(Extraction &x, std::string_view data, std::string_view charset) {
    // A BOM, then what the document declares (<meta charset>), then the bytes.
    std::string encoding = detect_charset(data, charset);
    // Valid UTF-8 and byte-order marks are surer than a declaration.
    if (encoding.rfind("UTF-", 0) != 0) {
        const std::string declared = html_declared_charset(data);
        if (!declared.empty()) encoding = declared;
    }
    std::string converted;
    std::string_view html = data;
    if (encoding != "UTF-8" || html.find('\0') != std::string_view::npos) {
        TextBuilder utf8(x.budget_left());
        if (!convert_to_utf8(data, encoding, utf8)) decode_to_utf8(data, detect_encoding(data, charset), utf8);
        converted = utf8.take();
        html = converted;
    }
    TextBuilder text(x.budget_left());
    html_to_text(html, text);
    emit_built_text(x, text, "html");
}

void extract_rtf(Extraction &x, std::string_view data) {
    TextBuilder text(x.budget_left());
    rtf_to_text(data, text);
    emit_built_text(x, text, "rtf");
}

// libmagic calls many messages text/plain or text/html: a message is known
// by its header block (or by its name or declared type and a header line).
bool is_email(const DetectedType &type, std::string_view data, std::string_view name, std::string_view mime_hint) {
    if (type.format != Format::text && type.format != Format::html && type.format != Format::binary) return false;
    const bool named = extension_of(name) == ".eml" || lower(mime_hint) == "message/rfc822";
    return looks_like_email(data, named ? 1 : 2);
}

}  // namespace

int32_t extract_blob(Extraction &x, MagicPool &magic, std::string_view data, std::string_view mime_hint) {
    DetectedType type = magic.detect(data);
    if (is_email(type, data, x.name(), mime_hint)) type.format = Format::email;
    // The host scans UTF-8 text as it is (NULs in it are ours to drop).
    const std::string text_charset = type.format == Format::text ? detect_charset(data, type.charset) : std::string();
    if (text_charset == "UTF-8" && data.find('\0') == std::string_view::npos) return DLPD_ERR_UNSUPPORTED;
    if (data.size() > x.limits().max_input_bytes) {
        x.limit({}, type.mime + " of " + std::to_string(data.size()) + " bytes exceeds max_input_mb (" +
                        std::to_string(x.limits().max_input_bytes >> 20) + "); not opened");
        return x.status();
    }

    // What the name (or the declared type) promised, against what it is.
    const NamedType *promised = promised_type(x.name());
    bool expected_office = promised != nullptr && promised->office;
    Format expected = promised != nullptr ? promised->format : Format::binary;
    if (promised == nullptr && !mime_hint.empty()) {
        expected = format_for(mime_hint, "binary");
        expected_office = is_office_mime(mime_hint);
    }
    if ((promised != nullptr || !mime_hint.empty()) && expected != Format::binary && expected != Format::text &&
        type.format != expected && type.format != Format::empty) {
        const std::string claim = promised != nullptr ? "named ." + std::string(promised->extension.substr(1))
                                                      : "declared as " + std::string(mime_hint);
        if (type.format == Format::binary)
            x.unreadable({}, claim + ", but the content is " + type.mime + ", which no reader opens; not scanned");
        else
            x.mismatch({}, claim + ", but the content is " + type.mime + "; read as what it is");
    }

    switch (type.format) {
        case Format::empty:
            x.note({}, "empty; nothing to scan");
            break;
        case Format::text:
            extract_text(x, data, text_charset);
            break;
        case Format::html:
            extract_html(x, data, type.charset);
            break;
        case Format::rtf:
            extract_rtf(x, data);
            break;
        case Format::email:
            extract_email(x, data);
            break;
        case Format::pdf:
            extract_pdf(x, data);
            break;
        case Format::zip:
            extract_zip(x, data, expected_office);
            break;
        case Format::gzip:
        case Format::compressed:
            extract_compressed(x, data);
            break;
        case Format::tar:
        case Format::archive:
            extract_archive(x, data);
            break;
        case Format::encrypted:
            x.encrypted({}, "encrypted (password-protected) Office document; not scanned");
            break;
        case Format::binary:
            // A document named so whose content no reader opens was said
            // above (unreadable); anything else is a type we do not read.
            if (expected == Format::binary || expected == Format::text)
                x.skipped({}, "binary content of type " + type.mime + "; not scanned");
            break;
    }
    return x.status();
}

}  // namespace dlpd::filetype
