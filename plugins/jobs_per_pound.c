/*
 * jobs_per_pound — jobs reported per pound of public money, public money per
 * job, and the match and private money that came with it (leverage).
 *
 * Every column is by industry; with the LEP investment panel the breakdown is
 * a row's scope (programme, kind of money, kind of jobs figure, source row),
 * so each reported figure is one cell and nothing is summed. For each cell:
 *   jobs_per_million = jobs / public_gbp * per_gbp
 *   cost_per_job_gbp = public_gbp / jobs
 *   leverage         = (match_gbp + private_gbp) / public_gbp
 *   jobs             = jobs, copied so an output row carries its own count
 * A cell is a row when any input has a value; cells without one are left
 * alone and are not counted in the warning.
 */
#include <regind/plugin.h>

#include <math.h>

enum { IN_PUBLIC, IN_JOBS, IN_MATCH, IN_PRIVATE };
enum { P_PER_GBP };
enum { OUT_JOBS_PER_MILLION, OUT_COST_PER_JOB, OUT_LEVERAGE, OUT_JOBS };

/* Longest unit: "jobs per GBP " + 1e12 grouped ("1,000,000,000,000") + " of public money". */
#define UNIT_MAX 64

static const ri_input_spec inputs[] = {
    { "public_gbp", RI_BY_INDUSTRY,
      "public money (allocation, commitment or spend) in pounds; zero or missing gives NaN ratios" },
    { "jobs", RI_BY_INDUSTRY, "jobs created or safeguarded as reported, a count of jobs" },
    { "match_gbp", RI_BY_INDUSTRY | RI_OPTIONAL,
      "match funding in pounds, public and private as the source states it" },
    { "private_gbp", RI_BY_INDUSTRY | RI_OPTIONAL,
      "private investment in pounds, where the source states it apart from match_gbp" },
};

static const ri_param_spec params[] = {
    { "per_gbp", RI_PARAM_DOUBLE, "1000000", 1, 1e12, NULL,
      "jobs_per_million counts jobs per this many whole pounds (500000 for jobs per GBP 500,000)" },
};

static const ri_output_spec outputs[] = {
    { "jobs_per_million", "jobs per GBP 1m of public money", RI_BY_INDUSTRY,
      "jobs / public_gbp * per_gbp; NaN when public money is zero, negative or missing" },
    { "cost_per_job_gbp", "GBP of public money per job", RI_BY_INDUSTRY,
      "public_gbp / jobs; NaN when public money is not positive or jobs are zero or negative" },
    { "leverage", "GBP of match and private funding per GBP 1 of public money", RI_BY_INDUSTRY,
      "(match_gbp + private_gbp) / public_gbp; a missing part is left out (one missing: the "
      "other alone), both missing give NaN" },
    { "jobs", "jobs", RI_BY_INDUSTRY, "the jobs figure itself, as reported" },
};

/* Writes n (a whole number below 1e15) with thousands separators; returns the end. */
static char *put_grouped(char *s, double n)
{
    char digits[16];
    int len = 0;
    do {
        digits[len++] = (char)('0' + (int)fmod(n, 10));
        n = floor(n / 10);
    } while (n >= 1);
    while (len > 0) {
        *s++ = digits[--len];
        if (len > 0 && len % 3 == 0)
            *s++ = ',';
    }
    return s;
}

static char *put_text(char *s, const char *text)
{
    while (*text)
        *s++ = *text++;
    return s;
}

/* "jobs per GBP 500,000 of public money"; whole millions read as the declared "1m" does. */
static void per_unit(char unit[UNIT_MAX], double per_gbp)
{
    char *s = put_text(unit, "jobs per GBP ");
    if (fmod(per_gbp, 1e6) == 0) {
        s = put_grouped(s, per_gbp / 1e6);
        *s++ = 'm';
    } else {
        s = put_grouped(s, per_gbp);
    }
    s = put_text(s, " of public money");
    *s = '\0';
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const double *public_gbp = call->inputs[IN_PUBLIC];
    const double *jobs = call->inputs[IN_JOBS];
    const double *match = call->inputs[IN_MATCH];
    const double *private_gbp = call->inputs[IN_PRIVATE];
    double per_gbp = call->params[P_PER_GBP].d;
    double *const *out = call->outputs;
    size_t n_cells = call->n_areas * call->n_periods * call->n_industries;
    size_t n_rows = 0, n_no_public = 0, n_no_jobs = 0, n_nonpositive_jobs = 0;

    /* The unit spells per_gbp out; a fraction of a pound has no honest short form. */
    if (per_gbp != floor(per_gbp))
        return host->error(call->ctx, "jobs_per_pound: per_gbp = %.17g is not a whole number "
                           "of pounds; expected e.g. 1000000 or 500000", per_gbp);
    if (per_gbp != 1e6) {
        char unit[UNIT_MAX];
        per_unit(unit, per_gbp);
        host->set_unit(call->ctx, OUT_JOBS_PER_MILLION, unit);
    }

    for (size_t c = 0; c < n_cells; c++) {
        double m = match ? match[c] : NAN;
        double p = private_gbp ? private_gbp[c] : NAN;
        if (isnan(public_gbp[c]) && isnan(jobs[c]) && isnan(m) && isnan(p))
            continue;
        n_rows++;
        if (isfinite(jobs[c]))
            out[OUT_JOBS][c] = jobs[c];
        if (!(public_gbp[c] > 0 && isfinite(public_gbp[c]))) {
            n_no_public++;
            continue;
        }
        /* Sources state match and private money apart only when both exist (match
           then holds the public part alone), and often state just one of them; a
           missing part is therefore "not reported", and the leverage is of what is. */
        if (isfinite(m) || isfinite(p))
            out[OUT_LEVERAGE][c] = ((isfinite(m) ? m : 0) + (isfinite(p) ? p : 0)) / public_gbp[c];
        if (!isfinite(jobs[c])) {
            n_no_jobs++;
            continue;
        }
        out[OUT_JOBS_PER_MILLION][c] = jobs[c] / public_gbp[c] * per_gbp;
        /* A net loss of jobs (a negative count) has no cost per job either. */
        if (jobs[c] > 0)
            out[OUT_COST_PER_JOB][c] = public_gbp[c] / jobs[c];
        else
            n_nonpositive_jobs++;
    }

    if (n_no_public + n_no_jobs + n_nonpositive_jobs > 0)
        host->log(call->ctx, RI_LOG_WARNING,
                  "jobs_per_pound: %zu of %zu rows have NaN ratios: %zu with zero, negative or "
                  "missing public money (no jobs_per_million, cost_per_job or leverage), %zu with "
                  "missing jobs (no jobs_per_million or cost_per_job), %zu with zero or negative "
                  "jobs (no cost_per_job)",
                  n_no_public + n_no_jobs + n_nonpositive_jobs, n_rows, n_no_public, n_no_jobs,
                  n_nonpositive_jobs);
    return RI_OK;
}

static const ri_plugin jobs_per_pound = {
    RI_PLUGIN_HEADER,
    "jobs_per_pound", "1.0.0",
    "Jobs per GBP 1m of public money, public money per job, and match and private leverage",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(jobs_per_pound)
