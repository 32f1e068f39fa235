/* One source, compiled once per failure path the host must refuse cleanly.
 * Exactly one BROKEN_* macro is defined per build (see tests/CMakeLists.txt). */
#include <dlpd/plugin.h>

#include <stddef.h>
#include <string.h>

#if defined(BROKEN_NO_ENTRY)
/* A shared object that is not a dlpd plugin: it exports something else. */
__attribute__((visibility("default"))) int some_other_function(void) { return 42; }
#else

static int32_t DLPD_ABI plugin_init(const dlpd_plugin *plugin, const dlpd_host *host) {
    (void)plugin;
#if defined(BROKEN_INIT_FAILS)
    static const char msg[] = "cannot open its model file";
    host->log(host, DLPD_LOG_ERROR, (dlpd_str){msg, sizeof msg - 1});
    return DLPD_ERR_CONFIG;
#else
    (void)host;
    return DLPD_OK;
#endif
}
static void DLPD_ABI plugin_deinit(const dlpd_plugin *plugin) { (void)plugin; }
__attribute__((unused)) static int32_t DLPD_ABI plugin_create(const dlpd_plugin *plugin, const dlpd_host *host, const dlpd_config *config,
                                      const dlpd_emitter *diagnostics, dlpd_instance **out) {
    (void)plugin; (void)host; (void)config; (void)diagnostics;
    *out = (dlpd_instance *)(void *)&plugin_init; /* any non-NULL token; nothing is allocated */
    return DLPD_OK;
}
static void DLPD_ABI plugin_destroy(dlpd_instance *instance) { (void)instance; }

static int32_t DLPD_ABI validate(dlpd_instance *instance, dlpd_str candidate, int32_t *verdict) {
    (void)instance; (void)candidate;
    *verdict = DLPD_VALID;
    return DLPD_OK;
}
/* Written as an ABI 1.0 plugin would: its table ends after validate, so the
 * host must not read flags, check_args or validate_args. */
static const dlpd_validator validator_table = {(uint32_t)offsetof(dlpd_validator, flags), 0, BROKEN_NAME, &validate,
                                               0, 0, NULL, NULL};

static const void *DLPD_ABI get_extension(const dlpd_plugin *plugin, const char *id) {
    (void)plugin;
    if (strcmp(id, DLPD_EXT_VALIDATOR) == 0) return &validator_table;
    return NULL;
}

#if defined(BROKEN_NEEDS_MISSING_SYMBOL)
/* Defined nowhere: with rtld_now the library cannot be loaded at all. */
extern int dlpd_test_symbol_that_does_not_exist(void);
__attribute__((used)) static int use_missing(void) { return dlpd_test_symbol_that_does_not_exist(); }
#endif

static const dlpd_plugin descriptor = {
    sizeof(dlpd_plugin),
#if defined(BROKEN_ABI_MAJOR)
    DLPD_ABI_MAJOR + 1,
#else
    DLPD_ABI_MAJOR,
#endif
#if defined(BROKEN_NEWER_MINOR)
    DLPD_ABI_MINOR + 1,
#else
    DLPD_ABI_MINOR,
#endif
    0,
    "org.dlpd.test." BROKEN_NAME,
    BROKEN_NAME,
    "0.0.1",
    "a plugin built to be refused",
    "dlpd tests",
    NULL,
    0,
    &plugin_init,
    &plugin_deinit,
#if defined(BROKEN_NULL_FUNCTION)
    NULL,
#else
    &plugin_create,
#endif
    &plugin_destroy,
    &get_extension,
};

DLPD_EXPORT const dlpd_plugin *DLPD_ABI dlpd_plugin_entry(uint32_t host_abi_major, uint32_t host_abi_minor,
                                                          const dlpd_host *host) {
    (void)host_abi_minor; (void)host;
#if defined(BROKEN_ENTRY_REFUSES_HOST)
    /* Built for a future major: refuses every host it does not know. */
    if (host_abi_major != DLPD_ABI_MAJOR + 1) return NULL;
#else
    (void)host_abi_major;
#endif
    return &descriptor;
}
#endif
