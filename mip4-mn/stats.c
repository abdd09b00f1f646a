/*
 * mip4-mn-stats: outcome counters and latency percentiles.
 */
#include "mip4-mn/stats.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void mn_stats_init(struct mn_stats *s)
{
	memset(s, 0, sizeof(*s));
}

void mn_stats_free(struct mn_stats *s)
{
	free(s->rtt_us);
	memset(s, 0, sizeof(*s));
}

void mn_stats_reset(struct mn_stats *s)
{
	uint32_t *keep = s->rtt_us;
	size_t cap = s->cap_rtt;

	memset(s, 0, sizeof(*s));
	s->rtt_us = keep;
	s->cap_rtt = cap;
}

int mn_stats_outcome(struct mn_stats *s, uint8_t code, uint32_t rtt_us)
{
	if (s->n_rtt == s->cap_rtt) {
		size_t cap = s->cap_rtt ? s->cap_rtt * 2 : 1024;
		uint32_t *p = realloc(s->rtt_us, cap * sizeof(*p));

		if (!p)
			return -1;
		s->rtt_us = p;
		s->cap_rtt = cap;
	}
	s->rtt_us[s->n_rtt++] = rtt_us;
	s->by_code[code]++;
	if (code <= 1)
		s->accepted++;
	else
		s->rejected++;
	return 0;
}

void mn_stats_timeout(struct mn_stats *s)
{
	s->timeouts++;
}

uint32_t mn_stats_percentile(const uint32_t *sorted, size_t n, double p)
{
	if (n == 0)
		return 0;
	if (p <= 0)
		return sorted[0];
	double rank = ceil(p / 100.0 * (double)n);
	size_t i = rank < 1 ? 0 : (size_t)rank - 1;

	return sorted[i < n ? i : n - 1];
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void mn_stats_sort(struct mn_stats *s)
{
	if (s->n_rtt > 1)
		qsort(s->rtt_us, s->n_rtt, sizeof(*s->rtt_us), cmp_u32);
}

void mn_stats_print(struct mn_stats *s, double elapsed_s, bool json, FILE *out)
{
	mn_stats_sort(s);
	double rate = elapsed_s > 0 ? (double)s->accepted / elapsed_s : 0;
	uint32_t p50 = mn_stats_percentile(s->rtt_us, s->n_rtt, 50);
	uint32_t p90 = mn_stats_percentile(s->rtt_us, s->n_rtt, 90);
	uint32_t p99 = mn_stats_percentile(s->rtt_us, s->n_rtt, 99);
	uint32_t max = s->n_rtt ? s->rtt_us[s->n_rtt - 1] : 0;

	if (json) {
		fprintf(out, "{\"summary\":true,\"sent\":%" PRIu64 ",\"accepted\":%" PRIu64
		             ",\"rejected\":%" PRIu64 ",\"rejected_by_code\":{",
		        s->sent, s->accepted, s->rejected);
		bool first = true;
		for (int c = 2; c < 256; c++) {
			if (!s->by_code[c])
				continue;
			fprintf(out, "%s\"%d\":%" PRIu64, first ? "" : ",", c, s->by_code[c]);
			first = false;
		}
		fprintf(out, "},\"timeouts\":%" PRIu64 ",\"retransmits\":%" PRIu64 ",\"bad_auth\":%" PRIu64
		             ",\"resyncs\":%" PRIu64 ",\"rebootstraps\":%" PRIu64
		             ",\"elapsed_s\":%.3f,\"rate\":%.1f,\"p50_us\":%u,\"p90_us\":%u,\"p99_us\":%u,"
		             "\"max_us\":%u}\n",
		        s->timeouts, s->retransmits, s->bad_auth, s->resyncs, s->rebootstraps, elapsed_s, rate,
		        p50, p90, p99, max);
	} else {
		fprintf(out, "summary: sent=%" PRIu64 " accepted=%" PRIu64 " rejected=%" PRIu64, s->sent,
		        s->accepted, s->rejected);
		for (int c = 2; c < 256; c++)
			if (s->by_code[c])
				fprintf(out, " rejected_%d=%" PRIu64, c, s->by_code[c]);
		fprintf(out, " timeouts=%" PRIu64 " retransmits=%" PRIu64 " bad_auth=%" PRIu64
		             " resyncs=%" PRIu64 " rebootstraps=%" PRIu64
		             " elapsed=%.3fs rate=%.1f/s p50=%uus p90=%uus p99=%uus max=%uus\n",
		        s->timeouts, s->retransmits, s->bad_auth, s->resyncs, s->rebootstraps, elapsed_s, rate,
		        p50, p90, p99, max);
	}
	fflush(out);
}
