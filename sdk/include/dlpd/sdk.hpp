// dlpd plugin SDK: a C++17 header-only layer over <dlpd/plugin.h>.
//
// A plugin is one class plus one macro:
//
//     class Luhn final : public dlpd::sdk::Validator {
//     public:
//         static constexpr dlpd::sdk::PluginInfo info{"org.dlpd.luhn", "luhn", "1.0.0",
//                                                     "Luhn checksum of card numbers", "dlpd"};
//         static constexpr const char *validator_name = "luhn";
//         Luhn(const dlpd::sdk::Host &, const dlpd::sdk::Config &) {}
//         bool validate(std::string_view candidate) override;
//     };
//     DLPD_PLUGIN(Luhn)
//
// A plugin with several validators derives from ValidatorSet instead and lists
// them, with their flags, in `static constexpr dlpd::sdk::ValidatorSpec
// validators[]`; validate() then gets the index of the one asked for and the
// rule's argument (`entropy:3.5` gives "3.5").
//
// The class derives from one or more of Detector, Extractor, Validator and
// ValidatorSet;
// the SDK fills the matching ABI extension tables. Every entry point is a
// noexcept trampoline that turns an exception into a status code and a
// diagnostic, so nothing ever unwinds into the host. All descriptor data is
// constexpr: the plugin runs no code at load time.
//
// Optional static members of the class:
//   static constexpr dlpd::sdk::ConfigKey config_schema[] = {...};
//
// Instances are shared across threads by the host: scan(), extract(),
// validate(), check_rule() and set_rules() may run concurrently
// ([any-thread] in plugin.h), so keep per-call state on the stack.
#ifndef DLPD_SDK_HPP
#define DLPD_SDK_HPP

#include <dlpd/plugin.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace dlpd::sdk {

inline std::string_view view(dlpd_str s) noexcept {
    return s.data == nullptr ? std::string_view{} : std::string_view{s.data, static_cast<size_t>(s.size)};
}

inline dlpd_str str(std::string_view s) noexcept { return dlpd_str{s.data(), s.size()}; }

// Thrown by plugin code to fail a call with a specific status and a message
// for people. The trampoline reports the message as a diagnostic.
class Error : public std::runtime_error {
public:
    Error(int32_t status, const std::string &message) : std::runtime_error(message), status_(status) {}
    int32_t status() const noexcept { return status_; }

private:
    int32_t status_;
};

// The host's services, as given to the plugin. Cheap to copy; valid until
// the plugin is deinitialised.
class Host {
public:
    explicit Host(const dlpd_host *host) noexcept : host_(host) {}

    void log(int32_t level, std::string_view message) const noexcept {
        if (host_ != nullptr) host_->log(host_, level, str(message));
    }
    void info(std::string_view message) const noexcept { log(DLPD_LOG_INFO, message); }
    void warning(std::string_view message) const noexcept { log(DLPD_LOG_WARNING, message); }
    void error(std::string_view message) const noexcept { log(DLPD_LOG_ERROR, message); }

    uint64_t monotonic_ns() const noexcept { return host_ != nullptr ? host_->monotonic_ns(host_) : 0; }

    const dlpd_host *raw() const noexcept { return host_; }

private:
    const dlpd_host *host_;
};

// One declared configuration key; turned into a dlpd_config_key.
struct ConfigKey {
    int32_t type;
    const char *name;
    const char *default_value;
    const char *description;
    uint32_t flags = 0;
    int64_t min_value = 0;
    int64_t max_value = -1;
};

// The configuration given to create(). Values were validated by the host
// against the schema; the typed getters still check, and throw Error
// (DLPD_ERR_CONFIG) on a value they cannot read.
class Config {
public:
    Config() = default;
    explicit Config(const dlpd_config *config) {
        if (config == nullptr || config->values == nullptr) return;
        for (uint64_t i = 0; i < config->count; ++i) {
            const dlpd_config_value *v = config->values[i];
            if (v == nullptr) continue;
            values_.emplace_back(std::string(view(v->key)), std::string(view(v->value)));
        }
    }

