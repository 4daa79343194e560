/* A plugin whose output has an empty unit: the host must reject the descriptor. */
#include <regind/plugin.h>

static const ri_input_spec inputs[] = { { "x", 0, "any measure" } };
static const ri_output_spec outputs[] = { { "y", "", 0, "an output without a unit" } };

static ri_status compute(const ri_host *host, const ri_call *call)
{
    return host->error(call->ctx, "bad_descriptor: an invalid descriptor must not be computed");
}

static const ri_plugin bad_descriptor = {
    RI_PLUGIN_HEADER,
    "bad_descriptor", "1.0.0", "test plugin with an output that has no unit",
    inputs, RI_COUNT(inputs),
    NULL, 0,
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(bad_descriptor)
