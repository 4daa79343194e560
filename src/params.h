/*
 * params.h — a plugin's parameters as configured, checked against its schema.
 *
 * Owns typing and range checks, defaults, and the "unknown parameter; did
 * you mean" message, so plugins receive only typed, valid values. Values
 * borrow strings from the job and the descriptor; free with free().
 */
#ifndef RI_PARAMS_H
#define RI_PARAMS_H

#include <regind/plugin.h>

#include "config.h"
#include "error.h"

/* Fill out[n_params] for indicator ind of plugin d; *out is malloc'd. */
ri_rc ri_params_bind(const ri_plugin *d, const ri_indicator_cfg *ind, ri_value **out,
                     ri_error *err);

/* Parse a spec's default text into v (used by descriptor validation too). */
ri_rc ri_param_default(const ri_param_spec *spec, ri_value *v, ri_error *err);

#endif
