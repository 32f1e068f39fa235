/*
 * dlpd plugin ABI, version 1.
 *
 * This header is the whole contract between the dlpd host and a plugin (a
 * shared object that detects, extracts or validates sensitive data). It is
 * pure C11 so that any compiler and any language with a C FFI can implement a
 * plugin; the C++ SDK in sdk/ is a convenience layer over it, never a
 * requirement.
 *
 * How to read it
 * --------------
 * - A plugin exports exactly one symbol, dlpd_plugin_entry (see the end of
 *   this file). Everything else in the plugin stays hidden.
 * - The entry returns a static descriptor (dlpd_plugin): who the plugin is,
 *   which configuration keys it takes, and its lifecycle functions.
 * - What a plugin can *do* is found through extensions, looked up by a
 *   versioned string id: DLPD_EXT_DETECTOR, DLPD_EXT_EXTRACTOR,
 *   DLPD_EXT_VALIDATOR. A plugin may fill several roles.
 * - Lifecycle: entry -> init -> create(config) -> scan/extract/validate ...
 *   -> destroy -> deinit. The host never unloads a library while it runs.
 *
 * Rules that keep this ABI stable for years
 * -----------------------------------------
 * - Every struct that crosses the boundary starts with uint32_t struct_size,
 *   set by whoever fills the struct to sizeof() at *its* compile time. A
 *   reader uses a member only when DLPD_HAS_MEMBER() says it fits inside
 *   struct_size; a member that does not fit reads as zero / NULL.
 * - Structs and tables are append-only. Members are never reordered,
 *   removed or retyped, and a published status code or constant is never
 *   renumbered or reused. A change that cannot be an append is a new major
 *   version (and a new extension id suffix).
 * - Arrays of structs are passed as arrays of *pointers*, so that a struct
 *   that grows never changes an array's stride.
 * - Enumerations are int32_t / uint32_t with named constants, never C enums,
 *   so no size depends on a compiler.
 * - Core tables never hold NULL function pointers. A role a plugin does not
 *   fill is simply an extension it does not return.
 *
 * Strings and memory
 * ------------------
 * - Data passed in calls are dlpd_str (pointer, length) pairs: UTF-8 unless
 *   stated, not NUL-terminated, borrowed for the duration of the call only.
 *   Copy what you need to keep.
 * - The descriptor's identity strings, configuration schema and extension
 *   ids are NUL-terminated UTF-8 in static storage of the plugin: they live
 *   as long as the library is loaded, which is until the process exits.
 * - Results go back through host callbacks (dlpd_emitter) that copy at once;
 *   the plugin may reuse or free its buffers as soon as a callback returns.
 * - Whoever allocates frees, through its own function: an instance made by
 *   create() is released by destroy(). Nothing is ever passed to free()
 *   across the boundary.
 *
 * Errors
 * ------
 * Functions return int32_t status codes: DLPD_OK (0) on success, a stable
 * negative DLPD_ERR_* code on failure. Exceptions never cross the boundary.
 * Human-readable detail goes through dlpd_emitter.emit_diagnostic or the
 * host's log function.
 *
 * Threads
 * -------
 * Every function carries one of these tags:
 *   [load-thread]      called only from the thread that loaded the library,
 *                      never concurrently with any other call of the plugin.
 *   [instance-serial]  may be called from any thread, but never concurrently
 *                      with another call on the same instance.
 *   [any-thread]       may be called from any thread, concurrently with
 *                      itself and with other [any-thread] calls on the same
 *                      instance. The implementation synchronises itself.
 * Host callbacks carry the same tags, from the plugin's point of view.
 * Plugins keep no mutable global state and do nothing in static
 * constructors: everything they need is created in init() or create().
 */
#ifndef DLPD_PLUGIN_H
#define DLPD_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Versions and linkage                                                     */
/* ------------------------------------------------------------------------ */

/* The ABI this header describes. A host refuses a plugin whose major differs
 * or whose minor is newer than its own; a plugin returns NULL from its entry
 * when the host's major differs from the one it was built for. */
#define DLPD_ABI_MAJOR 1u
#define DLPD_ABI_MINOR 1u

#if defined(_WIN32)
#define DLPD_EXPORT __declspec(dllexport)
#define DLPD_ABI __cdecl
#elif defined(__GNUC__)
#define DLPD_EXPORT __attribute__((visibility("default")))
#define DLPD_ABI
#else
#define DLPD_EXPORT
#define DLPD_ABI
#endif

