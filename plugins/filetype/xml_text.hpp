// The XML reader for Office parts: Poco::XML's SAX parser (expat underneath)
// with namespaces off (elements are matched by local name, whatever the
// prefix) and external entities off (no file or network access from a
// document; expat's own guard stops entity-expansion bombs).
#ifndef DLPD_FILETYPE_XML_TEXT_HPP
#define DLPD_FILETYPE_XML_TEXT_HPP

#include <string>
#include <string_view>

namespace dlpd::filetype {

// The attributes of the element being started, looked up by local name.
class XmlAttributes {
public:
    virtual ~XmlAttributes() = default;
    virtual std::string value(std::string_view local_name) const = 0;
};

// Receives the events of one document. Handlers must not throw.
class XmlHandler {
public:
    virtual ~XmlHandler() = default;
    virtual void start(std::string_view local_name, const XmlAttributes &attributes) = 0;
    virtual void end(std::string_view local_name) = 0;
    virtual void characters(std::string_view text) = 0;
};

// Parses one XML document. Returns empty when it was well-formed, else the
// parser's message (events up to the error were delivered).
std::string parse_xml(std::string_view xml, XmlHandler &handler);

// "w:t" -> "t"
std::string_view local_name(std::string_view qualified);

}  // namespace dlpd::filetype

#endif
