// Which diagnostics stand for a part of an item left unscanned (see
// scan_engine.hpp): what the policy acts on and dlpd scan reports.
#include "engine/scan_engine.hpp"

namespace dlpd {

std::string unscanned_reason(const Diagnostic &d) {
    switch (d.status) {
        case DLPD_ERR_ENCRYPTED: return "encrypted";
        case DLPD_ERR_CORRUPT_INPUT: return "corrupt";
        case DLPD_ERR_LIMIT: return "limit";
        case DLPD_ERR_UNSUPPORTED: return d.level >= LogLevel::warning ? "unsupported" : "";
        case DLPD_OK:
        case DLPD_ERR_CANCELLED: return "";
        default: return d.level >= LogLevel::error ? "failed" : "";
    }
}

std::vector<UnscannedPart> unscanned_parts(const ScanResult &result) {
    std::vector<UnscannedPart> parts;
    for (const auto &d : result.diagnostics) {
        std::string reason = unscanned_reason(d);
        if (reason.empty()) continue;
        parts.push_back({d.path, d.subject, std::move(reason), d.message});
    }
    return parts;
}

}  // namespace dlpd