/* True when the struct pointed to by PTR (which starts with struct_size) is
 * large enough to contain MEMBER of TYPE. Use it before reading any member
 * that was appended after the first release of TYPE. */
#define DLPD_HAS_MEMBER(TYPE, PTR, MEMBER)                                        \
    ((PTR) != NULL && (size_t)(PTR)->struct_size >=                               \
                          offsetof(TYPE, MEMBER) + sizeof(((TYPE *)0)->MEMBER))

/* ------------------------------------------------------------------------ */
/* Status codes (stable; append-only; never renumbered)                     */
/* ------------------------------------------------------------------------ */

/* Success. */
#define DLPD_OK 0
/* Unspecified failure. Prefer a more precise code. */
#define DLPD_ERR_FAILED (-1)
/* An argument was NULL, malformed or out of range. */
#define DLPD_ERR_INVALID_ARGUMENT (-2)
/* An allocation failed. */
#define DLPD_ERR_NO_MEMORY (-3)
/* The request is not supported by this plugin (for example an extractor
 * asked about a type it does not handle). Not an error for the item. */
#define DLPD_ERR_UNSUPPORTED (-4)
/* A configured limit (size, depth, time, memory budget) was reached. */
#define DLPD_ERR_LIMIT (-5)
/* The input is corrupt or not what it claims to be. */
#define DLPD_ERR_CORRUPT_INPUT (-6)
/* The host asked to stop (an emitter callback returned DLPD_ERR_CANCELLED).
 * The plugin returns it after stopping early. */
#define DLPD_ERR_CANCELLED (-7)
/* The plugin failed internally (a caught exception, a broken invariant). */
#define DLPD_ERR_INTERNAL (-8)
/* The configuration given to create() was rejected. */
#define DLPD_ERR_CONFIG (-9)
/* A rule was rejected (syntax, size, unknown feature). */
#define DLPD_ERR_BAD_RULE (-10)
/* The host's ABI version is not one this plugin supports. */
#define DLPD_ERR_ABI (-11)
/* (ABI 1.1) The input is encrypted or password-protected: it cannot be read
 * without a key, so nothing in it was scanned. Distinct from
 * DLPD_ERR_CORRUPT_INPUT (damaged) and DLPD_ERR_UNSUPPORTED (a format or
 * method not read). A host of ABI 1.0 treats it as an unknown failure. */
#define DLPD_ERR_ENCRYPTED (-12)

/* ------------------------------------------------------------------------ */
/* Basic types                                                              */
/* ------------------------------------------------------------------------ */

/* A borrowed run of bytes: UTF-8 text unless stated otherwise. Not
 * NUL-terminated. data may be NULL only when size is 0. Valid for the
 * duration of the call that receives it. */
typedef struct dlpd_str {
    const char *data;
    uint64_t size;
} dlpd_str;

/* Opaque instance of a plugin, created by dlpd_plugin.create and released by
 * dlpd_plugin.destroy. The host never looks inside. */
typedef struct dlpd_instance dlpd_instance;

/* Log levels for dlpd_host.log. */
#define DLPD_LOG_DEBUG 0
#define DLPD_LOG_INFO 1
#define DLPD_LOG_WARNING 2
#define DLPD_LOG_ERROR 3

/* ------------------------------------------------------------------------ */
/* Host services                                                            */
/* ------------------------------------------------------------------------ */

/* The host's service table, handed to the entry, to init() and to create().
 * Each plugin gets its own table (host_data tells the host which plugin is
 * speaking). The table and everything it points to stay valid until deinit()
 * returns. All members are non-NULL. */
