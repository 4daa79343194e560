/* plugin_guard.c — compute() under guards (see plugin_guard.h). */
/* MAP_ANONYMOUS, sigaltstack and SA_ONSTACK are beyond the POSIX.1-2008 base the build asks for. */
#define _DEFAULT_SOURCE

#include "plugin_guard.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error.h"
#include "plugin_host.h"

/* Extra input and output slots past those declared, poisoned in debug mode. */
#define POISON_SLOTS 8
/* Large enough that an index into a poisoned column still lands inside it. */
#define POISON_BYTES ((size_t)1 << 24)

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGABRT};
#define N_CRASH_SIGNALS (sizeof crash_signals / sizeof crash_signals[0])

/*
 * What the handler needs, prepared before compute: after a crash in plugin
 * code nothing may be trusted, so the handler only writes these bytes and
 * ends the process (write and _exit are async-signal-safe).
 */
static char crash_msg[N_CRASH_SIGNALS][768];
static size_t crash_len[N_CRASH_SIGNALS];
static const char poison_hint[] =
    "regind: error: the address was in the region REGIND_PLUGIN_DEBUG poisons: the plugin used .s of a "
    "numeric parameter, or an input or output past those it declares\n";
static char *volatile poison_lo, *volatile poison_hi;
static char alt_stack[1 << 16];

static void on_crash(int sig, siginfo_t *info, void *uc)
{
    char *addr = info ? (char *)info->si_addr : NULL;
    ssize_t w = 0;
    (void)uc;
    for (size_t k = 0; k < N_CRASH_SIGNALS; k++)
        if (crash_signals[k] == sig)
            w = write(STDERR_FILENO, crash_msg[k], crash_len[k]);
    if (addr && addr >= poison_lo && addr < poison_hi)
        w = write(STDERR_FILENO, poison_hint, sizeof poison_hint - 1);
    (void)w;
    _exit(RI_RC_PLUGIN_CRASH);
}

typedef struct guard {
    struct sigaction old[N_CRASH_SIGNALS];
    stack_t old_stack;
    int stack_set;
    int saved_stdout;     /* regind's stdout while the plugin's goes elsewhere; -1 when it was closed */
    int stdout_failed;    /* a write of regind's to stdout had failed before: that error stays */
    FILE *capture;        /* what the plugin wrote there, or NULL when it went to stderr */
} guard;

static void arm(guard *g, const ri_plugin *d, const ri_context *ctx)
{
    struct sigaction sa;
    stack_t st;

    for (size_t k = 0; k < N_CRASH_SIGNALS; k++) {
        int n = snprintf(crash_msg[k], sizeof crash_msg[k],
                         "regind: error: plugin %s %s crashed in compute of indicator %s (signal %d)\n",
                         d->name, d->version, ctx->indicator, crash_signals[k]);
        crash_len[k] = n < 0 ? 0 : (size_t)n < sizeof crash_msg[k] ? (size_t)n : sizeof crash_msg[k] - 1;
    }
    /* A stack overflow in the plugin leaves no stack for the handler but this one. */
    memset(&st, 0, sizeof st);
    st.ss_sp = alt_stack;
    st.ss_size = sizeof alt_stack;
    g->stack_set = sigaltstack(&st, &g->old_stack) == 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_crash;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t k = 0; k < N_CRASH_SIGNALS; k++)
        sigaction(crash_signals[k], &sa, &g->old[k]);

    /* regind's own buffered output goes out first, to where it belongs. */
    fflush(stdout);
    g->stdout_failed = ferror(stdout) != 0;
    g->saved_stdout = dup(STDOUT_FILENO);
    g->capture = tmpfile();
    if (!g->capture || dup2(fileno(g->capture), STDOUT_FILENO) < 0) {
        if (g->capture)
            fclose(g->capture);
        g->capture = NULL;
        dup2(STDERR_FILENO, STDOUT_FILENO);
    }
}

/* Each line the plugin wrote to stdout becomes a warning of its own (repeats summed up). */
static void log_captured(ri_context *ctx, FILE *f)
{
    char line[512];
    int fresh = 1;

    rewind(f);
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        int whole = len > 0 && line[len - 1] == '\n';
        if (whole)
            line[--len] = '\0';
        if (fresh)
            ri_context_log(ctx, RI_LOG_WARNING, "wrote to standard output (kept off regind's output): %s", line);
        fresh = whole;
    }
}

