/*
 * A valid plugin whose compute leaves a mark: it creates the file named by
 * $REGIND_COMPUTE_TRAP. `describe`, `list` and `check` must never call
 * compute, so after them the file must not exist; after `run` it must.
 */
#include <stdio.h>
#include <stdlib.h>

#include <regind/plugin.h>

static const ri_input_spec inputs[] = { { "x", 0, "any measure" } };
static const ri_output_spec outputs[] = { { "y", "1", 0, "never written" } };

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const char *trap = getenv("REGIND_COMPUTE_TRAP");
    FILE *f;

    if (!trap || !*trap)
        return host->error(call->ctx, "compute_trap: REGIND_COMPUTE_TRAP is not set");
    if (!(f = fopen(trap, "w")))
        return host->error(call->ctx, "compute_trap: cannot create %s", trap);
    fputs("compute was called\n", f);
    fclose(f);
    return RI_OK;
}

static const ri_plugin compute_trap = {
    RI_PLUGIN_HEADER,
    "compute_trap", "1.0.0", "test plugin that marks every call of compute",
    inputs, RI_COUNT(inputs),
    NULL, 0,
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(compute_trap)
