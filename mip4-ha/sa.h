/*
 * sa: MN-HA security associations, one per home address: SPI, key, algorithm,
 * replay mode, the last accepted Identification and an optional lifetime.
 * Static ones come from the configuration; dynamic ones from an AMA (RFC 3957
 * key) or, in method 2, from Zn (Ks_NAF itself, until its Key-ExpiryTime).  A typed layer over addrtab, like binding.c.
 * Keys are wiped whenever an association is replaced, removed or the table is
 * destroyed.  Loop thread only.
 */
#ifndef MIP4_HA_SA_H
#define MIP4_HA_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/auth.h"
#include "agent/addrtab.h"

#define SA_KEY_MAX 32

struct sa {
	struct addrtab_entry entry; /* timer armed when the association has a lifetime */
	uint32_t home_addr;       /* network byte order */
	uint32_t spi;             /* MN SPI: used in both directions (PROTOCOL.md §3) */
	uint64_t last_ident;      /* last accepted Identification, 0 = none yet */
	uint8_t alg;              /* enum auth_alg */
	uint8_t replay;           /* MIP-Replay-Mode: 2 timestamps */
	uint8_t key_len;
	uint8_t is_static;
	uint8_t key[SA_KEY_MAX];
	uint8_t from_zn;          /* method 2: key = Ks_NAF of the B-TID below */
	uint64_t btid_fp;         /* from_zn: the B-TID the key belongs to (reg_zn_btid_fp) */
	uint64_t owner_fp;        /* from_zn: the IMPI behind it (reg_zn_owner_fp) */
};

struct sa_table {
	struct addrtab tab; /* tab.count associations of at most tab.max */
};

struct sa_params {
	uint32_t spi;
	enum auth_alg alg;
	uint8_t replay;
	const uint8_t *key;
	size_t key_len;     /* 1..SA_KEY_MAX */
	uint32_t expires;   /* second it ends, 0 = never */
	bool is_static;
	bool from_zn;
	uint64_t btid_fp, owner_fp;
};

int sa_table_init(struct sa_table *t, uint32_t max, uint32_t now);
void sa_table_destroy(struct sa_table *t);
struct sa *sa_find(const struct sa_table *t, uint32_t home_addr);
/* Create or replace the association of home_addr.  A replaced one keeps its
 * last accepted Identification, so a re-key never reopens the replay window.
 * NULL when full, out of memory or the parameters are invalid. */
struct sa *sa_install(struct sa_table *t, uint32_t home_addr, const struct sa_params *p);
void sa_remove(struct sa_table *t, struct sa *s);
void sa_expire(struct sa_table *t, uint32_t now, void (*gone)(const struct sa *s, void *arg), void *arg);
/* fn may remove the association it is given. */
void sa_foreach(struct sa_table *t, void (*fn)(struct sa *s, void *arg), void *arg);
/* A walk in steps (see addrtab_foreach_from); sa_walk_end(t) at the end. */
uint32_t sa_foreach_from(struct sa_table *t, uint32_t bucket, size_t max, void (*fn)(struct sa *s, void *arg),
                         void *arg);
static inline uint32_t sa_walk_end(const struct sa_table *t) { return t->tab.mask + 1; }
size_t sa_table_bytes(const struct sa_table *t);

#endif