static void disarm(guard *g, ri_context *ctx)
{
    /* What the plugin printed with stdio is still in stdout's buffer: it goes to the capture too. */
    fflush(stdout);
    if (g->saved_stdout >= 0) {
        dup2(g->saved_stdout, STDOUT_FILENO);
        close(g->saved_stdout);
    } else
        close(STDOUT_FILENO);
    if (!g->stdout_failed)
        clearerr(stdout);
    for (size_t k = 0; k < N_CRASH_SIGNALS; k++)
        sigaction(crash_signals[k], &g->old[k], NULL);
    if (g->stack_set)
        sigaltstack(&g->old_stack, NULL);
    if (g->capture) {
        log_captured(ctx, g->capture);
        fclose(g->capture);
    }
}

static int debug_mode(void)
{
    const char *v = getenv("REGIND_PLUGIN_DEBUG");
    return v && *v && strcmp(v, "0") != 0;
}

/* The debug host's call: what the plugin must not use points into a region no access is allowed to. */
typedef struct poisoned {
    ri_call call;
    ri_value *params;
    const double **inputs;
    double **outputs;
    char *region;
} poisoned;

static int poison(const ri_plugin *d, const ri_call *call, poisoned *p)
{
    memset(p, 0, sizeof *p);
    p->region = mmap(NULL, POISON_BYTES, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p->region == MAP_FAILED) {
        p->region = NULL;
        return -1;
    }
    p->params = calloc(d->n_params ? d->n_params : 1, sizeof *p->params);
    p->inputs = calloc(d->n_inputs + POISON_SLOTS, sizeof *p->inputs);
    p->outputs = calloc(d->n_outputs + POISON_SLOTS, sizeof *p->outputs);
    if (!p->params || !p->inputs || !p->outputs)
        return -1;
    for (size_t i = 0; i < d->n_params; i++) {
        p->params[i] = call->params[i];
        if (d->params[i].type == RI_PARAM_DOUBLE || d->params[i].type == RI_PARAM_INT ||
            d->params[i].type == RI_PARAM_BOOL)
            p->params[i].s = p->region;
        else if (d->params[i].type == RI_PARAM_STRING) {
            p->params[i].d = NAN;
            p->params[i].i = -1;
        }
    }
    for (size_t i = 0; i < d->n_inputs + POISON_SLOTS; i++)
        p->inputs[i] = i < d->n_inputs ? call->inputs[i] : (const double *)(void *)p->region;
    for (size_t i = 0; i < d->n_outputs + POISON_SLOTS; i++)
        p->outputs[i] = i < d->n_outputs ? call->outputs[i] : (double *)(void *)p->region;
    p->call = *call;
    p->call.params = p->params;
    p->call.inputs = p->inputs;
    p->call.outputs = p->outputs;
    poison_lo = p->region;
    poison_hi = p->region + POISON_BYTES;
    return 0;
}

static void unpoison(poisoned *p)
{
    poison_lo = poison_hi = NULL;
    if (p->region)
        munmap(p->region, POISON_BYTES);
    free(p->params);
    free(p->inputs);
    free(p->outputs);
}

/* An output with no value at all is more often a plugin or binding mistake than a finding. */
static void warn_empty_outputs(const ri_plugin *d, const ri_call *call)
{
    for (size_t o = 0; o < d->n_outputs; o++) {
        int by_ind = (d->outputs[o].flags & RI_BY_INDUSTRY) != 0;
        size_t cells = call->n_areas * call->n_periods * (by_ind ? call->n_industries : 1), c = 0;
        while (c < cells && isnan(call->outputs[o][c]))
            c++;
        if (cells > 0 && c == cells)
            ri_context_log(call->ctx, RI_LOG_WARNING,
                           "output %s is NaN in all %zu cells; expected a value somewhere (are its inputs bound to measures with data for these areas and periods?)",
                           d->outputs[o].name, cells);
    }
}

ri_status ri_plugin_compute(const ri_plugin *d, const ri_call *call)
{
    poisoned p;
    guard g;
    ri_status st;
    int debug = debug_mode();

    if (debug && poison(d, call, &p) != 0) {
        unpoison(&p);
        return ri_host_api()->error(call->ctx, "REGIND_PLUGIN_DEBUG: cannot prepare the debug host: out of memory");
    }
    arm(&g, d, call->ctx);
    st = d->compute(ri_host_api(), debug ? &p.call : call);
    disarm(&g, call->ctx);
    if (debug)
        unpoison(&p);
    if (st == RI_OK && !call->ctx->failed)
        warn_empty_outputs(d, call);
    ri_context_log_repeats(call->ctx);
    return st;
}
