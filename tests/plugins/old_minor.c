/*
 * A plugin built against an older minor version of the plugin ABI: the host
 * must load and run it, since members are only ever appended.
 *
 * While the ABI is at minor 0 there is no older minor to build against, so
 * the plugin declares minor 0 with a descriptor of exactly sizeof(ri_plugin),
 * which is what a plugin built against 1.0 carries. Built with
 * -DRI_TEST_MINOR=N -DRI_TEST_NAME='"newer_minor"' it claims minor N
 * instead, so that a minor newer than the host's shows the refusal side of
 * the same rule.
 *
 * compute() writes 2 * x, so a run proves the plugin was called, not only
 * listed.
 */
#include <regind/plugin.h>

#include <math.h>

#ifndef RI_TEST_MINOR
#if RI_ABI_MINOR > 0
#define RI_TEST_MINOR (RI_ABI_MINOR - 1)
#else
#define RI_TEST_MINOR 0
#endif
#endif
#ifndef RI_TEST_NAME
#define RI_TEST_NAME "old_minor"
#endif

static const ri_input_spec inputs[] = { { "x", 0, "any measure" } };
static const ri_output_spec outputs[] = { { "twice", "units of x", 0, "2 * x" } };

static ri_status compute(const ri_host *host, const ri_call *call)
{
    size_t n = call->n_areas * call->n_periods;
    (void)host;
    for (size_t c = 0; c < n; c++)
        if (!isnan(call->inputs[0][c]))
            call->outputs[0][c] = 2 * call->inputs[0][c];
    return RI_OK;
}

static const ri_plugin old_minor = {
    sizeof(ri_plugin), RI_ABI_MAJOR, RI_TEST_MINOR,
    RI_TEST_NAME, "1.0.0", "test plugin declaring an ABI minor other than the host's",
    inputs, RI_COUNT(inputs),
    NULL, 0,
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(old_minor)
