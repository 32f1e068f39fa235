#include "engine/scan_engine.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "engine/fingerprint.hpp"
#include "engine/rule_meta.hpp"
#include "engine/engine_metrics.hpp"

namespace dlpd {

// The rules in force and the plugin instances to use. Immutable once
// published; scans hold a reference for their whole duration.
struct ScanEngine::Snapshot {
    EngineLimits limits;
    // The instances the pointers below point into: held by every scan on
    // this snapshot, so a reconfigure() never destroys one under a scan.
    std::shared_ptr<const Instances> instances;
    std::unordered_map<std::string, RuleMeta> rules;
    std::vector<const PluginInstance *> detectors;
    std::vector<const PluginInstance *> extractors;
    // By validator name.
    ValidatorsByName validators;
};

namespace {

// Collects what an extractor produces for one blob. Everything collected is
// taken from the item's extraction budget (shared by all its blobs); once it
// is spent, the extractor is asked to stop.
class ExtractCollector : public EmitterHandler {
public:
    explicit ExtractCollector(uint64_t &budget) : budget_(budget) {}
    int32_t on_text(const dlpd_text &t) override {
        if (!take(t.text.size)) return DLPD_ERR_CANCELLED;
        if (!text.empty() && text.back() != '\n') text.push_back('\n');
        text.append(view(t.text));
        return DLPD_OK;
    }
    int32_t on_blob(const dlpd_blob &b) override {
        if (!take(b.data.size)) return DLPD_ERR_CANCELLED;
        blobs.push_back({std::string(view(b.data)), std::string(view(b.name)), std::string(view(b.mime_hint))});
        return DLPD_OK;
    }
    int32_t on_diagnostic(const dlpd_diagnostic &d) override {
        diagnostics.push_back(PluginMessage{d.level, d.status, std::string(view(d.subject)),
                                            std::string(view(d.message)), d.position});
        return DLPD_OK;
    }
    std::string text;
    struct Blob {
        std::string data;
        std::string name;
        std::string mime_hint;
    };
    std::vector<Blob> blobs;
    std::vector<PluginMessage> diagnostics;
    bool over_budget = false;

private:
    bool take(uint64_t n) {
        if (n > budget_) {
            over_budget = true;
            return false;
        }
        budget_ -= n;
        return true;
    }
    uint64_t &budget_;
};

struct RawFinding {
    std::string rule;
    uint64_t start, end;
};

class DetectCollector : public EmitterHandler {
public:
    DetectCollector(uint64_t text_size, uint64_t limit) : text_size_(text_size), limit_(limit) {}
    int32_t on_finding(const dlpd_finding &f) override {
        if (f.start > f.end || f.end > text_size_) {
            bad_offsets = true;
            return DLPD_OK;
        }
        if (findings.size() >= limit_) {
            limit_reached = true;
            return DLPD_ERR_CANCELLED;
        }
        findings.push_back(RawFinding{std::string(view(f.rule)), f.start, f.end});
        return DLPD_OK;
    }
    int32_t on_diagnostic(const dlpd_diagnostic &d) override {
        diagnostics.push_back(PluginMessage{d.level, d.status, std::string(view(d.subject)),
                                            std::string(view(d.message)), d.position});
        return DLPD_OK;
    }
    std::vector<RawFinding> findings;
    std::vector<PluginMessage> diagnostics;
    bool limit_reached = false;
    bool bad_offsets = false;

private:
    uint64_t text_size_;
    uint64_t limit_;
};

LogLevel level_of(int32_t level) {
    return level <= DLPD_LOG_DEBUG     ? LogLevel::debug
           : level == DLPD_LOG_INFO    ? LogLevel::info
           : level == DLPD_LOG_WARNING ? LogLevel::warning
                                       : LogLevel::error;
}

dlpd_request make_request(std::string_view data, std::string_view name, uint32_t depth,
                          std::string_view mime_hint = {}, uint64_t deadline_ns = 0) {
    dlpd_request r{};
    r.struct_size = sizeof r;
    r.depth = depth;
    r.data = to_dlpd_str(data);
    r.name = to_dlpd_str(name);
    r.mime_hint = to_dlpd_str(mime_hint);
    r.deadline_ns = deadline_ns;
    return r;
}

// The clock of dlpd_request.deadline_ns (the host's monotonic_ns).
uint64_t now_ns() {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}

// Text we can scan as it is: no NUL byte in the first 8 KiB. Anything else
// needs an extractor that knows its type.
bool looks_like_text(std::string_view data) { return data.substr(0, 8192).find('\0') == std::string_view::npos; }

}  // namespace

// One scan of one item; carries the snapshot and the result.
class ScanEngine::Pipeline {
public:
    Pipeline(const Snapshot &snapshot, const EngineLimits &limits, ScanResult &out, uint64_t deadline_ns = 0,
             const ValueAllowlist *allowlist = nullptr)
        : snap_(snapshot), limits_(limits), out_(out), extract_budget_(limits.max_extracted_bytes),
          deadline_ns_(deadline_ns), allowlist_(allowlist) {}

