/*
 * expo: the exposition of a daemon's counters, the pieces every daemon of ours
 * renders the same way into its control socket answers: one JSON object
 * (`mip4-ctl stats`) and the Prometheus text format (`mip4-ctl metrics`).
 * Counters by reply code, by named reason, and a latency histogram with fixed
 * bounds.  Every function appends to b and returns 0, or -1 when memory ran out
 * (what was appended so far stays).
 */
#ifndef MIP4_AGENT_EXPO_H
#define MIP4_AGENT_EXPO_H

#include <stddef.h>
#include <stdint.h>

#include "agent/textbuf.h"

/* Histogram upper bounds in milliseconds; the last bucket is +Inf. */
#define EXPO_HIST_BUCKETS 10
extern const double expo_hist_bounds_ms[EXPO_HIST_BUCKETS - 1];

struct expo_hist {
	uint64_t sum_us, max_us, n;
	uint64_t bucket[EXPO_HIST_BUCKETS];
};

void expo_hist_add(struct expo_hist *h, uint64_t us);

/* The name of counter i, or NULL to leave it out. */
typedef const char *(*expo_name_fn)(unsigned i);

/* JSON members. */
/* "key":{"lo":v[lo],...} for each code lo..hi whose count is not zero. */
int expo_json_codes(struct textbuf *b, const char *key, const uint64_t *v, unsigned lo, unsigned hi);
/* "key":{"name(i)":v[i],...} for each i in 1..n-1 whose count is not zero (0 is "no error"). */
int expo_json_named(struct textbuf *b, const char *key, const uint64_t *v, unsigned n, expo_name_fn name);
/* "latency_ms_avg":..,"latency_ms_max":.. (prefix "latency" given as key) */
int expo_json_hist_summary(struct textbuf *b, const char *key, const struct expo_hist *h);
/* "key":{"le_0.5":..,...,"inf":..} */
int expo_json_hist(struct textbuf *b, const char *key, const struct expo_hist *h);

/* Prometheus text. */
/* HELP and TYPE lines, then "name value". */
int expo_prom_u64(struct textbuf *b, const char *name, const char *type, const char *help, uint64_t v);
int expo_prom_double(struct textbuf *b, const char *name, const char *type, const char *help, double v);
/* HELP and TYPE of a labelled counter, then name{label="code"} v for each non-zero code lo..hi. */
int expo_prom_codes(struct textbuf *b, const char *name, const char *help, const char *label, const uint64_t *v,
                    unsigned lo, unsigned hi);
/* The same with the label values name(i), i in 1..n-1. */
int expo_prom_named(struct textbuf *b, const char *name, const char *help, const char *label, const uint64_t *v,
                    unsigned n, expo_name_fn fname);
/* A histogram in seconds: name_bucket{le=..}, name_sum, name_count. */
int expo_prom_hist(struct textbuf *b, const char *name, const char *help, const struct expo_hist *h);

#endif
