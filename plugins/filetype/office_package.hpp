// Office documents built on zip: OOXML (docx, xlsx, pptx and their macro and
// template variants) and ODF (odt, ods, odp, odg). A package's parts are read
// through the zip reader within the extraction's limits and parsed with the
// XML reader; the text of one paragraph or cell is joined across runs, so a
// number split over several runs is found whole. Embedded files (OOXML
// */embeddings/*) go back to the host as nested blobs.
#ifndef DLPD_FILETYPE_OFFICE_PACKAGE_HPP
#define DLPD_FILETYPE_OFFICE_PACKAGE_HPP

#include <string_view>
#include <vector>

#include "extraction.hpp"
#include "xml_text.hpp"
#include "zip_reader.hpp"

namespace dlpd::filetype {

// Returns true when the archive is an OOXML or ODF package (then handled),
// false when it is some other zip.
bool extract_office_document(Extraction &x, std::string_view archive, const ZipDirectory &dir);

// --- for the format readers (ooxml_text.cpp, odf_text.cpp) -----------------

// The parts of one package, read within the extraction's limits.
class Package {
public:
    Package(Extraction &x, std::string_view archive, const ZipDirectory &dir) : x_(x), archive_(archive), dir_(dir) {}

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
    const ZipDirectory &dir_;
};

// Readers by format; each emits the text of its parts.
void extract_ooxml(Package &package);
void extract_odf(Package &package);

// Natural order of names: digit runs compare as numbers.
bool natural_less(std::string_view a, std::string_view b);

}  // namespace dlpd::filetype

#endif
