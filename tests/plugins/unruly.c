/*
 * A plugin that breaks the rules of regind-plugin(7) in the way its
 * `misdeed` parameter names, so that tests/e2e_sdk.sh can check what the
 * host does about each: "print" writes to stdout (with printf and with
 * write(2)), "segfault" writes to address 16, "abort" calls
 * abort(), "log_per_cell" logs one warning per cell, "numeric_s" reads .s
 * of the numeric parameter `scale`, "undeclared_output" writes output 2 of
 * two, "bad_unit" calls set_unit on output 5, and "leave_empty" leaves the
 * output `z` NaN. With "none" it is well-behaved.
 *
 * compute() writes y = scale * x and z = x + 1 before the misdeed, so a run
 * shows whether outputs computed before it survive.
 */
#include <regind/plugin.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { P_MISDEED, P_SCALE };

static const char *const misdeeds[] = {
    "none", "print", "segfault", "abort", "log_per_cell", "numeric_s", "undeclared_output",
    "bad_unit", "leave_empty", NULL
};

static const ri_input_spec inputs[] = { { "x", 0, "any measure" } };
static const ri_param_spec params[] = {
    { "misdeed", RI_PARAM_CHOICE, "none", 0, -1, misdeeds, "which rule to break" },
    { "scale", RI_PARAM_DOUBLE, "1", 0, -1, NULL, "multiplier of y" },
};
static const ri_output_spec outputs[] = {
    { "y", "units of x", 0, "scale * x" },
    { "z", "units of x", 0, "x + 1" },
};

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const char *misdeed = call->params[P_MISDEED].s;
    size_t n = call->n_areas * call->n_periods;
    /* Not NULL, since UBSan would stop at a null store before the fault the host
       must catch, and read at run time, so the compiler cannot see it is bad. */
    volatile uintptr_t unmapped = 16;
    double *nowhere = (double *)unmapped;

    for (size_t c = 0; c < n; c++) {
        call->outputs[0][c] = call->params[P_SCALE].d * call->inputs[0][c];
        if (strcmp(misdeed, "leave_empty") != 0)
            call->outputs[1][c] = call->inputs[0][c] + 1;
    }
    if (strcmp(misdeed, "print") == 0) {
        printf("unruly: hello from printf\n");
        if (write(STDOUT_FILENO, "unruly: hello from write\n", 25) != 25)
            return host->error(call->ctx, "unruly: write failed");
    } else if (strcmp(misdeed, "segfault") == 0)
        *nowhere = 1;
    else if (strcmp(misdeed, "abort") == 0)
        abort();
    else if (strcmp(misdeed, "log_per_cell") == 0)
        for (size_t c = 0; c < n; c++)
            host->log(call->ctx, RI_LOG_WARNING, "unruly: cell %zu of area %s", c,
                      call->area_codes[c / call->n_periods]);
    else if (strcmp(misdeed, "numeric_s") == 0)
        host->log(call->ctx, RI_LOG_INFO, "unruly: scale reads as \"%c\"", *call->params[P_SCALE].s);
    else if (strcmp(misdeed, "undeclared_output") == 0)
        call->outputs[2][0] = 1;
    else if (strcmp(misdeed, "bad_unit") == 0)
        host->set_unit(call->ctx, 5, "GBP");
    return RI_OK;
}

static const ri_plugin unruly = {
    RI_PLUGIN_HEADER,
    "unruly", "0.3.1", "test plugin that breaks one rule of the plugin contract on request",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(unruly)
