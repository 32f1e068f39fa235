// Office documents built on zip: OOXML (docx, xlsx, pptx and their macro and
// template variants) and ODF (odt, ods, odp, odg). A package's parts are read
// through libarchive (archive_reader.hpp) within the extraction's limits and parsed with the
// XML reader; the text of one paragraph or cell is joined across runs, so a
// number split over several runs is found whole. Embedded files (OOXML
// */embeddings/*) go back to the host as nested blobs.
#ifndef DLPD_FILETYPE_OFFICE_PACKAGE_HPP
#define DLPD_FILETYPE_OFFICE_PACKAGE_HPP

#include <memory>
#include <string_view>
#include <vector>

#include "archive_reader.hpp"
#include "extraction.hpp"
#include "xml_text.hpp"

namespace dlpd::filetype {

// Returns true when the zip is an OOXML or ODF package (then handled), false
// when it is some other zip. Told by content: [Content_Types].xml, the ODF
// mimetype member (first or not) or META-INF/manifest.xml.
bool extract_office_document(Extraction &x, std::string_view archive);

// --- for the format readers (ooxml_text.cpp, odf_text.cpp) -----------------

// The parts of one package, read within the extraction's limits. The member
// table is read once; a part is read by moving one libarchive reader forward
// to it (reopened when a part earlier in the archive is asked for).
class Package {
public:
    Package(Extraction &x, std::string_view archive);
    ~Package();

    Extraction &extraction() { return x_; }
    const ZipMember *find(std::string_view name) const;
    // Members under prefix (and ending with suffix), in natural order:
    // sheet2.xml before sheet10.xml.
    std::vector<const ZipMember *> parts(std::string_view prefix, std::string_view suffix = {}) const;
    // Reads and parses one XML part. Problems (limits, damage, not
    // well-formed) are reported naming the part; returns false when the part
    // could not be read at all (events up to an XML error were delivered).
    bool parse(const ZipMember &part, XmlHandler &handler);
    // Reads one part's bytes (charged to the budget); false when unusable.
    bool read(const ZipMember &part, MemberData &out);
    // Hands every file under prefix back to the host as a nested blob.
    void emit_embedded(std::string_view prefix);

private:
    Extraction &x_;
    std::string_view archive_;
    std::vector<ZipMember> members_;
    std::unique_ptr<MemoryArchive> reader_;
    uint64_t next_index_ = 0;  // of reader_'s next member
};

// Readers by format; each emits the text of its parts.
void extract_ooxml(Package &package);
void extract_odf(Package &package);

// Natural order of names: digit runs compare as numbers.
bool natural_less(std::string_view a, std::string_view b);

}  // namespace dlpd::filetype

#endif
