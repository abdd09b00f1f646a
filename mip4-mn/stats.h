/*
 * mip4-mn-stats: outcome counters and latency percentiles of a mip4-mn run.
 */
#ifndef MIP4_MN_STATS_H
#define MIP4_MN_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct mn_stats {
	uint64_t sent;         /* operations started (first transmissions) */
	uint64_t retransmits;
	uint64_t accepted;
	uint64_t rejected;     /* final outcomes with a code >= 2 */
	uint64_t by_code[256]; /* final outcomes by reply code */
	uint64_t timeouts;
	uint64_t bad_auth;     /* replies dropped: authenticator or key check failed */
	uint64_t resyncs;      /* 133 replies that moved our clock */
	uint64_t rebootstraps;
	uint32_t *rtt_us;      /* round trip of every completed operation (not timeouts) */
	size_t n_rtt, cap_rtt;
};

void mn_stats_init(struct mn_stats *s);
void mn_stats_free(struct mn_stats *s);
void mn_stats_reset(struct mn_stats *s);
/* Record a final reply of code `code` after rtt_us microseconds.  -1 on allocation failure. */
int mn_stats_outcome(struct mn_stats *s, uint8_t code, uint32_t rtt_us);
void mn_stats_timeout(struct mn_stats *s);

/* Nearest-rank percentile (0 < p <= 100) of sorted[0..n): the smallest value
 * with at least p% of the samples at or below it.  0 when n == 0. */
uint32_t mn_stats_percentile(const uint32_t *sorted, size_t n, double p);
/* Sort the samples (needed once before mn_stats_percentile on s->rtt_us). */
void mn_stats_sort(struct mn_stats *s);

/* One summary line: JSON object when json, else key=value words.  Sorts the samples. */
void mn_stats_print(struct mn_stats *s, double elapsed_s, bool json, FILE *out);

#endif