    bool has(std::string_view key) const noexcept { return find(key) != nullptr; }

    std::string string(std::string_view key, std::string_view fallback = {}) const {
        const std::string *v = find(key);
        return v != nullptr ? *v : std::string(fallback);
    }

    int64_t integer(std::string_view key, int64_t fallback) const {
        const std::string *v = find(key);
        if (v == nullptr) return fallback;
        char *end = nullptr;
        long long parsed = std::strtoll(v->c_str(), &end, 10);
        if (v->empty() || end != v->c_str() + v->size())
            throw Error(DLPD_ERR_CONFIG, "configuration key '" + std::string(key) +
                                             "' is not an integer: '" + *v + "'");
        return static_cast<int64_t>(parsed);
    }

    bool boolean(std::string_view key, bool fallback) const {
        const std::string *v = find(key);
        if (v == nullptr) return fallback;
        if (*v == "true") return true;
        if (*v == "false") return false;
        throw Error(DLPD_ERR_CONFIG,
                    "configuration key '" + std::string(key) + "' is not true or false: '" + *v + "'");
    }

    std::vector<std::string> list(std::string_view key) const {
        std::vector<std::string> out;
        for (const auto &kv : values_)
            if (kv.first == key) out.push_back(kv.second);
        return out;
    }

private:
    const std::string *find(std::string_view key) const noexcept {
        for (const auto &kv : values_)
            if (kv.first == key) return &kv.second;
        return nullptr;
    }
    std::vector<std::pair<std::string, std::string>> values_;
};

// The host's callbacks for one call. Each method returns the callback's
// status: DLPD_OK to go on, DLPD_ERR_CANCELLED when the host asks to stop.
class Emitter {
public:
    explicit Emitter(const dlpd_emitter *emitter) noexcept : e_(emitter) {}

    // A finding: [start, end) is the sensitive part, [match_start, match_end)
    // the whole match, both byte offsets into the request's data.
    int32_t finding(std::string_view rule, uint64_t start, uint64_t end, uint64_t match_start,
                    uint64_t match_end) const noexcept {
        dlpd_finding f{};
        f.struct_size = sizeof f;
        f.rule = str(rule);
        f.start = start;
        f.end = end;
        f.match_start = match_start;
        f.match_end = match_end;
        return e_->emit_finding(e_, &f);
    }
    // A finding whose sensitive part is the whole match.
    int32_t finding(std::string_view rule, uint64_t start, uint64_t end) const noexcept {
        return finding(rule, start, end, start, end);
    }

    int32_t text(std::string_view text, std::string_view location = {}) const noexcept {
        dlpd_text t{};
        t.struct_size = sizeof t;
        t.text = str(text);
        t.location = str(location);
        return e_->emit_text(e_, &t);
    }

    int32_t blob(std::string_view data, std::string_view name, std::string_view mime_hint = {}) const noexcept {
        dlpd_blob b{};
        b.struct_size = sizeof b;
        b.data = str(data);
        b.name = str(name);
        b.mime_hint = str(mime_hint);
        return e_->emit_blob(e_, &b);
    }

    int32_t diagnostic(int32_t level, int32_t status, std::string_view subject, std::string_view message,
                       int64_t position = -1) const noexcept {
        dlpd_diagnostic d{};
        d.struct_size = sizeof d;
        d.level = level;
        d.status = status;
        d.subject = str(subject);
        d.message = str(message);
        d.position = position;
        return e_->emit_diagnostic(e_, &d);
    }

private:
    const dlpd_emitter *e_;
};

// One item handed to scan() or extract(); views borrowed for the call.
struct Request {
    std::string_view data;
    std::string_view name;
    std::string_view mime_hint;
    uint32_t depth = 0;
    uint64_t deadline_ns = 0;
};

// One rule handed to check_rule() or set_rules(); views borrowed for the call.
struct Rule {
    std::string_view name;
    std::string_view pattern;
};