    void item(std::string_view data, std::string_view path, uint32_t depth, std::string_view mime_hint = {}) {
        if (data.size() > limits_.max_item_bytes) {
            diagnostic(path, "dlpd", LogLevel::warning, DLPD_ERR_LIMIT, "",
                       "item of " + std::to_string(data.size()) + " bytes exceeds max_item_bytes (" +
                           std::to_string(limits_.max_item_bytes) + "); not scanned");
            return;
        }
        bool handled = false;
        std::unique_ptr<ExtractCollector> extracted;
        for (const PluginInstance *ex : snap_.extractors) {  // usually none or one
            auto attempt = std::make_unique<ExtractCollector>(extract_budget_);
            const dlpd_request req = make_request(data, path, depth, mime_hint, deadline_ns_);
            const LoadedPlugin &p = ex->plugin();
            int32_t status = call_plugin(p, "extract", [&] {
                return p.extractor->extract(ex->raw(), &req, attempt->table());
            });
            if (status == DLPD_ERR_UNSUPPORTED) continue;
            handled = true;
            // A failure the plugin explained in a diagnostic of its own needs
            // no second, vaguer one.
            bool explained = false;
            for (const auto &m : attempt->diagnostics) {
                diagnostic(path, p.name, level_of(m.level), m.status, m.subject, m.message);
                explained = explained || m.status == status;
            }
            if (attempt->over_budget) {
                explained = true;
                if (!budget_reported_)
                    diagnostic(path, "dlpd", LogLevel::warning, DLPD_ERR_LIMIT, "",
                               "more than max_extracted_bytes (" + std::to_string(limits_.max_extracted_bytes) +
                                   ") extracted from this item; the rest is not scanned");
                budget_reported_ = true;
            }
            if (status != DLPD_OK && status != DLPD_ERR_ENCRYPTED && status != DLPD_ERR_CORRUPT_INPUT &&
                status != DLPD_ERR_LIMIT && status != DLPD_ERR_CANCELLED)
                count_plugin_error(p, "extract");
            if (status != DLPD_OK && !explained)
                diagnostic(path, p.name, LogLevel::warning, status, "",
                           "extraction stopped with " + status_name(status) + "; what was extracted is scanned");
            extracted = std::move(attempt);
            break;
        }
        if (handled) {
            detect(extracted->text, path);
            for (const auto &blob : extracted->blobs) {
                const std::string member = std::string(path) + "!" + blob.name;
                if (depth + 1 > limits_.max_depth) {
                    diagnostic(member, "dlpd", LogLevel::warning, DLPD_ERR_LIMIT, "",
                               "nesting deeper than max_depth (" + std::to_string(limits_.max_depth) +
                                   "); not scanned");
                    continue;
                }
                if (deadline_ns_ != 0 && now_ns() >= deadline_ns_) {
                    diagnostic(member, "dlpd", LogLevel::warning, DLPD_ERR_LIMIT, "",
                               "the item took longer than max_item_seconds (" +
                                   std::to_string(limits_.max_item_seconds) +
                                   "); this member and the ones after it are not scanned");
                    break;
                }
                item(blob.data, member, depth + 1, blob.mime_hint);
            }
            return;
        }
        if (!looks_like_text(data)) {
            diagnostic(path, "dlpd", LogLevel::info, DLPD_ERR_UNSUPPORTED, "",
                       "binary content that no extractor handles; skipped");
            return;
        }
        detect(data, path);
    }

