// A detector written against the raw C ABI, without the SDK, whose scan lets
// a C++ exception escape on the text "boom". The host must contain it: that
// item fails with a message naming the plugin, and the next item is fine.
#include <dlpd/plugin.h>

#include <cstring>
#include <stdexcept>
#include <string_view>

namespace {

int32_t DLPD_ABI init(const dlpd_plugin *, const dlpd_host *) { return DLPD_OK; }
void DLPD_ABI deinit(const dlpd_plugin *) {}
int32_t DLPD_ABI create(const dlpd_plugin *, const dlpd_host *, const dlpd_config *, const dlpd_emitter *,
                        dlpd_instance **out) {
    *out = reinterpret_cast<dlpd_instance *>(const_cast<char *>("raw"));
    return DLPD_OK;
}
void DLPD_ABI destroy(dlpd_instance *) {}
int32_t DLPD_ABI check_rule(dlpd_instance *, const dlpd_rule *, const dlpd_emitter *) { return DLPD_OK; }
int32_t DLPD_ABI set_rules(dlpd_instance *, const dlpd_rule *const *, uint64_t, const dlpd_emitter *) {
    return DLPD_OK;
}
int32_t DLPD_ABI scan(dlpd_instance *, const dlpd_request *request, const dlpd_emitter *out) {
    std::string_view text(request->data.data, request->data.size);
    if (text.find("boom") != std::string_view::npos) throw std::runtime_error("raw plugin exploded");
    size_t at = text.find("rawsecret");
    if (at != std::string_view::npos) {
        dlpd_finding f{};
        f.struct_size = sizeof f;
        f.rule = dlpd_str{"raw_rule", 8};
        f.start = f.match_start = at;
        f.end = f.match_end = at + 9;
        out->emit_finding(out, &f);
    }
    return DLPD_OK;
}
const dlpd_detector detector_table{sizeof(dlpd_detector), 0, &check_rule, &set_rules, &scan};

const void *DLPD_ABI get_extension(const dlpd_plugin *, const char *id) {
    return std::strcmp(id, DLPD_EXT_DETECTOR) == 0 ? &detector_table : nullptr;
}

const dlpd_plugin descriptor{sizeof(dlpd_plugin), DLPD_ABI_MAJOR, DLPD_ABI_MINOR, 0, "org.dlpd.test.raw", "raw",
                             "0.0.1", "raw ABI detector that throws", "dlpd tests", nullptr, 0, &init, &deinit,
                             &create, &destroy, &get_extension};

}  // namespace

extern "C" DLPD_EXPORT const dlpd_plugin *DLPD_ABI dlpd_plugin_entry(uint32_t major, uint32_t, const dlpd_host *) {
    return major == DLPD_ABI_MAJOR ? &descriptor : nullptr;
}
