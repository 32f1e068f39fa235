// Fuzz target for the validators plugin's checks (plugins/validators): any
// bytes go to every validator, which must answer accept or reject without a
// crash, a sanitizer report or an exception, and answer the same twice.
//
// Input layout: byte 0 picks one validator (mod the count), byte 1 % 16 is
// the length of an argument that follows; the rest is the candidate. The
// picked validator gets the argument through check_args and, when accepted,
// validate; every validator then sees the candidate with no argument.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "registry.hpp"

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    using dlpd::validators::Check;
    using dlpd::validators::kCheckCount;
    using dlpd::validators::kChecks;
    if (size < 2) return 0;
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const Check &picked = kChecks[data[0] % kCheckCount];
    const std::size_t args_size = std::min<std::size_t>(data[1] % 16, size - 2);
    const std::string_view args = input.substr(2, args_size);
    const std::string_view candidate = input.substr(2 + args_size);

    const std::string_view message = picked.check_args(args);
    if (message.empty()) {
        const bool first = picked.validate(candidate, args);
        check(first == picked.validate(candidate, args));
    }
    // The argument of `entropy:X` read back is the number checked.
    if (picked.name == "entropy" && message.empty()) {
        const auto bits = dlpd::validators::parse_entropy_threshold(args);
        check(bits.has_value() && *bits > 0.0 && *bits <= 8.0);
    }
    for (const Check &c : kChecks) {
        if (!c.check_args({}).empty()) continue;  // needs an argument (entropy)
        const bool first = c.validate(candidate, {});
        check(first == c.validate(candidate, {}));
    }
    const double bits = dlpd::validators::shannon_bits_per_char(candidate);
    check(bits >= 0.0 && bits <= 8.0 + 1e-9);
    return 0;
}