typedef struct dlpd_host {
    uint32_t struct_size;
    /* The ABI the host implements (DLPD_ABI_MAJOR/MINOR at its build). */
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t reserved0;
    /* Opaque to the plugin; pass the table back as the first argument. */
    void *host_data;
    /* Host name and version, NUL-terminated, for diagnostics only. */
    const char *host_name;
    const char *host_version;

    /* Writes one log line attributed to this plugin. message is borrowed for
     * the call and need not be NUL-terminated. Never include sensitive
     * content (matched text, tokens) in a message.
     * [any-thread] */
    void(DLPD_ABI *log)(const struct dlpd_host *host, int32_t level, dlpd_str message);

    /* Returns the host extension with the given NUL-terminated versioned id
     * (for example "dlpd.host.something/1"), or NULL when the host does not
     * provide it. The returned table is owned by the host and valid until
     * deinit() returns. ABI 1.0 defines no host extensions yet.
     * [any-thread] */
    const void *(DLPD_ABI *get_extension)(const struct dlpd_host *host, const char *id);

    /* Monotonic clock in nanoseconds, the clock used for deadlines in
     * dlpd_request.deadline_ns.
     * [any-thread] */
    uint64_t(DLPD_ABI *monotonic_ns)(const struct dlpd_host *host);
} dlpd_host;

/* ------------------------------------------------------------------------ */
/* Configuration: the schema a plugin declares, and the values it receives  */
/* ------------------------------------------------------------------------ */

/* Types of configuration values. */
#define DLPD_CONFIG_STRING 1
#define DLPD_CONFIG_INTEGER 2 /* decimal, fits int64_t */
#define DLPD_CONFIG_BOOLEAN 3 /* "true" or "false" */
#define DLPD_CONFIG_STRING_LIST 4

/* Flags of a configuration key. */
#define DLPD_CONFIG_REQUIRED 0x1u

/* One key of the plugin's configuration section, declared as static data so
 * the host can validate YAML against it and the admin can show it. */
typedef struct dlpd_config_key {
    uint32_t struct_size;
    /* DLPD_CONFIG_* type of the value. */
    int32_t type;
    /* DLPD_CONFIG_* flags. */
    uint32_t flags;
    uint32_t reserved0;
    /* Key name, NUL-terminated, [a-z0-9_]+. Static. */
    const char *name;
    /* Default value in the form the host passes it (see dlpd_config_value),
     * NUL-terminated; NULL when the key has no default. Static. */
    const char *default_value;
    /* One sentence for humans, NUL-terminated. Static. */
    const char *description;
    /* Smallest and largest accepted value of an INTEGER key; ignored for
     * other types and when min > max. */
    int64_t min_value;
    int64_t max_value;
} dlpd_config_key;

/* One configured value handed to create(). Values are text: integers in
 * decimal, booleans as "true"/"false". A STRING_LIST key appears once per
 * element, in order. Keys the user did not set are passed with their
 * declared default, so a plugin sees every key that has one. */
typedef struct dlpd_config_value {
    uint32_t struct_size;
    /* DLPD_CONFIG_* type, as declared for the key. */
    int32_t type;
    dlpd_str key;
    dlpd_str value;
} dlpd_config_value;

/* The configuration for one instance. Borrowed for the call to create(). */
typedef struct dlpd_config {
    uint32_t struct_size;
    uint32_t reserved0;
    /* count pointers to values, never NULL themselves. */
    const dlpd_config_value *const *values;
    uint64_t count;
} dlpd_config;

/* ------------------------------------------------------------------------ */
/* What plugins report back: findings, text, nested blobs, diagnostics      */
/* ------------------------------------------------------------------------ */

/* A detector's finding in the text it was given. Offsets are bytes into
 * dlpd_request.data: [match_start, match_end) is what the rule matched,
 * [start, end) the sensitive part inside it (the first capture group when
 * the rule has one, otherwise the whole match). */
typedef struct dlpd_finding {
    uint32_t struct_size;
    uint32_t reserved0;
    /* The rule's name, as given in dlpd_rule.name. */
    dlpd_str rule;
    uint64_t start;
    uint64_t end;
    uint64_t match_start;
    uint64_t match_end;
} dlpd_finding;

/* A run of text an extractor pulled out of a blob. */
typedef struct dlpd_text {
    uint32_t struct_size;
    uint32_t reserved0;
    /* UTF-8 text. */
    dlpd_str text;
    /* Where it came from inside the blob, for people ("page 3", "sheet
     * Sales"); may be empty. */
    dlpd_str location;
} dlpd_text;

/* A nested blob an extractor found inside a container (an archive member, an
 * attachment). The host runs extractors on it again, within its limits. */
typedef struct dlpd_blob {
    uint32_t struct_size;
    uint32_t reserved0;
    /* The bytes of the member. */
    dlpd_str data;
    /* The member's path inside its container ("dir/file.docx"). */
    dlpd_str name;
    /* A MIME type the container declared, or empty. A hint only. */
    dlpd_str mime_hint;
} dlpd_blob;

