/* cli_plugins.c — `regind list` and `regind describe`: what plugins exist and what they take. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int ri_cmd_list(ri_cli *c, int argc, char **argv)
{
    static const char help[] = "Usage: regind list\nOne line per plugin found on the search path: name, version, summary.\n";
    ri_job *job = NULL;
    ri_plugin_host *host = NULL;
    ri_listing l;
    ri_error err;
    ri_rc rc;

    if (ri_cli_help(argc, argv, help))
        return 0;
    if (argc > 1)
        return ri_cli_usage("list: unexpected argument '%s'", argv[1]);
    if ((rc = ri_cli_load_job(c, 0, &job, &err)) || (rc = ri_cli_make_host(c, job, &host, &err)) ||
        (rc = ri_host_list(host, &l, &err))) {
        ri_host_free(host);
        ri_job_free(job);
        return ri_cli_fail(&err);
    }
    for (size_t i = 0; i < l.n_plugins; i++)
        printf("%-20s %-8s %s\n", l.plugins[i]->name, l.plugins[i]->desc->version, l.plugins[i]->desc->summary);
    for (size_t i = 0; i < l.n_errors; i++)
        fprintf(stderr, "regind: warning: refused %s\n", l.errors[i]);
    if (l.n_plugins == 0)
        fprintf(stderr, "regind: warning: no plugins found; use -P DIR or REGIND_PLUGIN_PATH\n");
    ri_listing_free(&l);
    ri_host_free(host);
    ri_job_free(job);
    return 0;
}

static const char *type_text(ri_param_type t)
{
    static const char *const names[] = {"", "number", "integer", "boolean", "string", "choice"};
    return t >= RI_PARAM_DOUBLE && t <= RI_PARAM_CHOICE ? names[t] : "?";
}

static void describe(const ri_loaded *l)
{
    const ri_plugin *d = l->desc;
    const char *rel = l->path;
    char cwd[PATH_MAX];
    /* Absolute, so the line says which file was loaded wherever it is read; links are left as named. */
    int absolute = rel[0] == '/' || !getcwd(cwd, sizeof cwd);

    while (!absolute && strncmp(rel, "./", 2) == 0)
        rel += 2;
    printf("%s %s — %s\n", d->name, d->version, d->summary);
    printf("file: %s%s%s\nABI: %u.%u\n\nInputs (bind in the indicator's inputs group):\n", absolute ? "" : cwd,
           absolute || strcmp(cwd, "/") == 0 ? "" : "/", rel, d->abi_major, d->abi_minor);
    for (size_t i = 0; i < d->n_inputs; i++)
        printf("  %-20s %-9s %s%s\n", d->inputs[i].role, (d->inputs[i].flags & RI_OPTIONAL) ? "optional" : "required",
               d->inputs[i].help ? d->inputs[i].help : "",
               (d->inputs[i].flags & RI_BY_INDUSTRY) ? " (by industry)" : "");
    printf("\nParameters (set in the indicator's params group):\n");
    for (size_t i = 0; i < d->n_params; i++) {
        const ri_param_spec *s = &d->params[i];
        printf("  %-20s %-8s default %s", s->name, type_text(s->type), s->default_value ? s->default_value : "(required)");
        if ((s->type == RI_PARAM_DOUBLE || s->type == RI_PARAM_INT) && s->min <= s->max)
            printf(", range %g to %g", s->min, s->max);
        if (s->type == RI_PARAM_CHOICE) {
            printf(", one of");
            for (size_t k = 0; s->choices[k]; k++)
                printf("%s %s", k ? "," : "", s->choices[k]);
        }
        printf("\n  %20s %s\n", "", s->help);
    }
    printf("\nOutputs:\n");
    for (size_t i = 0; i < d->n_outputs; i++)
        printf("  %-20s [%s]%s%s %s\n", d->outputs[i].name, d->outputs[i].unit,
               (d->outputs[i].flags & RI_BY_INDUSTRY) ? " (by industry)" : "",
               (d->outputs[i].flags & RI_BENCHMARK_ROW) ? " (benchmark row only)" : "",
               d->outputs[i].help ? d->outputs[i].help : "");
}

int ri_cmd_describe(ri_cli *c, int argc, char **argv)
{
    static const char help[] = "Usage: regind describe PLUGIN\nShow a plugin's inputs, parameters (type, default, range) and outputs (unit).\n";
    ri_job *job = NULL;
    ri_plugin_host *host = NULL;
    const ri_loaded *l;
    ri_error err;
    ri_rc rc;

    if (ri_cli_help(argc, argv, help))
        return 0;
    if (argc != 2)
        return ri_cli_usage("describe: %s", "expected exactly one plugin name");
    if ((rc = ri_cli_load_job(c, 0, &job, &err)) || (rc = ri_cli_make_host(c, job, &host, &err)) ||
        (rc = ri_host_load(host, argv[1], &l, &err))) {
        ri_host_free(host);
        ri_job_free(job);
        return ri_cli_fail(&err);
    }
    describe(l);
    ri_host_free(host);
    ri_job_free(job);
    return 0;
}

