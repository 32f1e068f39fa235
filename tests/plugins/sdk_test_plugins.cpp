// SDK-built plugins for pipeline tests, one per build (see tests/CMakeLists.txt):
//  - TEST_SDK_FAULTY: a detector that throws on "kaboom" (the SDK trampoline
//    must turn it into DLPD_ERR_INTERNAL plus a diagnostic) and otherwise
//    reports the word "sdksecret" under rule sdk_rule.
//  - TEST_SDK_ARCHIVE: an extractor for a toy container format, to test
//    nested blobs, member paths and the depth limit:
//        ARCHIVE\n
//        member NAME\n<content lines>\n
//        end\n
//    Members may nest. Anything not starting with "ARCHIVE\n" is unsupported.
//    Text outside members ("note ...") is emitted as the container's text.
#include <dlpd/sdk.hpp>

#include <stdexcept>
#include <string>

namespace {

#if defined(TEST_SDK_FAULTY)
class Faulty final : public dlpd::sdk::Detector {
public:
    static constexpr dlpd::sdk::PluginInfo info{"org.dlpd.test.faulty", "faulty", "0.0.1",
                                                "throws on kaboom", "dlpd tests"};
    Faulty(const dlpd::sdk::Host &, const dlpd::sdk::Config &) {}
    int32_t check_rule(const dlpd::sdk::Rule &, const dlpd::sdk::Emitter &) override { return DLPD_OK; }
    int32_t set_rules(const std::vector<dlpd::sdk::Rule> &, const dlpd::sdk::Emitter &) override { return DLPD_OK; }
    int32_t scan(const dlpd::sdk::Request &request, const dlpd::sdk::Emitter &out) override {
        if (request.data.find("kaboom") != std::string_view::npos) throw std::logic_error("faulty plugin tripped");
        size_t at = request.data.find("sdksecret");
        if (at != std::string_view::npos) out.finding("sdk_rule", at, at + 9);
        return DLPD_OK;
    }
};
#endif

#if defined(TEST_SDK_ARCHIVE)
class ToyArchive final : public dlpd::sdk::Extractor {
public:
    static constexpr dlpd::sdk::PluginInfo info{"org.dlpd.test.toyarchive", "toyarchive", "0.0.1",
                                                "toy container format for tests", "dlpd tests"};
    ToyArchive(const dlpd::sdk::Host &, const dlpd::sdk::Config &) {}
    int32_t extract(const dlpd::sdk::Request &request, const dlpd::sdk::Emitter &out) override {
        std::string_view data = request.data;
        constexpr std::string_view magic = "ARCHIVE\n";
        if (data.substr(0, magic.size()) != magic) return DLPD_ERR_UNSUPPORTED;
        data.remove_prefix(magic.size());
        std::string text;
        // Members are delimited by "member NAME" ... matching "end" lines,
        // counting nested ARCHIVE starts so inner archives stay whole.
        while (!data.empty()) {
            std::string_view line = next_line(data);
            if (line.substr(0, 7) == "member ") {
                std::string name(line.substr(7));
                std::string body;
                int depth = 0;
                while (!data.empty()) {
                    std::string_view l = next_line(data);
                    if (l == "end" && depth == 0) break;
                    if (l == "ARCHIVE") ++depth;
                    if (l == "end") --depth;
                    body.append(l).push_back('\n');
                }
                if (out.blob(body, name) != DLPD_OK) return DLPD_ERR_CANCELLED;
            } else {
                text.append(line).push_back('\n');
            }
        }
        if (!text.empty()) out.text(text);
        return DLPD_OK;
    }

private:
    static std::string_view next_line(std::string_view &data) {
        size_t nl = data.find('\n');
        std::string_view line = data.substr(0, nl);
        data.remove_prefix(nl == std::string_view::npos ? data.size() : nl + 1);
        return line;
    }
};
#endif

}  // namespace

// The entry point lives outside the unnamed namespace: it must have external linkage.
#if defined(TEST_SDK_FAULTY)
DLPD_PLUGIN(Faulty)
#endif
#if defined(TEST_SDK_ARCHIVE)
DLPD_PLUGIN(ToyArchive)
#endif