/* Diagnostic severities: the DLPD_LOG_* levels. */

/* Something a person should read about an item or a rule: an unreadable
 * file, a limit reached, a rule that does not compile. */
typedef struct dlpd_diagnostic {
    uint32_t struct_size;
    /* DLPD_LOG_* level. */
    int32_t level;
    /* The DLPD_ERR_* code this explains, or DLPD_OK for information. */
    int32_t status;
    uint32_t reserved0;
    /* What it is about: a rule name, a member path, or empty for the item. */
    dlpd_str subject;
    /* The message. Never contains matched or sensitive content. */
    dlpd_str message;
    /* A byte position inside the subject (a pattern, a blob), or -1. */
    int64_t position;
} dlpd_diagnostic;

/* The host's callbacks for one call into a plugin. The emitter and what it
 * points to are valid for the duration of that call only. Every callback
 * copies what it is given before returning. A callback returns DLPD_OK to
 * continue, or DLPD_ERR_CANCELLED to ask the plugin to stop as soon as it
 * can and return DLPD_ERR_CANCELLED. All members are non-NULL; a callback
 * that makes no sense for the call returns DLPD_ERR_UNSUPPORTED.
 * All callbacks: [same thread as the call that received the emitter]. */
typedef struct dlpd_emitter {
    uint32_t struct_size;
    uint32_t reserved0;
    /* Opaque to the plugin. */
    void *ctx;
    int32_t(DLPD_ABI *emit_finding)(const struct dlpd_emitter *emitter,
                                    const dlpd_finding *finding);
    int32_t(DLPD_ABI *emit_text)(const struct dlpd_emitter *emitter, const dlpd_text *text);
    int32_t(DLPD_ABI *emit_blob)(const struct dlpd_emitter *emitter, const dlpd_blob *blob);
    int32_t(DLPD_ABI *emit_diagnostic)(const struct dlpd_emitter *emitter,
                                       const dlpd_diagnostic *diagnostic);
} dlpd_emitter;

/* ------------------------------------------------------------------------ */
/* What the host asks about                                                 */
/* ------------------------------------------------------------------------ */

/* One item to scan (detector) or take apart (extractor). */
typedef struct dlpd_request {
    uint32_t struct_size;
    /* Nesting depth: 0 for a top-level item, 1 for a member of it, ... */
    uint32_t depth;
    /* The bytes. For a detector: UTF-8 text. For an extractor: the blob. */
    dlpd_str data;
    /* The item's name for diagnostics (a file path, "msg 1712.0042",
     * "outer.zip!inner/a.docx"). Never sensitive. */
    dlpd_str name;
    /* A MIME type the source declared, or empty. A hint only. */
    dlpd_str mime_hint;
    /* Give up with DLPD_ERR_LIMIT once dlpd_host.monotonic_ns() passes this;
     * 0 means no deadline. */
    uint64_t deadline_ns;
} dlpd_request;

/* One detection rule, as an administrator wrote it. */
typedef struct dlpd_rule {
    uint32_t struct_size;
    uint32_t reserved0;
    /* Unique name; findings refer to the rule by it. */
    dlpd_str name;
    /* The pattern, in the detector's syntax (RE2 for the regex plugin). */
    dlpd_str pattern;
} dlpd_rule;

/* ------------------------------------------------------------------------ */
/* Roles (extensions)                                                       */
/* ------------------------------------------------------------------------ */

#define DLPD_EXT_DETECTOR "dlpd.detector/1"
#define DLPD_EXT_EXTRACTOR "dlpd.extractor/1"
#define DLPD_EXT_VALIDATOR "dlpd.validator/1"

