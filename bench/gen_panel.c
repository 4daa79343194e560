/*
 * gen_panel — write a deterministic synthetic tidy panel for benchmarks:
 *   area_code,year,industry,gva_gbp_m,jobs,hours
 * Usage: gen_panel [AREAS [YEARS [INDUSTRIES [SEED [OUTPUT]]]]]
 * Defaults: 10000 areas, 30 years (1994-2023), 20 industries, seed 1, stdout.
 * Values come from a fixed xorshift generator, so the same arguments always
 * give the same bytes on every machine.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

static double uniform(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (double)(state >> 11) / 9007199254740992.0;
}

static long arg(int argc, char **argv, int i, long def)
{
    char *end;
    long v;
    if (argc <= i)
        return def;
    v = strtol(argv[i], &end, 10);
    if (*end || v <= 0) {
        fprintf(stderr, "gen_panel: argument %d '%s' must be a positive integer\n", i, argv[i]);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    long areas = arg(argc, argv, 1, 10000), years = arg(argc, argv, 2, 30);
    long industries = arg(argc, argv, 3, 20), seed = arg(argc, argv, 4, 1);
    FILE *out = stdout;

    if (argc > 5 && !(out = fopen(argv[5], "w"))) {
        perror(argv[5]);
        return 1;
    }
    state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)seed;
    fputs("area_code,year,industry,gva_gbp_m,jobs,hours\n", out);
    for (long a = 0; a < areas; a++) {
        double size = 0.5 + 4.0 * uniform(), productivity = 0.7 + 0.6 * uniform();
        for (long y = 0; y < years; y++) {
            double growth = 1.0 + 0.02 * (double)y + 0.01 * uniform();
            for (long i = 0; i < industries; i++) {
                double jobs = (double)(long)(size * (200.0 + 1800.0 * uniform()));
                double hours = (double)(long)(jobs * (1400.0 + 500.0 * uniform()));
                double gva = jobs * productivity * growth * (0.03 + 0.05 * uniform());
                fprintf(out, "A%06ld,%ld,I%02ld,%.3f,%.0f,%.0f\n", a, 1994 + y, i, gva, jobs, hours);
            }
        }
    }
    if (fclose(out) != 0) {
        perror("gen_panel");
        return 1;
    }
    return 0;
}
