/*
 * bench_journal: what the HA journal costs, without sockets.
 *   bench_journal [N]              N bindings + AAA SAs (default 1,000,000): records
 *                                  noted per second, the snapshot's size and time,
 *                                  and the reload of the snapshot into empty tables
 *   bench_journal --make DIR N     only write a journal of N entries (home addresses
 *                                  from 10.64.0.1) into DIR, for the daemon's reload bench
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "lib/log.h"
#include "lib/replay.h"
#include "mip4-ha/journal.h"

struct bj_tables {
	struct binding_table b;
	struct sa_table s;
	struct pending_table p;
	struct reg_now now;
};

static double bj_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int bj_init(struct bj_tables *t, uint32_t n)
{
	clock_gettime(CLOCK_MONOTONIC, &t->now.mono);
	t->now.sec = (uint32_t)t->now.mono.tv_sec;
	t->now.ntp = replay_ntp_now();
	return binding_table_init(&t->b, n, t->now.sec) || sa_table_init(&t->s, n, t->now.sec) || pending_init(&t->p, 64);
}

static void bj_fini(struct bj_tables *t)
{
	pending_destroy(&t->p);
	sa_table_destroy(&t->s);
	binding_table_destroy(&t->b);
}

static struct journal *bj_open(const char *dir, struct bj_tables *t, struct journal_load *ld)
{
	struct conf_journal jc = { .enabled = true, .directory = (char *)dir, .sync_interval_ms = 200,
	                           .compact_bytes = (uint64_t)1 << 40 };
	return journal_open(&jc, NULL, &t->b, &t->s, &t->p, &t->now, ld);
}

/* N entries noted and folded into a snapshot; returns the seconds of noting. */
static double bj_fill(const char *dir, uint32_t n, struct bj_tables *t, double *snap_s, uint64_t *snap_bytes)
{
	struct journal_load ld;
	struct journal *j = bj_open(dir, t, &ld);
	if (!j)
		exit(1);
	uint8_t key[20];
	RAND_bytes(key, sizeof key);
	double t0 = bj_now();
	for (uint32_t i = 0; i < n; i++) {
		uint32_t home = htonl(0x0a400001u + i);
		struct sa_params sp = { .spi = 4096, .alg = AUTH_HMAC_SHA1, .replay = 2, .key = key, .key_len = 20,
		                        .expires = t->now.sec + 3600 };
		struct sa *sa = sa_install(&t->s, home, &sp);
		struct binding *b = binding_get(&t->b, home);
		if (!sa || !b)
			exit(1);
		b->coa = htonl(0xc0000200u + (i & 0xff));
		b->ident = t->now.ntp + i;
		b->granted = 1800;
		b->since = t->now.sec;
		binding_arm(&t->b, b, t->now.sec + 1800);
		sa->last_ident = b->ident;
		journal_note(j, home, REG_CHANGED_SA | REG_CHANGED_BINDING, &t->now);
		if ((i & 63) == 63)
			journal_commit(j);
	}
	journal_commit(j);
	double noted = bj_now() - t0;
	t0 = bj_now();
	journal_compact(j);
	while (journal_compact_step(j))
		;
	journal_wait(j);
	while (journal_compact_step(j))
		;
	*snap_s = bj_now() - t0;
	struct journal_stats st;
	journal_get_stats(j, &st);
	*snap_bytes = st.snapshot_bytes;
	journal_close(j);
	return noted;
}

int main(int argc, char **argv)
{
	log_init("bench_journal", LOG_LEVEL_NOTICE, LOG_SINK_STDERR);
	if (argc == 4 && strcmp(argv[1], "--make") == 0) {
		uint32_t n = (uint32_t)strtoul(argv[3], NULL, 10);
		struct bj_tables t;
		double s;
		uint64_t bytes;
		if (n == 0 || bj_init(&t, n))
			return 2;
		bj_fill(argv[2], n, &t, &s, &bytes);
		bj_fini(&t);
		printf("bench_journal: %u bindings + SAs written to %s (snapshot %.1f MB)\n", n, argv[2], (double)bytes / 1e6);
		return 0;
	}
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1000000;
	if (n == 0)
		return 2;
	char dir[] = "/tmp/mip4-bench-journal-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char jdir[64];
	snprintf(jdir, sizeof jdir, "%s/j", dir);
	struct bj_tables t;
	double snap_s;
	uint64_t bytes;
	if (bj_init(&t, n))
		return 1;
	double noted = bj_fill(jdir, n, &t, &snap_s, &bytes);
	bj_fini(&t);
	printf("bench_journal: %u bindings + AAA SAs noted at %.0f changes/s (a binding and an SA each), snapshot "
	       "%.1f MB written in %.2f s\n", n, n / noted, (double)bytes / 1e6, snap_s);
	struct journal_load ld;
	if (bj_init(&t, n))
		return 1;
	double t0 = bj_now();
	struct journal *j = bj_open(jdir, &t, &ld);
	double load = bj_now() - t0;
	if (!j)
		return 1;
	printf("bench_journal: reload of %zu bindings + %zu SAs from the snapshot: %.2f s (journal_open %.0f ms)\n",
	       ld.bindings, ld.sas, load, ld.ms);
	journal_close(j);
	bj_fini(&t);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 && ld.bindings == n ? 0 : 1;
}
