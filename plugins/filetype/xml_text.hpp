// The XML reader for Office parts: Poco::XML's SAX parser (expat underneath)
// with namespaces off (elements are matched by local name, whatever the
// prefix) and external entities off (no file or network access from a
// document; expat's own guard stops entity-expansion bombs).
#ifndef DLPD_FILETYPE_XML_TEXT_HPP
#define DLPD_FILETYPE_XML_TEXT_HPP

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text_builder.hpp"

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

// Document properties (OOXML docProps, ODF meta.xml) as text, one line per
// property: "title: Budget". An element is read when its local name is in
// the list; its label is the given one, or when that is empty the element's
// name attribute (custom and user-defined properties), and its value is all
// the text inside it.
class PropertyText final : public XmlHandler {
public:
    using Names = std::vector<std::pair<std::string_view, std::string_view>>;  // local name, label
    PropertyText(Names names, TextBuilder &out) : names_(std::move(names)), out_(out) {}
    void start(std::string_view name, const XmlAttributes &attributes) override;
    void end(std::string_view name) override;
    void characters(std::string_view text) override;

private:
    static constexpr size_t kMaxValue = 1 << 20;
    Names names_;
    TextBuilder &out_;
    std::string label_, value_;
    int depth_ = 0;  // inside a property element: 1 + its descendants' depth
};

// Parses one XML document. Returns empty when it was well-formed, else the
// parser's message (events up to the error were delivered).
std::string parse_xml(std::string_view xml, XmlHandler &handler);

// "w:t" -> "t"
std::string_view local_name(std::string_view qualified);

}  // namespace dlpd::filetype

#endif
