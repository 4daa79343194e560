/* A valid plugin whose compute always fails: the host must report its message. */
#include <regind/plugin.h>

static const ri_input_spec inputs[] = { { "x", 0, "any measure" } };
static const ri_output_spec outputs[] = { { "y", "1", 0, "never written" } };

static ri_status compute(const ri_host *host, const ri_call *call)
{
    return host->error(call->ctx, "failing: deliberate failure for tests");
}

static const ri_plugin failing = {
    RI_PLUGIN_HEADER,
    "failing", "1.0.0", "test plugin whose compute always fails",
    inputs, RI_COUNT(inputs),
    NULL, 0,
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(failing)