struct PluginInfo {
    const char *id;
    const char *name;
    const char *version;
    const char *description;
    const char *vendor;
};

// Role base classes. A plugin class derives from the ones it fills.
class Detector {
public:
    virtual ~Detector() = default;
    // DLPD_OK, or DLPD_ERR_BAD_RULE with one diagnostic naming the rule.
    virtual int32_t check_rule(const Rule &rule, const Emitter &diagnostics) = 0;
    // Atomic replacement of the rule set; see dlpd_detector.set_rules.
    virtual int32_t set_rules(const std::vector<Rule> &rules, const Emitter &diagnostics) = 0;
    virtual int32_t scan(const Request &request, const Emitter &out) = 0;
};

class Extractor {
public:
    virtual ~Extractor() = default;
    virtual int32_t extract(const Request &request, const Emitter &out) = 0;
};

// One validator. Optional static member: `static constexpr uint32_t
// validator_flags = DLPD_VALIDATOR_CHECKSUM;` when a confirmation is a check
// digit or checksum. It takes no argument.
class Validator {
public:
    virtual ~Validator() = default;
    virtual bool validate(std::string_view candidate) = 0;
};

// One entry of a ValidatorSet: the name rules use, and DLPD_VALIDATOR_* flags.
struct ValidatorSpec {
    const char *name;
    uint32_t flags;
};

// Several validators in one plugin (DLPD_EXT_VALIDATOR_SET). `which` is the
// index into the class's `validators[]`; `args` is the rule's argument, empty
// when it gives none.
class ValidatorSet {
public:
    virtual ~ValidatorSet() = default;
    virtual bool validate(size_t which, std::string_view candidate, std::string_view args) = 0;
    // "" when args are acceptable to validator `which`, else what is wrong
    // with them. Called when a rule is checked, never while scanning.
    virtual std::string check_args(size_t which, std::string_view args) {
        (void)which;
        return args.empty() ? std::string() : std::string("takes no argument");
    }
};

namespace detail {

inline Request to_request(const dlpd_request *r) {
    Request out;
    if (r == nullptr) return out;
    out.data = view(r->data);
    out.name = view(r->name);
    out.mime_hint = view(r->mime_hint);
    out.depth = r->depth;
    out.deadline_ns = r->deadline_ns;
    return out;
}

inline Rule to_rule(const dlpd_rule *r) {
    if (r == nullptr) throw Error(DLPD_ERR_INVALID_ARGUMENT, "NULL rule");
    return Rule{view(r->name), view(r->pattern)};
}

// Runs body, turning every exception into a status code and, when an
// emitter is at hand, a diagnostic. This is what keeps C++ exceptions from
// crossing the C boundary.
template <class Body>
int32_t guarded(const dlpd_emitter *diagnostics, std::string_view subject, Body &&body) noexcept {
    try {
        return body();
    } catch (const Error &e) {
        if (diagnostics != nullptr) Emitter(diagnostics).diagnostic(DLPD_LOG_ERROR, e.status(), subject, e.what());
        return e.status();
    } catch (const std::bad_alloc &) {
        if (diagnostics != nullptr)
            Emitter(diagnostics).diagnostic(DLPD_LOG_ERROR, DLPD_ERR_NO_MEMORY, subject, "out of memory");
        return DLPD_ERR_NO_MEMORY;
    } catch (const std::exception &e) {
        if (diagnostics != nullptr)
            Emitter(diagnostics).diagnostic(DLPD_LOG_ERROR, DLPD_ERR_INTERNAL, subject,
                                            std::string("internal error: ") + e.what());
        return DLPD_ERR_INTERNAL;
    } catch (...) {
        if (diagnostics != nullptr)
            Emitter(diagnostics).diagnostic(DLPD_LOG_ERROR, DLPD_ERR_INTERNAL, subject,
                                            "internal error: unknown exception");
        return DLPD_ERR_INTERNAL;
    }
}

template <class P>
P *self(dlpd_instance *instance) noexcept {
    return reinterpret_cast<P *>(instance);
}

template <class P, class = void>
struct schema_of {
    static constexpr size_t count = 0;
    static constexpr ConfigKey at(size_t) { return ConfigKey{0, nullptr, nullptr, nullptr}; }
};
template <class P>
struct schema_of<P, std::void_t<decltype(P::config_schema)>> {
    static constexpr size_t count = std::extent_v<decltype(P::config_schema)>;
    static constexpr ConfigKey at(size_t i) { return P::config_schema[i]; }
};

template <class P, class = void>
struct specs_of {
    static constexpr size_t count = 0;
    static constexpr ValidatorSpec at(size_t) { return ValidatorSpec{"", 0}; }
};
template <class P>
struct specs_of<P, std::void_t<decltype(P::validators)>> {
    static constexpr size_t count = std::extent_v<decltype(P::validators)>;
    static constexpr ValidatorSpec at(size_t i) { return P::validators[i]; }
};

template <class P, class = void>
struct flags_of {
    static constexpr bool present = false;
};
template <class P>
struct flags_of<P, std::void_t<decltype(P::validator_flags)>> {
    static constexpr bool present = true;
};

template <class P>
struct Tables {
    static constexpr size_t key_count = schema_of<P>::count;