/* A detector finds sensitive spans in text, driven by rules. */
typedef struct dlpd_detector {
    uint32_t struct_size;
    uint32_t reserved0;

    /* Checks one rule without changing anything: DLPD_OK when it would be
     * accepted by set_rules, DLPD_ERR_BAD_RULE otherwise, with one
     * diagnostic (subject = rule name, message from the engine, position =
     * byte offset in the pattern or -1) emitted through diagnostics.
     * [any-thread] */
    int32_t(DLPD_ABI *check_rule)(dlpd_instance *instance, const dlpd_rule *rule,
                                  const dlpd_emitter *diagnostics);

    /* Replaces the whole rule set, atomically: on DLPD_OK the new set is used
     * by every scan that starts afterwards, while scans already running
     * finish on the set they began with. On failure nothing changes, and one
     * diagnostic per offending rule (or one naming the rules involved, for a
     * set-wide limit) is emitted. rules is an array of count pointers,
     * borrowed for the call.
     * [any-thread] */
    int32_t(DLPD_ABI *set_rules)(dlpd_instance *instance, const dlpd_rule *const *rules,
                                 uint64_t count, const dlpd_emitter *diagnostics);

    /* Scans request->data (UTF-8 text) with the current rule set and emits
     * every finding through out->emit_finding, and any trouble through
     * out->emit_diagnostic. Returns DLPD_OK, DLPD_ERR_CANCELLED when the
     * host asked to stop, or another DLPD_ERR_* when the scan failed.
     * [any-thread] */
    int32_t(DLPD_ABI *scan)(dlpd_instance *instance, const dlpd_request *request,
                            const dlpd_emitter *out);
} dlpd_detector;

/* An extractor turns a blob into text and nested blobs. */
typedef struct dlpd_extractor {
    uint32_t struct_size;
    uint32_t reserved0;

    /* Takes request->data apart: emits text through out->emit_text, nested
     * blobs through out->emit_blob, and problems through
     * out->emit_diagnostic. Returns DLPD_OK when the blob was handled,
     * DLPD_ERR_UNSUPPORTED when this extractor does not handle the blob's
     * type (the host then tries others or treats it as text), or another
     * DLPD_ERR_* when the blob is corrupt or a limit was reached (what was
     * emitted before is still used).
     * [any-thread] */
    int32_t(DLPD_ABI *extract)(dlpd_instance *instance, const dlpd_request *request,
                               const dlpd_emitter *out);
} dlpd_extractor;

/* Verdicts of a validator. */
#define DLPD_INVALID 0
#define DLPD_VALID 1

/* dlpd_validator.flags (ABI 1.1). */
/* A confirmation is structural evidence that the candidate is what the rule
 * says (a check digit, a checksum, a registry rule): the host raises the
 * finding's confidence by one level. A validator without it only filters
 * (entropy, placeholders): a rejection drops the finding, a confirmation
 * adds nothing. */
#define DLPD_VALIDATOR_CHECKSUM 1u

/* A validator confirms or rejects one candidate a detector found. Rules name
 * validators (`validators: [luhn]`), optionally with an argument after a
 * colon (`validators: ['entropy:3.5']`); the host applies them. */
typedef struct dlpd_validator {
    uint32_t struct_size;
    uint32_t reserved0;
    /* The name rules use for this validator, NUL-terminated, [a-z0-9_]+.
     * Static. */
    const char *name;

    /* Sets *verdict to DLPD_VALID or DLPD_INVALID for candidate (the
     * sensitive part of a finding, borrowed for the call). Returns DLPD_OK,
     * or a DLPD_ERR_* when it could not decide (the host then keeps the
     * finding and reports the failure). Used for rules that give no argument
     * when validate_args is absent.
     * [any-thread] */
    int32_t(DLPD_ABI *validate)(dlpd_instance *instance, dlpd_str candidate, int32_t *verdict);

    /* --- ABI 1.1: read only when DLPD_HAS_MEMBER says they are there. --- */

    /* DLPD_VALIDATOR_* flags. */
    uint32_t flags;
    uint32_t reserved1;

    /* Checks a rule's argument for this validator (the text after the colon,
     * borrowed; empty when the rule gives none) without validating anything:
     * DLPD_OK when validate_args accepts it, DLPD_ERR_BAD_RULE otherwise, with
     * one diagnostic saying what is wrong. The host calls it when a rule is
     * checked or installed, never while scanning. A validator without it
     * takes no argument.
     * [any-thread] */
    int32_t(DLPD_ABI *check_args)(dlpd_instance *instance, dlpd_str args, const dlpd_emitter *diagnostics);

    /* As validate, with the rule's argument (checked by check_args before).
     * The host uses it, when present, for every candidate.
     * [any-thread] */
    int32_t(DLPD_ABI *validate_args)(dlpd_instance *instance, dlpd_str candidate, dlpd_str args,
                                     int32_t *verdict);
} dlpd_validator;

