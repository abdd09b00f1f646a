/*
 * bench_ha: what one core of mip4-ha costs, without sockets.
 *  1. local re-registrations: N mobile nodes with static HMAC-MD5 SAs, R rounds of
 *     pre-built, correctly signed requests through reg_process_request (verify,
 *     replay check, binding update, signed reply): rate and p50/p99 per request;
 *  2. memory for 1,000,000 bindings + SAs: bytes the tables hold and RSS growth.
 *   bench_ha [N [R]]   (default 100000 nodes, 5 rounds)
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/auth.h"
#include "lib/reg.h"
#include "lib/replay.h"
#include "mip4-ha/reg_process.h"

static const uint8_t bench_key[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                       0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int bench_rereg(uint32_t n, uint32_t rounds)
{
	struct conf conf = { 0 };
	conf.address = inet_addr("127.0.0.1");
	conf.nets[0].addr = inet_addr("10.0.0.0");
	conf.nets[0].mask = htonl(0xff000000u);
	conf.n_nets = 1;
	conf.max_lifetime = 3600;
	conf.replay_window = 7;
	conf.max_bindings = n;
	conf.max_pending = 16;
	struct binding_table bt;
	struct sa_table st;
	struct pending_table pt;
	struct counters ctr;
	memset(&ctr, 0, sizeof ctr);
	uint64_t ntp = replay_ntp_now();
	if (binding_table_init(&bt, n, 1) || sa_table_init(&st, n, 1) || pending_init(&pt, 16))
		return 1;
	struct reg_state rs = { .conf = &conf, .bindings = &bt, .sas = &st, .pending = &pt, .ctr = &ctr,
	                        .auth = auth_ctx_new() };
	for (uint32_t i = 0; i < n; i++) {
		struct sa_params p = { .spi = 300, .alg = AUTH_HMAC_MD5, .replay = 2, .key = bench_key, .key_len = 16 };
		if (!sa_install(&st, htonl(0x0a000001u + i), &p))
			return 1;
	}
	/* Pre-built requests, signed the way the MN signs them (not timed). */
	size_t total = (size_t)n * rounds, slot = 64;
	uint8_t *reqs = malloc(total * slot);
	uint8_t *lens = malloc(total);
	double *lat = malloc(total * sizeof *lat);
	if (!reqs || !lens || !lat)
		return 1;
	for (uint32_t r = 0; r < rounds; r++) {
		for (uint32_t i = 0; i < n; i++) {
			size_t k = (size_t)r * n + i;
			struct reg_builder b;
			struct reg_request_fixed f = { .lifetime = 600, .home_addr = htonl(0x0a000001u + i),
			                               .ha_addr = conf.address, .coa = htonl(0xc0000200u + (i & 0xff)),
			                               .ident = ntp + ((uint64_t)r << 20) + 1 };
			reg_build_init(&b, reqs + k * slot, slot);
			reg_build_request(&b, &f);
			size_t off = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, 300, 16);
			if (b.err != REG_OK || !off || auth_sign(rs.auth, AUTH_HMAC_MD5, bench_key, 16, reqs + k * slot, off))
				return 1;
			lens[k] = (uint8_t)b.len;
		}
	}
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(434) };
	static struct reg_result res;
	struct reg_now now;
	clock_gettime(CLOCK_MONOTONIC, &now.mono);
	now.sec = 2;
	now.ntp = ntp;
	uint64_t accepted = 0;
	double t0 = now_ns();
	for (size_t k = 0; k < total; k++) {
		double a = now_ns();
		reg_process_request(&rs, reqs + k * slot, lens[k], &src, &now, &res);
		lat[k] = now_ns() - a;
		accepted += res.out == REG_OUT_REPLY && res.code == 0;
	}
	double secs = (now_ns() - t0) / 1e9;
	qsort(lat, total, sizeof *lat, cmp_double);
	printf("bench_ha: local re-registrations (verify + replay + binding + signed reply, HMAC-MD5, %u MNs x %u): "
	       "%.0f/s on one core, p50 %.2f us, p99 %.2f us, accepted %llu/%zu\n",
	       n, rounds, (double)total / secs, lat[total / 2] / 1e3, lat[total * 99 / 100] / 1e3,
	       (unsigned long long)accepted, total);
	free(reqs);
	free(lens);
	free(lat);
	auth_ctx_free(rs.auth);
	pending_destroy(&pt);
	sa_table_destroy(&st);
	binding_table_destroy(&bt);
	return accepted == total ? 0 : 1;
}

static int bench_memory(uint32_t n)
{
	long before = rss_kib();
	struct binding_table bt;
	struct sa_table st;
	if (binding_table_init(&bt, n, 0) || sa_table_init(&st, n, 0))
		return 1;
	uint8_t key[20] = { 1 };
	for (uint32_t i = 0; i < n; i++) {
		uint32_t addr = htonl(0x0a000000u + i);
		struct binding *b = binding_get(&bt, addr);
		struct sa_params p = { .spi = 256 + i, .alg = AUTH_HMAC_SHA1, .replay = 2, .key = key, .key_len = 20,
		                       .expires = 3600 + i % 3600 };
		if (!b || !sa_install(&st, addr, &p))
			return 1;
		binding_arm(&bt, b, 1 + i % 3600);
	}
	long after = rss_kib();
	printf("bench_ha: %u bindings + SAs: %.1f bytes each held by the tables (binding %zu, SA %zu, 2 buckets, "
	       "slab), %.1f bytes each by RSS growth\n",
	       n, (double)(binding_table_bytes(&bt) + sa_table_bytes(&st)) / n, sizeof(struct binding),
	       sizeof(struct sa), (double)(after - before) * 1024.0 / n);
	sa_table_destroy(&st);
	binding_table_destroy(&bt);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 100000;
	uint32_t rounds = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 5;
	if (n == 0 || rounds == 0 || n > 10000000) {
		fprintf(stderr, "usage: bench_ha [NODES [ROUNDS]]\n");
		return 2;
	}
	int rc = bench_rereg(n, rounds);
	rc |= bench_memory(1000000);
	return rc;
}