    static constexpr std::array<dlpd_config_key, key_count> make_keys() {
        std::array<dlpd_config_key, key_count> out{};
        for (size_t i = 0; i < key_count; ++i) {
            const ConfigKey k = schema_of<P>::at(i);
            out[i] = dlpd_config_key{sizeof(dlpd_config_key), k.type,        k.flags,     0,
                                     k.name,                  k.default_value, k.description, k.min_value,
                                     k.max_value};
        }
        return out;
    }
    static constexpr std::array<dlpd_config_key, key_count> keys = make_keys();

    template <size_t... I>
    static constexpr std::array<const dlpd_config_key *, key_count> make_key_ptrs(std::index_sequence<I...>) {
        return {{&keys[I]...}};
    }
    static constexpr std::array<const dlpd_config_key *, key_count> key_ptrs =
        make_key_ptrs(std::make_index_sequence<key_count>{});

    // --- lifecycle -------------------------------------------------------
    static int32_t DLPD_ABI init(const dlpd_plugin *, const dlpd_host *) noexcept { return DLPD_OK; }
    static void DLPD_ABI deinit(const dlpd_plugin *) noexcept {}

    static int32_t DLPD_ABI create(const dlpd_plugin *, const dlpd_host *host, const dlpd_config *config,
                                   const dlpd_emitter *diagnostics, dlpd_instance **out) noexcept {
        if (out == nullptr) return DLPD_ERR_INVALID_ARGUMENT;
        *out = nullptr;
        return guarded(diagnostics, {}, [&]() -> int32_t {
            Config cfg(config);
            *out = reinterpret_cast<dlpd_instance *>(new P(Host(host), cfg));
            return DLPD_OK;
        });
    }

    static void DLPD_ABI destroy(dlpd_instance *instance) noexcept {
        try {
            delete self<P>(instance);
        } catch (...) {
            // A destructor that throws is a bug in the plugin; never unwind into the host.
        }
    }

    // --- detector --------------------------------------------------------
    static int32_t DLPD_ABI check_rule(dlpd_instance *instance, const dlpd_rule *rule,
                                       const dlpd_emitter *diagnostics) noexcept {
        return guarded(diagnostics, rule != nullptr ? view(rule->name) : std::string_view{}, [&]() -> int32_t {
            return self<P>(instance)->check_rule(to_rule(rule), Emitter(diagnostics));
        });
    }
    static int32_t DLPD_ABI set_rules(dlpd_instance *instance, const dlpd_rule *const *rules, uint64_t count,
                                      const dlpd_emitter *diagnostics) noexcept {
        return guarded(diagnostics, {}, [&]() -> int32_t {
            std::vector<Rule> list;
            list.reserve(static_cast<size_t>(count));
            for (uint64_t i = 0; i < count; ++i) list.push_back(to_rule(rules[i]));
            return self<P>(instance)->set_rules(list, Emitter(diagnostics));
        });
    }
    static int32_t DLPD_ABI scan(dlpd_instance *instance, const dlpd_request *request,
                                 const dlpd_emitter *out) noexcept {
        return guarded(out, {}, [&]() -> int32_t {
            return self<P>(instance)->scan(to_request(request), Emitter(out));
        });
    }
    static constexpr dlpd_detector detector_table{sizeof(dlpd_detector), 0, &check_rule, &set_rules, &scan};

