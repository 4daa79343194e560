/*
 * plugin_template.h — the out-of-tree plugin project `regind new-plugin`
 * writes: a ratio plugin (NAME.c), or with --by-industry a share-of-total
 * plugin over industries, its cmocka tests with a self-contained fake host
 * (industries, the compared group, area types, a benchmark, assertions on
 * log lines), a Makefile that builds with `pkg-config regind` and plain
 * `cc -shared -fPIC`, an indicator block for job files and a README.
 *
 * Owns the text of those files. Each file is a NULL-terminated array of
 * lines without their newlines; "@NAME@" in a file's path or text stands for
 * the plugin's name. The project must build and pass its tests as written:
 * tests/e2e_sdk.sh and tests/installcheck.sh scaffold, build and load it.
 */
#ifndef RI_PLUGIN_TEMPLATE_H
#define RI_PLUGIN_TEMPLATE_H

#include <stddef.h>

#define RI_TEMPLATE_NAME "@NAME@"

typedef struct ri_template_file {
    const char *path;         /* relative to the project directory */
    const char *const *lines; /* NULL-terminated */
} ri_template_file;

extern const ri_template_file ri_plugin_template[];
extern const size_t ri_plugin_template_count;
extern const ri_template_file ri_plugin_template_by_industry[];
extern const size_t ri_plugin_template_by_industry_count;

#endif
