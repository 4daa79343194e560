/*
 * plugin_guard.h — running a plugin's compute() under guards.
 *
 * Owns what surrounds the call of plugin code: its writes to standard
 * output are captured and logged under its name instead of reaching
 * regind's output; a crash (SIGSEGV, SIGBUS, SIGFPE, SIGABRT) is reported
 * with the plugin, its version and the indicator, and ends the process with
 * RI_RC_PLUGIN_CRASH; afterwards an output left NaN in every cell is warned
 * about and repeated log lines are summed up. With REGIND_PLUGIN_DEBUG=1 in
 * the environment, pointers a plugin has no business reading (.s of a
 * numeric parameter, inputs and outputs past those declared) point into
 * an inaccessible region, so using one crashes at once and is named.
 */
#ifndef RI_PLUGIN_GUARD_H
#define RI_PLUGIN_GUARD_H

#include <regind/plugin.h>

/* Call d->compute with call (whose ctx is the host's ri_context) under the guards. */
ri_status ri_plugin_compute(const ri_plugin *d, const ri_call *call);

#endif
