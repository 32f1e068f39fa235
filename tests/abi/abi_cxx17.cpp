// plugin.h must compile as strict C++17 and keep its pinned layout.
#include "abi_layout_pins.h"

#include <cstring>
#include <type_traits>

static_assert(std::is_standard_layout_v<dlpd_plugin> && std::is_trivial_v<dlpd_plugin>,
              "ABI structs are plain C data");
static_assert(std::is_standard_layout_v<dlpd_request> && std::is_trivial_v<dlpd_request>,
              "ABI structs are plain C data");

int main() {
    // DLPD_HAS_MEMBER reads only what struct_size covers.
    dlpd_plugin p{};
    p.struct_size = static_cast<uint32_t>(offsetof(dlpd_plugin, init));
    const bool has_id = DLPD_HAS_MEMBER(dlpd_plugin, &p, id);
    const bool has_init = DLPD_HAS_MEMBER(dlpd_plugin, &p, init);
    return (has_id && !has_init && std::strcmp(DLPD_EXT_VALIDATOR, "dlpd.validator/1") == 0) ? 0 : 1;
}
