/* The ABI v1 layout, pinned. Compiled as C11 (abi_c11.c) and as C++17
 * (abi_cxx17.cpp) with -Wall -Wextra -pedantic -Werror. An accidental
 * insert, reorder or retype in plugin.h changes a size or an offset and
 * fails the build. Appending a member changes only the struct's size: update
 * the size pin and add an offset pin for the new member, nothing else.
 *
 * The values are for LP64 targets (x86_64, aarch64 Linux): pointers and
 * uint64_t are 8 bytes. */
#include <dlpd/plugin.h>

#ifdef __cplusplus
#define DLPD_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define DLPD_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#define DLPD_PIN_SIZE(T, N) DLPD_STATIC_ASSERT(sizeof(T) == (N), "sizeof(" #T ") changed")
#define DLPD_PIN_OFFSET(T, M, N) DLPD_STATIC_ASSERT(offsetof(T, M) == (N), "offsetof(" #T ", " #M ") changed")

DLPD_STATIC_ASSERT(sizeof(void *) == 8, "the pinned layout is for LP64 targets");
DLPD_STATIC_ASSERT(DLPD_ABI_MAJOR == 1u, "ABI major changed: pin the new layout");

/* Published constants never change value. */
DLPD_STATIC_ASSERT(DLPD_OK == 0 && DLPD_ERR_FAILED == -1 && DLPD_ERR_INVALID_ARGUMENT == -2 &&
                       DLPD_ERR_NO_MEMORY == -3 && DLPD_ERR_UNSUPPORTED == -4 && DLPD_ERR_LIMIT == -5 &&
                       DLPD_ERR_CORRUPT_INPUT == -6 && DLPD_ERR_CANCELLED == -7 && DLPD_ERR_INTERNAL == -8 &&
                       DLPD_ERR_CONFIG == -9 && DLPD_ERR_BAD_RULE == -10 && DLPD_ERR_ABI == -11 && DLPD_ERR_ENCRYPTED == -12,
                   "a published status code changed");
DLPD_STATIC_ASSERT(DLPD_LOG_DEBUG == 0 && DLPD_LOG_INFO == 1 && DLPD_LOG_WARNING == 2 && DLPD_LOG_ERROR == 3,
                   "a log level changed");
DLPD_STATIC_ASSERT(DLPD_CONFIG_STRING == 1 && DLPD_CONFIG_INTEGER == 2 && DLPD_CONFIG_BOOLEAN == 3 &&
                       DLPD_CONFIG_STRING_LIST == 4 && DLPD_CONFIG_REQUIRED == 1u,
                   "a configuration constant changed");
DLPD_STATIC_ASSERT(DLPD_INVALID == 0 && DLPD_VALID == 1, "a verdict changed");