    // Text that is known to be text (a message): straight to the detectors.
    void text(std::string_view text, std::string_view path) {
        if (text.size() > limits_.max_item_bytes) {
            diagnostic(path, "dlpd", LogLevel::warning, DLPD_ERR_LIMIT, "",
                       "text of " + std::to_string(text.size()) + " bytes exceeds max_item_bytes (" +
                           std::to_string(limits_.max_item_bytes) + "); not scanned");
            return;
        }
        detect(text, path);
    }

private:
    void diagnostic(std::string_view path, const std::string &source, LogLevel level, int32_t status,
                    const std::string &subject, const std::string &message) {
        out_.diagnostics.push_back(Diagnostic{std::string(path), source, level, status, subject, message});
        const std::string reason = unscanned_reason(out_.diagnostics.back());  // by kind; "note" for the rest
        scan_diagnostic_metric().with({reason.empty() ? "note" : reason, metrics::bounded_label(source)}).inc();
    }

    void detect(std::string_view text, std::string_view path) {
        if (text.empty()) return;
        const size_t first = out_.findings.size();
        for (const PluginInstance *det : snap_.detectors) {
            const LoadedPlugin &p = det->plugin();
            const uint64_t room = limits_.max_findings_per_item > out_.findings.size()
                                      ? limits_.max_findings_per_item - out_.findings.size()
                                      : 0;
            DetectCollector found(text.size(), room);
            const dlpd_request req = make_request(text, path, 0);
            int32_t status = call_plugin(p, "scan", [&] { return p.detector->scan(det->raw(), &req, found.table()); });
            for (const auto &m : found.diagnostics)
                diagnostic(path, p.name, level_of(m.level), m.status, m.subject, m.message);
            if (found.bad_offsets)
                diagnostic(path, p.name, LogLevel::error, DLPD_ERR_INTERNAL, "",
                           "the detector reported findings outside the text; they were dropped");
            if (found.limit_reached)
                diagnostic(path, "dlpd", LogLevel::warning, DLPD_ERR_LIMIT, "",
                           "more than max_findings_per_item (" + std::to_string(limits_.max_findings_per_item) +
                               ") findings; the rest were not reported");
            if (status != DLPD_OK && status != DLPD_ERR_LIMIT && status != DLPD_ERR_CANCELLED)
                count_plugin_error(p, "scan");
            if (!found.limit_reached && status != DLPD_OK)
                diagnostic(path, p.name, LogLevel::error, status, "",
                           "detector failed with " + status_name(status) + "; this item may be incompletely scanned");
            for (const RawFinding &f : found.findings) confirm(text, path, p.name, f);
        }
        if (resolve_overlaps_) drop_overlapped_guesses(first);
        number_lines(text, first);
    }

    void confirm(std::string_view text, std::string_view path, const std::string &detector, const RawFinding &f) {
        // A detector may bring rules of its own (configured in the plugin,
        // not pushed by the host): those have no validators and the default
        // severity.
        static const RuleMeta kDetectorOwnRule{};
        auto it = snap_.rules.find(f.rule);
        const RuleMeta &meta = it == snap_.rules.end() ? kDetectorOwnRule : it->second;
        const std::string_view candidate = text.substr(f.start, f.end - f.start);
        bool checksum = false;
        for (const ValidatorUse &v : meta.validators) {
            const LoadedPlugin &p = v.instance->plugin();
            int32_t verdict = DLPD_INVALID;
            int32_t status = call_plugin(p, "validate", [&] {
                return v.role->takes_args
                           ? v.role->table->validate_args(v.instance->raw(), to_dlpd_str(candidate),
                                                          to_dlpd_str(v.args), &verdict)
                           : v.role->table->validate(v.instance->raw(), to_dlpd_str(candidate), &verdict);
            });
            if (status != DLPD_OK) {
                count_plugin_error(p, "validate");
                diagnostic(path, p.name, LogLevel::warning, status, f.rule,
                           "validator " + v.name + " failed with " + status_name(status) +
                               "; the finding is kept unconfirmed");
                continue;
            }
            if (verdict != DLPD_VALID) return;
            if ((v.role->flags & DLPD_VALIDATOR_CHECKSUM) != 0) checksum = true;
        }
        for (const auto &re : meta.allow)
            if (RE2::PartialMatch(re2::StringPiece(candidate.data(), candidate.size()), *re)) return;
        const bool context = !meta.context.empty() && context_near(text, f.start, f.end, meta);
        if (meta.context_required && !context) return;
        if (allowlist_ != nullptr && allowlist_->contains(candidate)) {
            ++out_.allowlisted;
            return;
        }
        Finding out;
        out.path = std::string(path);
        out.rule = f.rule;
        out.detector = detector;
        out.severity = meta.severity.empty() ? "medium" : meta.severity;
        int level = std::min(2, meta.base_confidence + (checksum ? 1 : 0) + (context ? 1 : 0));
        if (!context) level = std::min(level, meta.confidence_without_context);
        out.confidence = kConfidences[level];
        out.start = f.start;
        out.end = f.end;
        out.match = std::string(candidate);
        out.validators = meta.validator_names;
        out_.findings.push_back(std::move(out));
    }

