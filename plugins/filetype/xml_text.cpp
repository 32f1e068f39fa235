#include "xml_text.hpp"

#include <Poco/Exception.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/SAX/XMLReader.h>

#include <exception>

namespace dlpd::filetype {

namespace {

class PocoAttributes final : public XmlAttributes {
public:
    explicit PocoAttributes(const Poco::XML::Attributes &a) : a_(a) {}
    std::string value(std::string_view wanted) const override {
        for (int i = 0; i < a_.getLength(); ++i)
            if (local_name(a_.getQName(i)) == wanted) return a_.getValue(i);
        return {};
    }

private:
    const Poco::XML::Attributes &a_;
};

// Forwards Poco's SAX events to an XmlHandler, by local name.
class Adapter final : public Poco::XML::DefaultHandler {
public:
    explicit Adapter(XmlHandler &h) : h_(h) {}
    void startElement(const Poco::XML::XMLString &, const Poco::XML::XMLString &, const Poco::XML::XMLString &qname,
                      const Poco::XML::Attributes &attributes) override {
        h_.start(local_name(qname), PocoAttributes(attributes));
    }
    void endElement(const Poco::XML::XMLString &, const Poco::XML::XMLString &,
                    const Poco::XML::XMLString &qname) override {
        h_.end(local_name(qname));
    }
    void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
        if (length > 0) h_.characters(std::string_view(ch + start, static_cast<size_t>(length)));
    }

private:
    XmlHandler &h_;
};

}  // namespace

std::string_view local_name(std::string_view qualified) {
    const size_t colon = qualified.rfind(':');
    return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

void PropertyText::start(std::string_view name, const XmlAttributes &attributes) {
    if (depth_ > 0) {
        ++depth_;
        return;
    }
    for (const auto &[wanted, label] : names_) {
        if (name != wanted) continue;
        label_ = label.empty() ? attributes.value("name") : std::string(label);
        value_.clear();
        depth_ = 1;
        return;
    }
}

void PropertyText::end(std::string_view) {
    if (depth_ == 0 || --depth_ > 0) return;
    const size_t first = value_.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return;
    const size_t last = value_.find_last_not_of(" \t\r\n");
    out_.line_break();
    if (!label_.empty()) {
        out_.append(label_);
        out_.append(": ");
    }
    out_.append(std::string_view(value_).substr(first, last - first + 1));
    out_.line_break();
}

void PropertyText::characters(std::string_view text) {
    if (depth_ > 0 && value_.size() + text.size() <= kMaxValue) value_.append(text);
}

std::string parse_xml(std::string_view xml, XmlHandler &handler) {
    try {
        Adapter adapter(handler);
        Poco::XML::SAXParser parser;
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACE_PREFIXES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
        parser.setContentHandler(&adapter);
        parser.parseMemoryNP(xml.data(), xml.size());
        return {};
    } catch (const Poco::Exception &e) {
        return e.displayText();
    } catch (const std::exception &e) {
        return e.what();
    }
}

}  // namespace dlpd::filetype