DLPD_PIN_SIZE(dlpd_str, 16);
DLPD_PIN_OFFSET(dlpd_str, data, 0);
DLPD_PIN_OFFSET(dlpd_str, size, 8);
DLPD_PIN_SIZE(dlpd_host, 64);
DLPD_PIN_OFFSET(dlpd_host, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_host, abi_major, 4);
DLPD_PIN_OFFSET(dlpd_host, abi_minor, 8);
DLPD_PIN_OFFSET(dlpd_host, reserved0, 12);
DLPD_PIN_OFFSET(dlpd_host, host_data, 16);
DLPD_PIN_OFFSET(dlpd_host, host_name, 24);
DLPD_PIN_OFFSET(dlpd_host, host_version, 32);
DLPD_PIN_OFFSET(dlpd_host, log, 40);
DLPD_PIN_OFFSET(dlpd_host, get_extension, 48);
DLPD_PIN_OFFSET(dlpd_host, monotonic_ns, 56);
DLPD_PIN_SIZE(dlpd_config_key, 56);
DLPD_PIN_OFFSET(dlpd_config_key, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_config_key, type, 4);
DLPD_PIN_OFFSET(dlpd_config_key, flags, 8);
DLPD_PIN_OFFSET(dlpd_config_key, reserved0, 12);
DLPD_PIN_OFFSET(dlpd_config_key, name, 16);
DLPD_PIN_OFFSET(dlpd_config_key, default_value, 24);
DLPD_PIN_OFFSET(dlpd_config_key, description, 32);
DLPD_PIN_OFFSET(dlpd_config_key, min_value, 40);
DLPD_PIN_OFFSET(dlpd_config_key, max_value, 48);
DLPD_PIN_SIZE(dlpd_config_value, 40);
DLPD_PIN_OFFSET(dlpd_config_value, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_config_value, type, 4);
DLPD_PIN_OFFSET(dlpd_config_value, key, 8);
DLPD_PIN_OFFSET(dlpd_config_value, value, 24);
DLPD_PIN_SIZE(dlpd_config, 24);
DLPD_PIN_OFFSET(dlpd_config, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_config, reserved0, 4);
DLPD_PIN_OFFSET(dlpd_config, values, 8);
DLPD_PIN_OFFSET(dlpd_config, count, 16);
DLPD_PIN_SIZE(dlpd_finding, 56);
DLPD_PIN_OFFSET(dlpd_finding, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_finding, reserved0, 4);
DLPD_PIN_OFFSET(dlpd_finding, rule, 8);
DLPD_PIN_OFFSET(dlpd_finding, start, 24);
DLPD_PIN_OFFSET(dlpd_finding, end, 32);
DLPD_PIN_OFFSET(dlpd_finding, match_start, 40);
DLPD_PIN_OFFSET(dlpd_finding, match_end, 48);
DLPD_PIN_SIZE(dlpd_text, 40);
DLPD_PIN_OFFSET(dlpd_text, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_text, reserved0, 4);
DLPD_PIN_OFFSET(dlpd_text, text, 8);
DLPD_PIN_OFFSET(dlpd_text, location, 24);
DLPD_PIN_SIZE(dlpd_blob, 56);
DLPD_PIN_OFFSET(dlpd_blob, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_blob, reserved0, 4);
DLPD_PIN_OFFSET(dlpd_blob, data, 8);
DLPD_PIN_OFFSET(dlpd_blob, name, 24);
DLPD_PIN_OFFSET(dlpd_blob, mime_hint, 40);
DLPD_PIN_SIZE(dlpd_diagnostic, 56);
DLPD_PIN_OFFSET(dlpd_diagnostic, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_diagnostic, level, 4);
DLPD_PIN_OFFSET(dlpd_diagnostic, status, 8);
DLPD_PIN_OFFSET(dlpd_diagnostic, reserved0, 12);
DLPD_PIN_OFFSET(dlpd_diagnostic, subject, 16);
DLPD_PIN_OFFSET(dlpd_diagnostic, message, 32);
DLPD_PIN_OFFSET(dlpd_diagnostic, position, 48);
DLPD_PIN_SIZE(dlpd_emitter, 48);
DLPD_PIN_OFFSET(dlpd_emitter, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_emitter, reserved0, 4);
DLPD_PIN_OFFSET(dlpd_emitter, ctx, 8);
DLPD_PIN_OFFSET(dlpd_emitter, emit_finding, 16);
DLPD_PIN_OFFSET(dlpd_emitter, emit_text, 24);
DLPD_PIN_OFFSET(dlpd_emitter, emit_blob, 32);
DLPD_PIN_OFFSET(dlpd_emitter, emit_diagnostic, 40);
DLPD_PIN_SIZE(dlpd_request, 64);
DLPD_PIN_OFFSET(dlpd_request, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_request, depth, 4);
DLPD_PIN_OFFSET(dlpd_request, data, 8);
DLPD_PIN_OFFSET(dlpd_request, name, 24);
DLPD_PIN_OFFSET(dlpd_request, mime_hint, 40);
DLPD_PIN_OFFSET(dlpd_request, deadline_ns, 56);
DLPD_PIN_SIZE(dlpd_rule, 40);
DLPD_PIN_OFFSET(dlpd_rule, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_rule, reserved0, 4);
DLPD_PIN_OFFSET(dlpd_rule, name, 8);
DLPD_PIN_OFFSET(dlpd_rule, pattern, 24);
DLPD_PIN_SIZE(dlpd_detector, 32);
DLPD_PIN_OFFSET(dlpd_detector, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_detector, reserved0, 4);
DLPD_PIN_OFFSET(dlpd_detector, check_rule, 8);
DLPD_PIN_OFFSET(dlpd_detector, set_rules, 16);
DLPD_PIN_OFFSET(dlpd_detector, scan, 24);
DLPD_PIN_SIZE(dlpd_extractor, 16);
DLPD_PIN_OFFSET(dlpd_extractor, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_extractor, reserved0, 4);
DLPD_PIN_OFFSET(dlpd_extractor, extract, 8);
DLPD_PIN_SIZE(dlpd_validator, 48);
DLPD_PIN_OFFSET(dlpd_validator, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_validator, reserved0, 4);
DLPD_PIN_OFFSET(dlpd_validator, name, 8);
DLPD_PIN_OFFSET(dlpd_validator, validate, 16);
DLPD_PIN_OFFSET(dlpd_validator, flags, 24);
DLPD_PIN_OFFSET(dlpd_validator, reserved1, 28);
DLPD_PIN_OFFSET(dlpd_validator, check_args, 32);
DLPD_PIN_OFFSET(dlpd_validator, validate_args, 40);
DLPD_PIN_SIZE(dlpd_validator_set, 24);
DLPD_PIN_OFFSET(dlpd_validator_set, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_validator_set, reserved0, 4);
DLPD_PIN_OFFSET(dlpd_validator_set, count, 8);
DLPD_PIN_OFFSET(dlpd_validator_set, validators, 16);
DLPD_PIN_SIZE(dlpd_plugin, 112);
DLPD_PIN_OFFSET(dlpd_plugin, struct_size, 0);
DLPD_PIN_OFFSET(dlpd_plugin, abi_major, 4);
DLPD_PIN_OFFSET(dlpd_plugin, abi_minor, 8);
DLPD_PIN_OFFSET(dlpd_plugin, reserved0, 12);
DLPD_PIN_OFFSET(dlpd_plugin, id, 16);
DLPD_PIN_OFFSET(dlpd_plugin, name, 24);
DLPD_PIN_OFFSET(dlpd_plugin, version, 32);
DLPD_PIN_OFFSET(dlpd_plugin, description, 40);
DLPD_PIN_OFFSET(dlpd_plugin, vendor, 48);
DLPD_PIN_OFFSET(dlpd_plugin, config_keys, 56);
DLPD_PIN_OFFSET(dlpd_plugin, config_key_count, 64);
DLPD_PIN_OFFSET(dlpd_plugin, init, 72);
DLPD_PIN_OFFSET(dlpd_plugin, deinit, 80);
DLPD_PIN_OFFSET(dlpd_plugin, create, 88);
DLPD_PIN_OFFSET(dlpd_plugin, destroy, 96);
DLPD_PIN_OFFSET(dlpd_plugin, get_extension, 104);