    // Where a low-confidence finding overlaps one of another rule at medium
    // or high, that part of the text is what the surer rule says it is:
    // "4539 1488 0343" inside a Luhn-confirmed card is not also a bare,
    // low-confidence Aadhaar number. Other overlaps all stay.
    void drop_overlapped_guesses(size_t first) {
        auto begin = out_.findings.begin() + static_cast<std::ptrdiff_t>(first);
        if (out_.findings.end() - begin < 2) return;
        std::stable_sort(begin, out_.findings.end(),
                         [](const Finding &a, const Finding &b) { return a.start < b.start; });
        auto rank = [](const Finding &f) {
            return f.confidence == "high" ? 2 : f.confidence == "medium" ? 1 : 0;
        };
        std::vector<bool> dropped(static_cast<size_t>(out_.findings.end() - begin), false);
        for (size_t i = 0; i < dropped.size(); ++i) {
            const Finding &a = begin[static_cast<std::ptrdiff_t>(i)];
            for (size_t j = i + 1; j < dropped.size(); ++j) {
                const Finding &b = begin[static_cast<std::ptrdiff_t>(j)];
                if (b.start >= a.end) break;  // sorted by start: nothing after overlaps a
                // Only a low-confidence guess gives way, to a finding of at
                // least medium: two confident findings of one span both stay
                // (a vendor's token and a generic secret rule, say).
                if (a.rule == b.rule || std::min(rank(a), rank(b)) != 0 || std::max(rank(a), rank(b)) == 0) continue;
                dropped[rank(a) == 0 ? i : j] = true;
            }
        }
        size_t keep = 0;
        for (size_t i = 0; i < dropped.size(); ++i) {
            if (dropped[i]) continue;
            if (keep != i) begin[static_cast<std::ptrdiff_t>(keep)] = std::move(begin[static_cast<std::ptrdiff_t>(i)]);
            ++keep;
        }
        out_.findings.erase(begin + static_cast<std::ptrdiff_t>(keep), out_.findings.end());
    }

    // Sorts this text's findings by position and gives each its line and
    // column, counting newlines once over the text.
    void number_lines(std::string_view text, size_t first) {
        auto begin = out_.findings.begin() + static_cast<std::ptrdiff_t>(first);
        std::stable_sort(begin, out_.findings.end(),
                         [](const Finding &a, const Finding &b) { return a.start < b.start; });
        uint64_t line = 1, line_start = 0, pos = 0;
        for (auto it = begin; it != out_.findings.end(); ++it) {
            while (pos < it->start) {
                size_t nl = text.find('\n', pos);
                if (nl == std::string_view::npos || nl >= it->start) {
                    pos = it->start;
                    break;
                }
                ++line;
                line_start = nl + 1;
                pos = nl + 1;
            }
            it->line = line;
            it->column = it->start - line_start + 1;
        }
    }