    // --- extractor -------------------------------------------------------
    static int32_t DLPD_ABI extract(dlpd_instance *instance, const dlpd_request *request,
                                    const dlpd_emitter *out) noexcept {
        return guarded(out, {}, [&]() -> int32_t {
            return self<P>(instance)->extract(to_request(request), Emitter(out));
        });
    }
    static constexpr dlpd_extractor extractor_table{sizeof(dlpd_extractor), 0, &extract};

    // --- validator -------------------------------------------------------
    static int32_t DLPD_ABI validate(dlpd_instance *instance, dlpd_str candidate, int32_t *verdict) noexcept {
        if (verdict == nullptr) return DLPD_ERR_INVALID_ARGUMENT;
        return guarded(nullptr, {}, [&]() -> int32_t {
            *verdict = self<P>(instance)->validate(view(candidate)) ? DLPD_VALID : DLPD_INVALID;
            return DLPD_OK;
        });
    }
    static constexpr const char *validator_name() {
        if constexpr (std::is_base_of_v<Validator, P>) return P::validator_name;
        else return "";
    }
    static constexpr uint32_t validator_flags() {
        if constexpr (flags_of<P>::present) return P::validator_flags;
        else return 0;
    }
    static int32_t DLPD_ABI check_no_args(dlpd_instance *, dlpd_str args, const dlpd_emitter *diagnostics) noexcept {
        if (args.size == 0) return DLPD_OK;
        if (diagnostics != nullptr)
            Emitter(diagnostics).diagnostic(DLPD_LOG_ERROR, DLPD_ERR_BAD_RULE, validator_name(), "takes no argument");
        return DLPD_ERR_BAD_RULE;
    }
    static int32_t DLPD_ABI validate_no_args(dlpd_instance *instance, dlpd_str candidate, dlpd_str,
                                             int32_t *verdict) noexcept {
        return validate(instance, candidate, verdict);
    }
    static constexpr dlpd_validator validator_table{
        sizeof(dlpd_validator), 0, validator_name(), &validate, validator_flags(), 0, &check_no_args,
        &validate_no_args};

    // --- validator set ---------------------------------------------------
    static constexpr size_t set_count = specs_of<P>::count;
    template <size_t I>
    static int32_t DLPD_ABI set_validate_args(dlpd_instance *instance, dlpd_str candidate, dlpd_str args,
                                              int32_t *verdict) noexcept {
        if (verdict == nullptr) return DLPD_ERR_INVALID_ARGUMENT;
        return guarded(nullptr, {}, [&]() -> int32_t {
            ValidatorSet *set = self<P>(instance);
            *verdict = set->validate(I, view(candidate), view(args)) ? DLPD_VALID : DLPD_INVALID;
            return DLPD_OK;
        });
    }
    template <size_t I>
    static int32_t DLPD_ABI set_validate(dlpd_instance *instance, dlpd_str candidate, int32_t *verdict) noexcept {
        return set_validate_args<I>(instance, candidate, dlpd_str{nullptr, 0}, verdict);
    }
    template <size_t I>
    static int32_t DLPD_ABI set_check_args(dlpd_instance *instance, dlpd_str args,
                                           const dlpd_emitter *diagnostics) noexcept {
        const std::string_view name = specs_of<P>::at(I).name;
        return guarded(diagnostics, name, [&]() -> int32_t {
            ValidatorSet *set = self<P>(instance);
            const std::string problem = set->check_args(I, view(args));
            if (problem.empty()) return DLPD_OK;
            if (diagnostics != nullptr) Emitter(diagnostics).diagnostic(DLPD_LOG_ERROR, DLPD_ERR_BAD_RULE, name, problem);
            return DLPD_ERR_BAD_RULE;
        });
    }
    template <size_t... I>
    static constexpr std::array<dlpd_validator, set_count> make_set_tables(std::index_sequence<I...>) {
        return {{dlpd_validator{sizeof(dlpd_validator), 0, specs_of<P>::at(I).name, &set_validate<I>,
                                specs_of<P>::at(I).flags, 0, &set_check_args<I>, &set_validate_args<I>}...}};
    }
    static constexpr std::array<dlpd_validator, set_count> set_tables =
        make_set_tables(std::make_index_sequence<set_count>{});
    template <size_t... I>
    static constexpr std::array<const dlpd_validator *, set_count> make_set_ptrs(std::index_sequence<I...>) {
        return {{&set_tables[I]...}};
    }
    static constexpr std::array<const dlpd_validator *, set_count> set_ptrs =
        make_set_ptrs(std::make_index_sequence<set_count>{});
    static constexpr dlpd_validator_set validator_set_table{sizeof(dlpd_validator_set), 0, set_count,
                                                            set_ptrs.data()};

