#include "agent/expo.h"

const double expo_hist_bounds_ms[EXPO_HIST_BUCKETS - 1] = { 0.5, 1, 2, 5, 10, 20, 50, 100, 1000 };

void expo_hist_add(struct expo_hist *h, uint64_t us)
{
	h->sum_us += us;
	h->n++;
	if (us > h->max_us)
		h->max_us = us;
	size_t i = 0;
	while (i < EXPO_HIST_BUCKETS - 1 && (double)us / 1000.0 > expo_hist_bounds_ms[i])
		i++;
	h->bucket[i]++;
}

int expo_json_codes(struct textbuf *b, const char *key, const uint64_t *v, unsigned lo, unsigned hi)
{
	int rc = textbuf_printf(b, "\"%s\":{", key);
	const char *sep = "";
	for (unsigned i = lo; i <= hi; i++) {
		if (v[i]) {
			rc |= textbuf_printf(b, "%s\"%u\":%llu", sep, i, (unsigned long long)v[i]);
			sep = ",";
		}
	}
	return rc | textbuf_printf(b, "}");
}

int expo_json_named(struct textbuf *b, const char *key, const uint64_t *v, unsigned n, expo_name_fn name)
{
	int rc = textbuf_printf(b, "\"%s\":{", key);
	const char *sep = "";
	for (unsigned i = 1; i < n; i++) {
		const char *s = name(i);
		if (v[i] && s) {
			rc |= textbuf_printf(b, "%s\"%s\":%llu", sep, s, (unsigned long long)v[i]);
			sep = ",";
		}
	}
	return rc | textbuf_printf(b, "}");
}

int expo_json_hist_summary(struct textbuf *b, const char *key, const struct expo_hist *h)
{
	return textbuf_printf(b, "\"%s_ms_avg\":%.3f,\"%s_ms_max\":%.3f", key,
	                      h->n ? (double)h->sum_us / (double)h->n / 1000.0 : 0.0, key, (double)h->max_us / 1000.0);
}

int expo_json_hist(struct textbuf *b, const char *key, const struct expo_hist *h)
{
	int rc = textbuf_printf(b, "\"%s\":{", key);
	for (size_t i = 0; i < EXPO_HIST_BUCKETS - 1; i++)
		rc |= textbuf_printf(b, "%s\"le_%g\":%llu", i ? "," : "", expo_hist_bounds_ms[i],
		                     (unsigned long long)h->bucket[i]);
	return rc | textbuf_printf(b, ",\"inf\":%llu}", (unsigned long long)h->bucket[EXPO_HIST_BUCKETS - 1]);
}

static int expo_prom_head(struct textbuf *b, const char *name, const char *type, const char *help)
{
	return textbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

int expo_prom_u64(struct textbuf *b, const char *name, const char *type, const char *help, uint64_t v)
{
	return expo_prom_head(b, name, type, help) | textbuf_printf(b, "%s %llu\n", name, (unsigned long long)v);
}

int expo_prom_double(struct textbuf *b, const char *name, const char *type, const char *help, double v)
{
	return expo_prom_head(b, name, type, help) | textbuf_printf(b, "%s %.6f\n", name, v);
}

int expo_prom_codes(struct textbuf *b, const char *name, const char *help, const char *label, const uint64_t *v,
                    unsigned lo, unsigned hi)
{
	int rc = expo_prom_head(b, name, "counter", help);
	for (unsigned i = lo; i <= hi; i++)
		if (v[i])
			rc |= textbuf_printf(b, "%s{%s=\"%u\"} %llu\n", name, label, i, (unsigned long long)v[i]);
	return rc;
}

int expo_prom_named(struct textbuf *b, const char *name, const char *help, const char *label, const uint64_t *v,
                    unsigned n, expo_name_fn fname)
{
	int rc = expo_prom_head(b, name, "counter", help);
	for (unsigned i = 1; i < n; i++) {
		const char *s = fname(i);
		if (v[i] && s)
			rc |= textbuf_printf(b, "%s{%s=\"%s\"} %llu\n", name, label, s, (unsigned long long)v[i]);
	}
	return rc;
}

int expo_prom_hist(struct textbuf *b, const char *name, const char *help, const struct expo_hist *h)
{
	int rc = expo_prom_head(b, name, "histogram", help);
	uint64_t cum = 0;
	for (size_t i = 0; i < EXPO_HIST_BUCKETS; i++) {
		cum += h->bucket[i];
		if (i < EXPO_HIST_BUCKETS - 1)
			rc |= textbuf_printf(b, "%s_bucket{le=\"%g\"} %llu\n", name, expo_hist_bounds_ms[i] / 1000.0,
			                     (unsigned long long)cum);
		else
			rc |= textbuf_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)cum);
	}
	return rc | textbuf_printf(b, "%s_sum %.6f\n%s_count %llu\n", name, (double)h->sum_us / 1e6, name,
	                           (unsigned long long)h->n);
}