    const Snapshot &snap_;
    const EngineLimits &limits_;
    ScanResult &out_;
    uint64_t extract_budget_;   // bytes extractors may still produce for this item
    bool budget_reported_ = false;
    uint64_t deadline_ns_;      // 0: none
    const ValueAllowlist *allowlist_;  // NULL: none (rule examples)
public:
    // Off for a rule's examples (they test the rule alone) and for masking
    // (where every match is masked).
    bool resolve_overlaps_ = true;
};

ScanEngine::ScanEngine(const PluginRegistry &registry, std::map<std::string, PluginSettings> settings,
                       EngineLimits limits)
    : registry_(registry) {
    auto snap = instantiate(settings, startup_problems_);
    snap->limits = limits;
    for (const auto &e : startup_problems_) log(LogLevel::error, "engine", e);
    for (const auto &name : settings) {
        if (registry.find_by_name(name.first) == nullptr) {
            std::string msg = "settings are given for plugin '" + name.first + "', which is not loaded";
            startup_problems_.push_back(msg);
            log(LogLevel::warning, "engine", msg);
        }
    }
    snapshot_.store(std::move(snap));
}

std::shared_ptr<ScanEngine::Snapshot> ScanEngine::instantiate(const std::map<std::string, PluginSettings> &settings,
                                                              std::vector<std::string> &errors) const {
    auto snap = std::make_shared<Snapshot>();
    auto instances = std::make_shared<Instances>();
    for (const auto &plugin : registry_.loaded()) {
        PluginSettings s;
        if (auto it = settings.find(plugin->name); it != settings.end()) s = it->second;
        std::string error;
        auto instance = PluginInstance::create(*plugin, s, error);
        if (!instance) {
            errors.push_back(error);
            continue;
        }
        if (plugin->detector != nullptr) snap->detectors.push_back(instance.get());
        if (plugin->extractor != nullptr) snap->extractors.push_back(instance.get());
        for (const auto &role : plugin->validators) snap->validators[role.name] = {instance.get(), &role};
        instances->push_back(std::move(instance));
    }
    snap->instances = std::move(instances);
    return snap;
}

ScanEngine::~ScanEngine() = default;

std::vector<RuleProblem> ScanEngine::check_rule(const Rule &rule) const {
    std::vector<RuleProblem> problems;
    auto snap = snapshot_.load();
    const PluginInstance *detector = nullptr;
    for (const PluginInstance *d : snap->detectors)
        if (d->plugin().name == rule.detector) detector = d;
    if (detector == nullptr) {
        problems.push_back({rule.name, "detector '" + rule.detector + "' is not loaded", -1});
    } else {
        const LoadedPlugin &p = detector->plugin();
        dlpd_rule r{sizeof(dlpd_rule), 0, to_dlpd_str(rule.name), to_dlpd_str(rule.regex)};
        DiagnosticCollector diags;
        int32_t status = call_plugin(p, "check_rule", [&] { return p.detector->check_rule(detector->raw(), &r, diags.table()); });
        for (const auto &m : diags.messages) problems.push_back({rule.name, m.message, m.position});
        if (status != DLPD_OK && diags.messages.empty())
            problems.push_back({rule.name, "rejected by " + p.name + " with " + status_name(status), -1});
    }
    resolve_rule(snap->validators, rule, problems);
    return problems;
}

ScanEngine::RulesByDetector ScanEngine::resolve_rules(Snapshot &next, const std::vector<Rule> &rules,
                                                      std::vector<RuleProblem> &problems) {
    next.rules.clear();
    RulesByDetector by_detector;
    for (const PluginInstance *d : next.detectors) by_detector[d];
    for (const Rule &rule : rules) {
        if (!rule.enabled) continue;
        const PluginInstance *detector = nullptr;
        for (const PluginInstance *d : next.detectors)
            if (d->plugin().name == rule.detector) detector = d;
        if (detector == nullptr) {
            problems.push_back({rule.name, "detector '" + rule.detector + "' is not loaded", -1});
            continue;
        }
        next.rules[rule.name] = resolve_rule(next.validators, rule, problems);
        by_detector[detector].emplace_back(rule.name, rule.regex);
    }
    return by_detector;
}

std::vector<RuleProblem> ScanEngine::set_rules(const std::vector<Rule> &rules) {
    std::lock_guard lock(set_rules_mutex_);
    auto old_snap = snapshot_.load();
    auto next = std::make_shared<Snapshot>(*old_snap);
    std::vector<RuleProblem> problems;
    auto by_detector = resolve_rules(*next, rules, problems);
    if (!problems.empty()) return problems;

    // Publish the union of old and new rule metadata first, so a scan on the
    // old detector rules and one on the new both find what they need.
    auto bridge = std::make_shared<Snapshot>(*next);
    for (const auto &kv : old_snap->rules) bridge->rules.emplace(kv.first, kv.second);
    snapshot_.store(bridge);

    std::vector<const PluginInstance *> done;
    for (const auto &[detector, list] : by_detector) {
        if (!push_rules(detector, list, &problems)) break;
        done.push_back(detector);
    }
    if (!problems.empty()) {
        // All or nothing: give the detectors that took the new rules their
        // previous ones back.
        for (const PluginInstance *d : done)
            if (!push_rules(d, installed_[d], nullptr))
                log(LogLevel::error, "engine", "detector " + d->plugin().name + " refused its previous rules back");
        snapshot_.store(old_snap);
        return problems;
    }
    installed_ = std::move(by_detector);
    rules_ = rules;
    snapshot_.store(std::move(next));
    return problems;
}

bool ScanEngine::push_rules(const PluginInstance *detector,
                            const std::vector<std::pair<std::string, std::string>> &list,
                            std::vector<RuleProblem> *report) {
    std::vector<dlpd_rule> storage;
    storage.reserve(list.size());
    for (const auto &[name, pattern] : list)
        storage.push_back(dlpd_rule{sizeof(dlpd_rule), 0, to_dlpd_str(name), to_dlpd_str(pattern)});
    std::vector<const dlpd_rule *> pointers;
    for (const auto &r : storage) pointers.push_back(&r);
    DiagnosticCollector diags;
    const LoadedPlugin &p = detector->plugin();
    int32_t status = call_plugin(p, "set_rules", [&] {
        return p.detector->set_rules(detector->raw(), pointers.data(), pointers.size(), diags.table());
    });
    if (report != nullptr) {
        for (const auto &m : diags.messages) report->push_back({m.subject, m.message, m.position});
        if (status != DLPD_OK && diags.messages.empty())
            report->push_back({"", "detector " + p.name + " refused the rules with " + status_name(status), -1});
    }
    return status == DLPD_OK;
}

std::vector<RuleProblem> ScanEngine::reconfigure(std::map<std::string, PluginSettings> settings, EngineLimits limits) {
    std::lock_guard lock(set_rules_mutex_);
    std::vector<std::string> errors;
    auto next = instantiate(settings, errors);
    std::vector<RuleProblem> problems;
    for (auto &e : errors) problems.push_back({"", std::move(e), -1});
    if (!problems.empty()) return problems;
    next->limits = limits;
    // The rules in force, on the new instances. Nothing is published until
    // every detector took them: the old snapshot stays whole on the old
    // instances until the swap, so no bridge is needed.
    auto by_detector = resolve_rules(*next, rules_, problems);
    if (!problems.empty()) return problems;
    for (const auto &[detector, list] : by_detector)
        if (!push_rules(detector, list, &problems)) return problems;
    installed_ = std::move(by_detector);
    snapshot_.store(std::move(next));
    return problems;
}

std::vector<RuleProblem> ScanEngine::check_examples(const std::vector<Rule> &rules) const {
    std::vector<RuleProblem> problems;
    for (const Rule &rule : rules) {
        if (!rule.enabled) continue;
        auto fires = [&](const std::string &text) {
            // The value allowlist is the installation's, not the rule's:
            // examples are checked without it.
            ScanResult r = scan_text_with(text, "example", false);
            return std::any_of(r.findings.begin(), r.findings.end(),
                               [&](const Finding &f) { return f.rule == rule.name; });
        };
        for (size_t i = 0; i < rule.examples_match.size(); ++i)
            if (!fires(rule.examples_match[i]))
                problems.push_back({rule.name, "examples.match[" + std::to_string(i) + "] is not matched", -1});
        for (size_t i = 0; i < rule.examples_no_match.size(); ++i)
            if (fires(rule.examples_no_match[i]))
                problems.push_back({rule.name, "examples.no_match[" + std::to_string(i) + "] is matched", -1});
    }
    return problems;
}

void ScanEngine::set_value_allowlist(std::shared_ptr<const ValueAllowlist> allowlist) {
    allowlist_.store(std::move(allowlist));
}

ScanResult ScanEngine::scan(std::string_view data, std::string_view name) const {
    ScanResult result;
    auto snap = snapshot_.load();
    auto allowlist = allowlist_.load();
    const EngineLimits &limits = snap->limits;
    const uint64_t deadline =
        limits.max_item_seconds == 0 ? 0 : now_ns() + uint64_t{limits.max_item_seconds} * 1000000000u;
    Pipeline pipeline(*snap, limits, result, deadline, allowlist.get());
    pipeline.item(data, name, 0);
    return result;
}

ScanResult ScanEngine::scan_text(std::string_view text, std::string_view name) const {
    return scan_text_with(text, name, true);
}

ScanResult ScanEngine::scan_text_with(std::string_view text, std::string_view name, bool use_allowlist) const {
    ScanResult result;
    auto snap = snapshot_.load();
    auto allowlist = use_allowlist ? allowlist_.load() : nullptr;
    Pipeline pipeline(*snap, snap->limits, result, 0, allowlist.get());
    pipeline.resolve_overlaps_ = use_allowlist;
    pipeline.text(text, name);
    return result;
}

}  // namespace dlpd
