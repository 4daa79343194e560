/* A module without ri_plugin_entry: the host must report the missing symbol. */
#include <regind/plugin.h>

const char *no_entry_version(void);

const char *no_entry_version(void)
{
    return "1.0.0";
}
