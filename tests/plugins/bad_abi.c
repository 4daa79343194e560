/* A plugin built against a future major ABI: the host must refuse to load it. */
#include <regind/plugin.h>

static const ri_input_spec inputs[] = { { "x", 0, "any measure" } };
static const ri_output_spec outputs[] = { { "y", "1", 0, "never computed" } };

static ri_status compute(const ri_host *host, const ri_call *call)
{
    return host->error(call->ctx, "bad_abi: a plugin of another ABI must not be computed");
}

static const ri_plugin bad_abi = {
    sizeof(ri_plugin), RI_ABI_MAJOR + 1, RI_ABI_MINOR,
    "bad_abi", "1.0.0", "test plugin whose ABI major the host does not speak",
    inputs, RI_COUNT(inputs),
    NULL, 0,
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(bad_abi)