    static const void *DLPD_ABI get_extension(const dlpd_plugin *, const char *id) noexcept {
        if (id == nullptr) return nullptr;
        const std::string_view want(id);
        if constexpr (std::is_base_of_v<Detector, P>)
            if (want == DLPD_EXT_DETECTOR) return &detector_table;
        if constexpr (std::is_base_of_v<Extractor, P>)
            if (want == DLPD_EXT_EXTRACTOR) return &extractor_table;
        if constexpr (std::is_base_of_v<Validator, P>)
            if (want == DLPD_EXT_VALIDATOR) return &validator_table;
        if constexpr (std::is_base_of_v<ValidatorSet, P>)
            if (want == DLPD_EXT_VALIDATOR_SET) return &validator_set_table;
        return nullptr;
    }

    static constexpr dlpd_plugin descriptor{
        sizeof(dlpd_plugin),
        DLPD_ABI_MAJOR,
        DLPD_ABI_MINOR,
        0,
        P::info.id,
        P::info.name,
        P::info.version,
        P::info.description,
        P::info.vendor,
        key_count == 0 ? nullptr : key_ptrs.data(),
        key_count,
        &init,
        &deinit,
        &create,
        &destroy,
        &get_extension,
    };
};

template <class P>
const dlpd_plugin *entry(uint32_t host_abi_major, uint32_t /*host_abi_minor*/, const dlpd_host *) noexcept {
    static_assert(std::is_base_of_v<Detector, P> || std::is_base_of_v<Extractor, P> ||
                      std::is_base_of_v<Validator, P> || std::is_base_of_v<ValidatorSet, P>,
                  "a plugin class derives from dlpd::sdk::Detector, Extractor, Validator or ValidatorSet");
    static_assert(!std::is_base_of_v<ValidatorSet, P> || specs_of<P>::count > 0,
                  "a ValidatorSet plugin lists its validators in static constexpr ValidatorSpec validators[]");
    if (host_abi_major != DLPD_ABI_MAJOR) return nullptr;
    return &Tables<P>::descriptor;
}

}  // namespace detail
}  // namespace dlpd::sdk

// Exports CLASS as this shared object's plugin. Use once per plugin, at
// namespace scope, in one source file.
#define DLPD_PLUGIN(CLASS)                                                                                \
    extern "C" DLPD_EXPORT const dlpd_plugin *DLPD_ABI dlpd_plugin_entry(                                 \
        uint32_t host_abi_major, uint32_t host_abi_minor, const dlpd_host *host) {                        \
        return ::dlpd::sdk::detail::entry<CLASS>(host_abi_major, host_abi_minor, host);                   \
    }

#endif  // DLPD_SDK_HPP
