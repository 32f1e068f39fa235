/* plugin.h must compile as strict C11 and keep its pinned layout. */
#include "abi_layout_pins.h"

#include <string.h>

/* A C plugin can fill every table with designated initialisers. */
static const dlpd_rule rule = {.struct_size = sizeof(dlpd_rule), .name = {"r", 1}, .pattern = {"x", 1}};

int main(void) { return (rule.struct_size == sizeof(dlpd_rule) && strcmp(DLPD_EXT_DETECTOR, "dlpd.detector/1") == 0) ? 0 : 1; }
