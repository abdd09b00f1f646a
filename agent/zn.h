/*
 * zn: the NAF side of Zn (TS 29.109): Ks_NAF for a B-TID from the BSF.
 *
 * A cache of Ks_NAF per B-TID (LRU, bounded) never serves a key at or past its
 * Key-ExpiryTime and wipes every key it drops; a short negative cache remembers
 * B-TIDs the BSF refused (5401-5403, 5001); concurrent misses for one B-TID wait
 * on a single BIR.  Nothing blocks: zn_lookup() either calls back at once (hit,
 * negative hit) or parks the caller until the BIR's answer or timeout, which
 * call zn_complete() from a freeDiameter thread.
 *
 * The cache logic does not depend on freeDiameter: the BIR is sent through a
 * zn_send_fn: zn_bir_send() for real; in the unit tests, a double that records each BIR.
 *
 * Two NAFs use it: the AAA (key source zn, answering the AMR from the callback)
 * and the HA (method 2, whose callback only queues the answer for its loop
 * thread: a zn_done_fn may run on a freeDiameter thread).
 */
#ifndef MIP4_AGENT_ZN_H
#define MIP4_AGENT_ZN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/gba.h"

struct dict_base;
struct dict_zn;

enum zn_status {
	ZN_KEY,         /* key, expiry and IMPI are valid */
	ZN_REJECT,      /* the BSF does not know the B-TID, or refuses this NAF */
	ZN_UNAVAILABLE, /* no answer in time, no route, or an unusable answer */
};

struct zn_answer {
	enum zn_status status;
	uint8_t ks_naf[GBA_KS_NAF_LEN];
	int64_t expiry; /* Unix seconds */
	char impi[256];
	char reason[160];
};

/* Called exactly once per zn_lookup(), possibly before zn_lookup returns.  The
 * answer (and the key in it) is only valid during the call. */
typedef void (*zn_done_fn)(void *arg, const struct zn_answer *a);

struct zn;
/* Sends one BIR for btid.  Returns 0 when sent: the sender must then call
 * zn_complete(zn, btid, len, gen, ...) exactly once.  Non-zero: not sent. */
typedef int (*zn_send_fn)(void *send_arg, struct zn *zn, const char *btid, size_t len, uint64_t gen);

struct zn_stats {
	uint64_t lookups, hits, negative_hits, coalesced, birs, keys, rejects, unavailable, evictions,
		expired;
	size_t entries;
};

struct zn *zn_new(size_t cache_size, unsigned negative_ttl, zn_send_fn send, void *send_arg);
/* Wipes every key.  Callers still parked are not called back (shutdown). */
void zn_free(struct zn *zn);

void zn_lookup(struct zn *zn, const char *btid, size_t len, int64_t now, zn_done_fn done, void *arg);
/* The outcome of the BIR sent for (btid, gen): caches it and calls back every
 * parked caller.  An answer for a generation no longer pending is ignored. */
void zn_complete(struct zn *zn, const char *btid, size_t len, uint64_t gen,
                 const struct zn_answer *a, int64_t now);
void zn_get_stats(struct zn *zn, struct zn_stats *s);

/* The freeDiameter sender: a BIR to the BSF realm (the B-TID's domain unless
 * realm is set), answered through zn_complete. */
struct zn_bir_params {
	const struct dict_base *db;
	const struct dict_zn *dz;
	const uint8_t *naf_id;
	size_t naf_id_len;
	const char *realm; /* "" = B-TID domain */
	const char *host;  /* "" = route by realm */
	unsigned timeout_ms;
};
int zn_bir_send(void *params, struct zn *zn, const char *btid, size_t len, uint64_t gen);

#endif