/* Several validators in one plugin (ABI 1.1): get_extension(
 * DLPD_EXT_VALIDATOR_SET) returns this table. Each entry is a whole
 * dlpd_validator with its own name; names are unique among all loaded
 * plugins. A plugin may offer both this and DLPD_EXT_VALIDATOR. */
#define DLPD_EXT_VALIDATOR_SET "dlpd.validator_set/1"

typedef struct dlpd_validator_set {
    uint32_t struct_size;
    uint32_t reserved0;
    /* count pointers to validator tables, static, never NULL themselves. */
    uint64_t count;
    const dlpd_validator *const *validators;
} dlpd_validator_set;

/* ------------------------------------------------------------------------ */
/* The plugin descriptor                                                    */
/* ------------------------------------------------------------------------ */

/* What dlpd_plugin_entry returns: static data and the lifecycle functions.
 * Owned by the plugin, valid until the process exits. All function members
 * are non-NULL. */
typedef struct dlpd_plugin {
    uint32_t struct_size;
    /* The ABI the plugin was built against (DLPD_ABI_MAJOR/MINOR). */
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t reserved0;

    /* Reverse-DNS identifier, unique among plugins: "org.dlpd.regex". */
    const char *id;
    /* Short name used in findings and in configuration: "regex". */
    const char *name;
    /* Semantic version of the plugin: "1.2.0". */
    const char *version;
    /* One line for humans. */
    const char *description;
    /* Who maintains it (a person, team or URL). */
    const char *vendor;

    /* The configuration keys the plugin takes: config_key_count pointers,
     * static. May be NULL when the count is 0. */
    const dlpd_config_key *const *config_keys;
    uint64_t config_key_count;

    /* Called once, before any other function. host is the same table the
     * entry received. Returns DLPD_OK, or a DLPD_ERR_* to refuse to load
     * (the host then reports the plugin as refused and never calls it
     * again; deinit is not called).
     * [load-thread] */
    int32_t(DLPD_ABI *init)(const struct dlpd_plugin *plugin, const dlpd_host *host);

    /* Called once, after every instance was destroyed. The host may skip it
     * at process exit.
     * [load-thread] */
    void(DLPD_ABI *deinit)(const struct dlpd_plugin *plugin);

    /* Creates an instance configured by config (already validated against
     * config_keys by the host). On DLPD_OK, *out holds the instance, owned
     * by the host until it passes it to destroy(). On failure *out is left
     * NULL and the reason is emitted through diagnostics (only
     * emit_diagnostic is usable there).
     * [any-thread] */
    int32_t(DLPD_ABI *create)(const struct dlpd_plugin *plugin, const dlpd_host *host,
                              const dlpd_config *config, const dlpd_emitter *diagnostics,
                              dlpd_instance **out);

    /* Releases an instance made by create(). No call on it is running or
     * will run.
     * [any-thread] */
    void(DLPD_ABI *destroy)(dlpd_instance *instance);

    /* Returns the role table for a versioned extension id (DLPD_EXT_*), or
     * NULL when the plugin does not fill that role. The table is static,
     * owned by the plugin; its functions take instances made by create().
     * [any-thread] */
    const void *(DLPD_ABI *get_extension)(const struct dlpd_plugin *plugin, const char *id);
} dlpd_plugin;

/* ------------------------------------------------------------------------ */
/* The entry point                                                          */
/* ------------------------------------------------------------------------ */

#define DLPD_PLUGIN_ENTRY_SYMBOL "dlpd_plugin_entry"

/* The only symbol a plugin exports. The host calls it once, right after
 * loading the library, with its ABI version and its service table for this
 * plugin. The plugin returns its static descriptor, or NULL when host_major
 * is not the major it was built for. It does nothing else: no allocation,
 * no threads, no calls into host (use init() for that).
 * [load-thread] */
typedef const dlpd_plugin *(DLPD_ABI *dlpd_plugin_entry_fn)(uint32_t host_abi_major,
                                                             uint32_t host_abi_minor,
                                                             const dlpd_host *host);

DLPD_EXPORT const dlpd_plugin *DLPD_ABI dlpd_plugin_entry(uint32_t host_abi_major,
                                                          uint32_t host_abi_minor,
                                                          const dlpd_host *host);

#ifdef __cplusplus
}
#endif

#endif /* DLPD_PLUGIN_H */
