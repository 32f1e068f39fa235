#include "office_package.hpp"

#include <algorithm>

#include "containers.hpp"

namespace dlpd::filetype {

namespace {

constexpr std::string_view kOdfMimePrefix = "application/vnd.oasis.opendocument.";

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_odf(Package &package, const ZipMember *mimetype) {
    if (mimetype == nullptr || mimetype->size > 256) return false;
    MemberData data;
    if (!package.read(*mimetype, data)) return false;
    return data.data().substr(0, kOdfMimePrefix.size()) == kOdfMimePrefix;
}

// An ODF package without its mimetype member: the manifest names the
// package's own type on the entry for "/".
bool is_odf_manifest(Package &package, const ZipMember *manifest) {
    if (manifest == nullptr || manifest->size > (uint64_t{1} << 20)) return false;
    MemberData data;
    if (!package.read(*manifest, data)) return false;
    const std::string_view xml = data.data();
    for (size_t at = xml.find("full-path=\"/\""); at != std::string_view::npos; at = xml.find("full-path=\"/\"", at + 1)) {
        const size_t open = xml.rfind('<', at);
        const size_t close = xml.find('>', at);
        if (open == std::string_view::npos || close == std::string_view::npos) continue;
        if (xml.substr(open, close - open).find(kOdfMimePrefix) != std::string_view::npos) return true;
    }
    return false;
}

}  // namespace

bool natural_less(std::string_view a, std::string_view b) {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (is_digit(a[i]) && is_digit(b[j])) {
            size_t i2 = i, j2 = j;
            while (i2 < a.size() && a[i2] == '0') ++i2;
            while (j2 < b.size() && b[j2] == '0') ++j2;
            size_t ie = i2, je = j2;
            while (ie < a.size() && is_digit(a[ie])) ++ie;
            while (je < b.size() && is_digit(b[je])) ++je;
            if (ie - i2 != je - j2) return ie - i2 < je - j2;
            const int c = a.substr(i2, ie - i2).compare(b.substr(j2, je - j2));
            if (c != 0) return c < 0;
            i = ie, j = je;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i, ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

Package::Package(Extraction &x, std::string_view archive) : x_(x), archive_(archive) {
    MemoryArchive table(archive, MemoryArchive::Kind::zip);
    ZipMember m;
    while (members_.size() < x.limits().max_members && table.next(m)) members_.push_back(m);
}

Package::~Package() = default;

const ZipMember *Package::find(std::string_view name) const {
    for (const ZipMember &m : members_)
        if (m.name == name) return &m;
    return nullptr;
}

std::vector<const ZipMember *> Package::parts(std::string_view prefix, std::string_view suffix) const {
    std::vector<const ZipMember *> out;
    for (const ZipMember &m : members_) {
        const std::string_view n = m.name;
        if (m.is_directory() || n.size() < prefix.size() + suffix.size()) continue;
        if (n.substr(0, prefix.size()) == prefix && n.substr(n.size() - suffix.size()) == suffix) out.push_back(&m);
    }
    std::sort(out.begin(), out.end(),
              [](const ZipMember *a, const ZipMember *b) { return natural_less(a->name, b->name); });
    return out;
}

bool Package::read(const ZipMember &part, MemberData &out) {
    if (x_.stopped() || x_.expired() || !fits_budget(x_, part)) return false;
    if (!reader_ || part.index < next_index_) {
        reader_ = std::make_unique<MemoryArchive>(archive_, MemoryArchive::Kind::zip);
        next_index_ = 0;
    }
    ZipMember at;
    while (next_index_ <= part.index) {
        if (!reader_->next(at)) {
            x_.corrupt(part.name, "the member cannot be found again (" + reader_->error() + "); not scanned");
            reader_.reset();
            return false;
        }
        ++next_index_;
    }
    out = reader_->read(read_limits(x_));
    return check_member(x_, part, out);
}

bool Package::parse(const ZipMember &part, XmlHandler &handler) {
    MemberData data;
    if (!read(part, data)) return false;
    const std::string error = parse_xml(data.data(), handler);
    if (!error.empty())
        x_.corrupt(part.name, "not well-formed XML (" + error + "); the text before the error is scanned");
    return true;
}

void Package::emit_embedded(std::string_view prefix) {
    const auto embedded = parts(prefix);
    if (embedded.empty() || !may_open_container(x_, "embedded files")) return;
    for (const ZipMember *m : embedded) {
        MemberData data;
        if (!read(*m, data)) continue;
        if (!x_.emit_blob(data.data(), m->name)) return;
    }
}

bool extract_office_document(Extraction &x, std::string_view archive) {
    Package package(x, archive);
    if (package.find("[Content_Types].xml") != nullptr) {
        extract_ooxml(package);
        return true;
    }
    if (is_odf(package, package.find("mimetype")) || is_odf_manifest(package, package.find("META-INF/manifest.xml"))) {
        extract_odf(package);
        return true;
    }
    return false;
}

}  // namespace dlpd::filetype
