#include "document_writer.hpp"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace dlpd::test::docs {

namespace {

void put16(std::string &s, uint32_t v) {
    s.push_back(static_cast<char>(v & 0xFF));
    s.push_back(static_cast<char>((v >> 8) & 0xFF));
}
void put32(std::string &s, uint32_t v) {
    put16(s, v & 0xFFFF);
    put16(s, v >> 16);
}

uint32_t crc_of(const std::string &s) {
    return static_cast<uint32_t>(crc32_z(0, reinterpret_cast<const Bytef *>(s.data()), s.size()));
}

// Raw deflate (no header) of content, or of zeros with a full flush, which
// makes the output independent of what came before.
std::string deflate_raw(const std::string &content, int flush, int window_bits = -MAX_WBITS) {
    z_stream zs{};
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2");
    std::string out(deflateBound(&zs, content.size()) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(content.data()));
    zs.avail_in = static_cast<uInt>(content.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, flush);
    out.resize(out.size() - zs.avail_out);
    deflateEnd(&zs);
    return out;
}

// A raw deflate stream of `bytes` zeros: one full-flushed 1 MiB chunk
// repeated, then an empty final block. Returns the stream and its CRC.
std::pair<std::string, uint32_t> zero_stream(uint64_t bytes) {
    constexpr uint64_t kChunk = uint64_t{1} << 20;
    const std::string zeros(kChunk, '\0');
    const std::string chunk = deflate_raw(zeros, Z_FULL_FLUSH);
    const uint32_t chunk_crc = crc_of(zeros);
    std::string stream;
    uint32_t crc = 0;
    uint64_t whole = bytes / kChunk;
    stream.reserve(chunk.size() * whole + 16);
    for (uint64_t i = 0; i < whole; ++i) {
        stream += chunk;
        crc = static_cast<uint32_t>(crc32_combine(crc, chunk_crc, static_cast<z_off_t>(kChunk)));
    }
    const std::string rest(bytes % kChunk, '\0');
    stream += deflate_raw(rest, Z_FINISH);  // the rest (possibly nothing) and the final block
    crc = static_cast<uint32_t>(crc32_combine(crc, crc_of(rest), static_cast<z_off_t>(rest.size())));
    return {stream, crc};
}

std::string column_name(size_t index) {
    std::string name;
    ++index;
    while (index > 0) {
        name.insert(name.begin(), static_cast<char>('A' + (index - 1) % 26));
        index = (index - 1) / 26;
    }
    return name;
}

constexpr const char *kXmlDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr const char *kWordNs =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" "
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
    "xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" "
    "xmlns:v=\"urn:schemas-microsoft-com:vml\"";
constexpr const char *kDrawingNs =
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
    "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"";
constexpr const char *kOdfNs =
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "
    "xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.2\"";

std::string content_types(const std::vector<std::pair<std::string, std::string>> &overrides) {
    std::string x = std::string(kXmlDecl) +
                    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                    "<Default Extension=\"rels\" "
                    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>";
    for (const auto &[part, type] : overrides)
        x += "<Override PartName=\"/" + part + "\" ContentType=\"" + type + "\"/>";
    return x + "</Types>";
}

std::string root_rels(const std::string &main_part) {
    return std::string(kXmlDecl) +
           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"rId1\" "
           "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
           "Target=\"" +
           main_part + "\"/></Relationships>";
}

std::string word_paragraphs(const std::vector<Paragraph> &paragraphs) {
    std::string x;
    for (const Paragraph &p : paragraphs) {
        x += "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>";
        for (const std::string &run : p)
            x += "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">" + xml_escape(run) + "</w:t></w:r>";
        x += "</w:p>";
    }
    return x;
}

std::string drawing_paragraphs(const std::vector<Paragraph> &paragraphs) {
    std::string x;
    for (const Paragraph &p : paragraphs) {
        x += "<a:p>";
        for (const std::string &run : p) x += "<a:r><a:rPr lang=\"en-US\"/><a:t>" + xml_escape(run) + "</a:t></a:r>";
        x += "</a:p>";
    }
    return x;
}

std::string odf_paragraph(const Paragraph &p) {
    std::string x = "<text:p text:style-name=\"P1\">";
    for (size_t i = 0; i < p.size(); ++i)
        x += i == 0 ? xml_escape(p[i]) : "<text:span text:style-name=\"T1\">" + xml_escape(p[i]) + "</text:span>";
    return x + "</text:p>";
}

std::string odf_manifest(const std::string &mime, bool encrypted) {
    std::string x = std::string(kXmlDecl) +
                    "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
                    "manifest:version=\"1.2\">"
                    "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"" +
                    mime +
                    "\"/>"
                    "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\">";
    if (encrypted)
        x += "<manifest:encryption-data manifest:checksum-type=\"SHA1/1K\" manifest:checksum=\"AAAA\">"
             "<manifest:algorithm manifest:algorithm-name=\"Blowfish CFB\" manifest:initialisation-vector=\"AAAA\"/>"
             "</manifest:encryption-data>";
    return x + "</manifest:file-entry></manifest:manifest>";
}

std::string odf_package(const std::string &mime, const std::string &body, const std::string &kind,
                        const Files &user_defined = {}) {
    const std::string content = std::string(kXmlDecl) + "<office:document-content " + kOdfNs +
                                "><office:body><office:" + kind + ">" + body + "</office:" + kind +
                                "></office:body></office:document-content>";
    Files files = {{"mimetype", mime}, {"META-INF/manifest.xml", odf_manifest(mime, false)}, {"content.xml", content}};
    if (!user_defined.empty()) {
        std::string meta = std::string(kXmlDecl) + "<office:document-meta " + kOdfNs +
                           " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"><office:meta>"
                           "<meta:initial-creator>Ann</meta:initial-creator>";
        for (const auto &[name, value] : user_defined)
            meta += "<meta:user-defined meta:name=\"" + xml_escape(name) + "\">" + xml_escape(value) +
                    "</meta:user-defined>";
        files.emplace_back("meta.xml", meta + "</office:meta></office:document-meta>");
    }
    return poco_zip(files, true, {"mimetype"});
}

std::string pdf_string(const std::string &text) {
    std::string out = "(";
    for (char c : text) {
        if (c == '(' || c == ')' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out + ")";
}

std::string pdf_document(const std::vector<PdfPage> &pages, bool encrypted) {
    // Objects: 1 catalog, 2 pages, 3 font, then per page: page, contents;
    // then the encryption dictionary when asked for.
    std::vector<std::string> objects;
    std::string kids;
    for (size_t i = 0; i < pages.size(); ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
    objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
    objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    for (size_t i = 0; i < pages.size(); ++i) {
        std::string stream = "BT /F1 11 Tf\n";
        for (const PdfLine &line : pages[i])
            stream += "1 0 0 1 " + std::to_string(line.x) + " " + std::to_string(line.y) + " Tm " +
                      pdf_string(line.text) + " Tj\n";
        stream += "ET\n";
        objects.push_back(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
            ">> /Contents " +
            std::to_string(5 + 2 * i) + " 0 R >>");
        objects.push_back("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "endstream");
    }
    std::string trailer_extra;
    if (encrypted) {
        // /O and /U that no empty user password produces: the document stays locked.
        const std::string o(64, 'A'), u(64, '7');
        objects.push_back("<< /Filter /Standard /V 1 /R 2 /O <" + o + "> /U <" + u + "> /P -44 >>");
        trailer_extra = " /Encrypt " + std::to_string(objects.size()) +
                        " 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]";
    }
    std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<size_t> offsets;
    for (size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(out.size());
        out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const size_t xref = out.size();
    out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (size_t off : offsets) {
        char entry[32];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
        out += entry;
    }
    out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R" + trailer_extra +
           " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return out;
}

// UTF-8 to code points (the writers' input is well-formed).
std::vector<uint32_t> code_points(const std::string &utf8) {
    std::vector<uint32_t> out;
    for (size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        size_t n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
        uint32_t cp = n == 0 ? c : n == 1 ? (c & 0x1F) : n == 2 ? (c & 0x0F) : (c & 0x07);
        for (size_t k = 1; k <= n && i + k < utf8.size(); ++k)
            cp = cp << 6 | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        out.push_back(cp);
        i += n + 1;
    }
    return out;
}

}  // namespace

std::string xml_escape(const std::string &s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

std::string poco_zip(const Files &files, bool seekable, const std::vector<std::string> &store) {
    std::ostringstream out(std::ios::out | std::ios::binary);
    Poco::Zip::Compress zip(out, seekable);
    for (const auto &[name, content] : files) {
        if (!name.empty() && name.back() == '/') {
            zip.addDirectory(Poco::Path(name, Poco::Path::PATH_UNIX), Poco::DateTime());
            continue;
        }
        std::istringstream in(content, std::ios::in | std::ios::binary);
        const bool stored = std::find(store.begin(), store.end(), name) != store.end();
        zip.addFile(in, Poco::DateTime(), Poco::Path(name, Poco::Path::PATH_UNIX),
                    stored ? Poco::Zip::ZipCommon::CM_STORE : Poco::Zip::ZipCommon::CM_DEFLATE,
                    Poco::Zip::ZipCommon::CL_NORMAL);
    }
    zip.close();
    return out.str();
}

RawMember stored_member(std::string name, const std::string &content) {
    return RawMember{std::move(name), 0, 0, content, crc_of(content), content.size()};
}

RawMember deflated_member(std::string name, const std::string &content) {
    return RawMember{std::move(name), 8, 0, deflate_raw(content, Z_FINISH), crc_of(content), content.size()};
}

RawMember zero_bomb_member(std::string name, uint64_t bytes) {
    auto [stream, crc] = zero_stream(bytes);
    return RawMember{std::move(name), 8, 0, std::move(stream), crc, bytes};
}

std::string raw_zip(const std::vector<RawMember> &members) {
    std::string out, directory;
    for (const RawMember &m : members) {
        const uint32_t offset = static_cast<uint32_t>(out.size());
        const uint32_t size32 = m.size > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(m.size);
        put32(out, 0x04034b50);
        put16(out, 20);
        put16(out, m.flags);
        put16(out, m.method);
        put16(out, 0), put16(out, 0x21);  // time, date
        put32(out, m.crc);
        put32(out, static_cast<uint32_t>(m.payload.size()));
        put32(out, size32);
        put16(out, static_cast<uint32_t>(m.name.size()));
        put16(out, 0);
        out += m.name;
        out += m.payload;

        put32(directory, 0x02014b50);
        put16(directory, 20), put16(directory, 20);
        put16(directory, m.flags);
        put16(directory, m.method);
        put16(directory, 0), put16(directory, 0x21);
        put32(directory, m.crc);
        put32(directory, static_cast<uint32_t>(m.payload.size()));
        put32(directory, size32);
        put16(directory, static_cast<uint32_t>(m.name.size()));
        put16(directory, 0), put16(directory, 0), put16(directory, 0), put16(directory, 0);
        put32(directory, 0);
        put32(directory, offset);
        directory += m.name;
    }
    const uint32_t cd_offset = static_cast<uint32_t>(out.size());
    out += directory;
    put32(out, 0x06054b50);
    put16(out, 0), put16(out, 0);
    put16(out, static_cast<uint32_t>(members.size())), put16(out, static_cast<uint32_t>(members.size()));
    put32(out, static_cast<uint32_t>(directory.size()));
    put32(out, cd_offset);
    put16(out, 0);
    return out;
}

std::string gzip(const std::string &content, const std::string &name) {
    z_stream zs{};
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, MAX_WBITS + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2");
    gz_header header{};
    std::string stored_name = name;
    if (!name.empty()) {
        header.name = reinterpret_cast<Bytef *>(stored_name.data());
        deflateSetHeader(&zs, &header);
    }
    std::string out(deflateBound(&zs, content.size()) + 64 + name.size(), '\0');
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(content.data()));
    zs.avail_in = static_cast<uInt>(content.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(out.size() - zs.avail_out);
    deflateEnd(&zs);
    return out;
}

std::string gzip_zero_bomb(uint64_t bytes) {
    auto [stream, crc] = zero_stream(bytes);
    std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03", 10);
    out += stream;
    put32(out, crc);
    put32(out, static_cast<uint32_t>(bytes & 0xFFFFFFFFu));
    return out;
}

std::string tar(const Files &files) {
    std::string out;
    for (const auto &[name, content] : files) {
        std::string h(512, '\0');
        const bool dir = !name.empty() && name.back() == '/';
        std::copy_n(name.begin(), std::min<size_t>(name.size(), 100), h.begin());
        auto octal = [&](size_t at, size_t width, uint64_t v) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(v));
            std::copy_n(buf, width - 1, h.begin() + static_cast<std::ptrdiff_t>(at));
        };
        octal(100, 8, dir ? 0755 : 0644);
        octal(108, 8, 0);
        octal(116, 8, 0);
        octal(124, 12, dir ? 0 : content.size());
        octal(136, 12, 1700000000);
        h[156] = dir ? '5' : '0';
        std::copy_n(
            "ustar\0"
            "00",
            8, h.begin() + 257);
        std::fill_n(h.begin() + 148, 8, ' ');
        unsigned sum = 0;
        for (unsigned char c : h) sum += c;
        char chk[16];
        std::snprintf(chk, sizeof chk, "%06o", sum);
        std::copy_n(chk, 7, h.begin() + 148);  // six digits and a NUL, then the space stays
        out += h;
        if (!dir) {
            out += content;
            out.append((512 - content.size() % 512) % 512, '\0');
        }
    }
    out.append(1024, '\0');
    return out;
}

Files docx_parts(const WordDocument &doc) {
    std::vector<std::pair<std::string, std::string>> overrides = {
        {"word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"}};
    Files files;
    std::string body = word_paragraphs(doc.body);
    if (!doc.table_rows.empty()) {
        body += "<w:tbl>";
        for (const auto &row : doc.table_rows) {
            body += "<w:tr>";
            for (const Paragraph &cell : row) body += "<w:tc>" + word_paragraphs({cell}) + "</w:tc>";
            body += "</w:tr>";
        }
        body += "</w:tbl>";
    }
    body += doc.raw_body_xml;
    if (!doc.text_box.empty()) {
        const std::string box = word_paragraphs(doc.text_box);
        const std::string anchored =
            "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic><a:graphicData>"
            "<wps:wsp><wps:txbx><w:txbxContent>" +
            box +
            "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
            "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>" +
            box + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>";
        // Inside the last paragraph, after its runs, as Word anchors a shape.
        const size_t last = body.rfind("</w:p>");
        body.insert(last == std::string::npos ? body.size() : last, anchored);
    }
    files.emplace_back("word/document.xml", std::string(kXmlDecl) + "<w:document " + kWordNs + "><w:body>" + body +
                                                "<w:sectPr/></w:body></w:document>");
    if (!doc.header.empty()) {
        overrides.push_back(
            {"word/header1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"});
        files.emplace_back("word/header1.xml", std::string(kXmlDecl) + "<w:hdr " + kWordNs + ">" +
                                                   word_paragraphs(doc.header) + "</w:hdr>");
    }
    if (!doc.footnotes.empty()) {
        overrides.push_back(
            {"word/footnotes.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"});
        files.emplace_back("word/footnotes.xml", std::string(kXmlDecl) + "<w:footnotes " + kWordNs +
                                                     "><w:footnote w:id=\"1\">" + word_paragraphs(doc.footnotes) +
                                                     "</w:footnote></w:footnotes>");
    }
    for (const auto &[name, content] : doc.embedded) files.emplace_back("word/embeddings/" + name, content);
    if (!doc.title.empty()) {
        overrides.push_back({"docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"});
        files.emplace_back("docProps/core.xml",
                           std::string(kXmlDecl) +
                               "<cp:coreProperties "
                               "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
                               "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>" +
                               xml_escape(doc.title) + "</dc:title><dc:creator>Ann</dc:creator></cp:coreProperties>");
    }
    files.insert(files.begin(), {"_rels/.rels", root_rels("word/document.xml")});
    files.insert(files.begin(), {"[Content_Types].xml", content_types(overrides)});
    return files;
}

std::string docx(const WordDocument &doc, bool seekable) {
    return poco_zip(docx_parts(doc), seekable);
}

std::string xlsx(const Workbook &book) {
    std::vector<std::pair<std::string, std::string>> overrides = {
        {"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"},
        {"xl/sharedStrings.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"}};
    const std::string ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
    std::string sheets_xml, rels;
    Files files;
    for (size_t s = 0; s < book.sheets.size(); ++s) {
        const std::string n = std::to_string(s + 1);
        overrides.push_back({"xl/worksheets/sheet" + n + ".xml",
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"});
        sheets_xml += "<sheet name=\"Sheet" + n + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
        rels += "<Relationship Id=\"rId" + n +
                "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
                "Target=\"worksheets/sheet" +
                n + ".xml\"/>";
        std::string data;
        for (size_t r = 0; r < book.sheets[s].size(); ++r) {
            data += "<row r=\"" + std::to_string(r + 1) + "\">";
            for (size_t c = 0; c < book.sheets[s][r].size(); ++c) {
                const std::string &cell = book.sheets[s][r][c];
                const std::string ref = column_name(c) + std::to_string(r + 1);
                if (cell.rfind("s:", 0) == 0) {
                    data += "<c r=\"" + ref + "\" t=\"s\"><v>" + cell.substr(2) + "</v></c>";
                } else if (cell.rfind("i:", 0) == 0) {
                    data +=
                        "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + xml_escape(cell.substr(2)) + "</t></is></c>";
                } else if (cell.rfind("r:", 0) == 0) {
                    data += "<c r=\"" + ref + "\" t=\"inlineStr\"><is>";
                    std::string rest = cell.substr(2);
                    size_t at = 0;
                    while (true) {
                        const size_t bar = rest.find('|', at);
                        data += "<r><rPr><b/></rPr><t xml:space=\"preserve\">" +
                                xml_escape(rest.substr(at, bar == std::string::npos ? std::string::npos : bar - at)) +
                                "</t></r>";
                        if (bar == std::string::npos) break;
                        at = bar + 1;
                    }
                    data += "</is></c>";
                } else {
                    data += "<c r=\"" + ref + "\"><v>" + cell + "</v></c>";
                }
            }
            data += "</row>";
        }
        std::string after;
        if (s == 0 && (!book.header.empty() || !book.footer.empty()))
            after += "<headerFooter><oddHeader>" + xml_escape(book.header) + "</oddHeader><oddFooter>" +
                     xml_escape(book.footer) + "</oddFooter></headerFooter>";
        if (s == 0 && !book.text_box.empty()) after += "<drawing r:id=\"rIdDrawing\"/>";
        files.emplace_back("xl/worksheets/sheet" + n + ".xml",
                           std::string(kXmlDecl) + "<worksheet " + ns +
                               " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                               "<sheetData>" +
                               data + "</sheetData>" + after + "</worksheet>");
    }
    std::string sst =
        std::string(kXmlDecl) + "<sst " + ns + " count=\"" + std::to_string(book.shared_strings.size()) + "\">";
    for (const std::string &s : book.shared_strings) {
        // Strings with a '|' are written as rich text: one run per piece.
        if (s.find('|') == std::string::npos) {
            sst += "<si><t>" + xml_escape(s) + "</t></si>";
        } else {
            sst += "<si>";
            size_t at = 0;
            while (true) {
                const size_t bar = s.find('|', at);
                sst += "<r><t xml:space=\"preserve\">" +
                       xml_escape(s.substr(at, bar == std::string::npos ? std::string::npos : bar - at)) + "</t></r>";
                if (bar == std::string::npos) break;
                at = bar + 1;
            }
            sst += "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>";
        }
    }
    sst += "</sst>";
    if (!book.comment.empty())
        overrides.push_back(
            {"xl/comments1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"});
    if (!book.threaded_comment.empty())
        overrides.push_back(
            {"xl/threadedComments/threadedComment1.xml", "application/vnd.ms-excel.threadedcomments+xml"});
    if (!book.text_box.empty())
        overrides.push_back({"xl/drawings/drawing1.xml", "application/vnd.openxmlformats-officedocument.drawing+xml"});
    Files all = {{"[Content_Types].xml", content_types(overrides)},
                 {"_rels/.rels", root_rels("xl/workbook.xml")},
                 {"xl/workbook.xml",
                  std::string(kXmlDecl) + "<workbook " + ns +
                      " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>" +
                      sheets_xml + "</sheets></workbook>"},
                 {"xl/_rels/workbook.xml.rels",
                  std::string(kXmlDecl) +
                      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" + rels +
                      "</Relationships>"}};
    // Shared strings after the sheets, as Excel writes them.
    for (auto &f : files) all.push_back(std::move(f));
    all.emplace_back("xl/sharedStrings.xml", sst);
    if (!book.comment.empty())
        all.emplace_back("xl/comments1.xml", std::string(kXmlDecl) + "<comments " + ns +
                                                 "><authors><author>Ann</author></authors><commentList>"
                                                 "<comment ref=\"A1\" authorId=\"0\"><text><r><rPr><b/></rPr><t>Ann:</t></r>"
                                                 "<r><t xml:space=\"preserve\"> " +
                                                 xml_escape(book.comment) + "</t></r></text></comment></commentList></comments>");
    if (!book.threaded_comment.empty())
        all.emplace_back("xl/threadedComments/threadedComment1.xml",
                         std::string(kXmlDecl) +
                             "<ThreadedComments xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\">"
                             "<threadedComment ref=\"B2\" id=\"{00000000-0000-0000-0000-000000000001}\"><text>" +
                             xml_escape(book.threaded_comment) + "</text></threadedComment></ThreadedComments>");
    if (!book.text_box.empty())
        all.emplace_back("xl/drawings/drawing1.xml",
                         std::string(kXmlDecl) +
                             "<xdr:wsDr xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing\" " +
                             kDrawingNs + "><xdr:twoCellAnchor><xdr:sp><xdr:txBody><a:bodyPr/>" +
                             drawing_paragraphs({{book.text_box}}) +
                             "</xdr:txBody></xdr:sp></xdr:twoCellAnchor></xdr:wsDr>");
    return poco_zip(all);
}

std::string pptx(const Presentation &deck) {
    std::vector<std::pair<std::string, std::string>> overrides = {
        {"ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"}};
    Files files;
    for (size_t i = 0; i < deck.slides.size(); ++i) {
        const std::string n = std::to_string(i + 1);
        overrides.push_back({"ppt/slides/slide" + n + ".xml",
                             "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"});
        files.emplace_back("ppt/slides/slide" + n + ".xml", std::string(kXmlDecl) + "<p:sld " + kDrawingNs +
                                                                "><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>" +
                                                                drawing_paragraphs(deck.slides[i]) +
                                                                "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>");
        if (i < deck.notes.size() && !deck.notes[i].empty()) {
            overrides.push_back({"ppt/notesSlides/notesSlide" + n + ".xml",
                                 "application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"});
            files.emplace_back(
                "ppt/notesSlides/notesSlide" + n + ".xml",
                std::string(kXmlDecl) + "<p:notes " + kDrawingNs + "><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>" +
                    drawing_paragraphs(deck.notes[i]) + "</p:txBody></p:sp></p:spTree></p:cSld></p:notes>");
        }
    }
    if (!deck.legacy_comment.empty()) {
        overrides.push_back(
            {"ppt/comments/comment1.xml", "application/vnd.openxmlformats-officedocument.presentationml.comments+xml"});
        files.emplace_back("ppt/comments/comment1.xml", std::string(kXmlDecl) + "<p:cmLst " + kDrawingNs +
                                                            "><p:cm authorId=\"0\" idx=\"1\"><p:pos x=\"10\" y=\"10\"/>"
                                                            "<p:text>" +
                                                            xml_escape(deck.legacy_comment) + "</p:text></p:cm></p:cmLst>");
    }
    if (!deck.modern_comment.empty()) {
        const std::string part = "ppt/comments/modernComment_100_0.xml";
        overrides.push_back({part, "application/vnd.ms-powerpoint.comments+xml"});
        files.emplace_back(part, std::string(kXmlDecl) +
                                     "<p188:cmLst xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
                                     "xmlns:p188=\"http://schemas.microsoft.com/office/powerpoint/2018/8/main\">"
                                     "<p188:cm id=\"{00000000-0000-0000-0000-000000000001}\"><p188:txBody><a:bodyPr/>" +
                                     drawing_paragraphs({{deck.modern_comment}}) + "</p188:txBody></p188:cm></p188:cmLst>");
    }
    Files all = {{"[Content_Types].xml", content_types(overrides)},
                 {"_rels/.rels", root_rels("ppt/presentation.xml")},
                 {"ppt/presentation.xml", std::string(kXmlDecl) + "<p:presentation " + kDrawingNs + "/>"}};
    for (auto &f : files) all.push_back(std::move(f));
    return poco_zip(all);
}

std::string odt(const std::vector<Paragraph> &paragraphs, const std::string &extra_body_xml) {
    std::string body;
    for (const Paragraph &p : paragraphs) body += odf_paragraph(p);
    return odf_package("application/vnd.oasis.opendocument.text", body + extra_body_xml, "text");
}

std::string odt(const TextDocument &doc) {
    std::string body;
    for (const Paragraph &p : doc.paragraphs) body += odf_paragraph(p);
    if (!doc.table.empty()) {
        body += "<table:table table:name=\"Table1\">";
        for (const auto &row : doc.table) {
            body += "<table:table-row>";
            for (const auto &cell : row) {
                body += "<table:table-cell office:value-type=\"string\">";
                for (const std::string &p : cell) body += odf_paragraph({p});
                body += "</table:table-cell>";
            }
            body += "</table:table-row>";
        }
        body += "</table:table>";
    }
    return odf_package("application/vnd.oasis.opendocument.text", body, "text", doc.user_defined);
}

std::string ods(const std::vector<std::vector<std::string>> &rows) {
    std::string body = "<table:table table:name=\"Sheet1\">";
    for (const auto &row : rows) {
        body += "<table:table-row>";
        for (const std::string &cell : row)
            body += "<table:table-cell office:value-type=\"string\"><text:p>" + xml_escape(cell) +
                    "</text:p></table:table-cell>";
        body += "<table:table-cell table:number-columns-repeated=\"1000000\"/></table:table-row>";
    }
    body += "</table:table>";
    return odf_package("application/vnd.oasis.opendocument.spreadsheet", body, "spreadsheet");
}

std::string odp(const std::vector<std::vector<Paragraph>> &slides) {
    std::string body;
    for (size_t i = 0; i < slides.size(); ++i) {
        body += "<draw:page draw:name=\"page" + std::to_string(i + 1) + "\"><draw:frame><draw:text-box>";
        for (const Paragraph &p : slides[i]) body += odf_paragraph(p);
        body += "</draw:text-box></draw:frame></draw:page>";
    }
    return odf_package("application/vnd.oasis.opendocument.presentation", body, "presentation");
}

std::string odt_encrypted() {
    const std::string mime = "application/vnd.oasis.opendocument.text";
    std::string scrambled;
    for (int i = 0; i < 512; ++i) scrambled.push_back(static_cast<char>((i * 151 + 7) & 0xFF));
    return poco_zip(
        {{"mimetype", mime}, {"META-INF/manifest.xml", odf_manifest(mime, true)}, {"content.xml", scrambled}}, true,
        {"mimetype", "content.xml"});
}

std::string pdf(const std::vector<PdfPage> &pages) {
    return pdf_document(pages, false);
}
std::string pdf_encrypted(const std::vector<PdfPage> &pages) {
    return pdf_document(pages, true);
}

std::string utf16(const std::string &utf8, bool big_endian, bool bom) {
    std::string out;
    auto unit = [&](uint32_t u) {
        const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
        out.push_back(big_endian ? hi : lo);
        out.push_back(big_endian ? lo : hi);
    };
    if (bom) unit(0xFEFF);
    for (uint32_t cp : code_points(utf8)) {
        if (cp >= 0x10000) {
            cp -= 0x10000;
            unit(0xD800 + (cp >> 10));
            unit(0xDC00 + (cp & 0x3FF));
        } else {
            unit(cp);
        }
    }
    return out;
}

std::string windows1252(const std::string &utf8) {
    static const uint16_t high[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
    std::string out;
    for (uint32_t cp : code_points(utf8)) {
        if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) {
            out.push_back(static_cast<char>(cp));
            continue;
        }
        char c = '?';
        for (int i = 0; i < 32; ++i)
            if (high[i] == cp && cp != 0) c = static_cast<char>(0x80 + i);
        out.push_back(c);
    }
    return out;
}

}  // namespace dlpd::test::docs
