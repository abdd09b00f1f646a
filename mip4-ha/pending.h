/*
 * pending: registrations waiting for the AAA, keyed by (MN, Identification)
 * where MN is the NAI (or the 4-octet home address without one).  A
 * retransmission finds its entry and sends no second AMR.  Once answered, an
 * entry keeps the reply it produced for a short while so that a retransmission
 * of an AAA-authenticated request gets the same reply (the MN-AAA authenticator,
 * or for a method 2 request the MN-HA one, must match: nothing else in such a
 * request can be checked locally).  Method 2 requests wait here for Ks_NAF.
 * In-flight entries are capped; answered ones are evicted oldest first.
 * Each entry has an id (slot + generation) that travels through libfdcore
 * instead of a pointer, so a late answer for a freed entry is simply unknown.
 */
#ifndef MIP4_HA_PENDING_H
#define MIP4_HA_PENDING_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/reg.h"

#define PENDING_MN_MAX REG_NAI_MAX
#define PENDING_AUTH_MAX 32

struct pending {
	struct pending *hnext;
	struct pending *lnext, *lprev;  /* in-flight list or answered FIFO */
	uint64_t id;
	uint64_t ident;
	uint8_t mn[PENDING_MN_MAX];
	uint8_t mn_len;
	uint8_t auth_len;
	uint8_t auth[PENDING_AUTH_MAX]; /* pending_auth() of the request */
	bool answered;
	uint32_t expires;               /* answered: second the cached reply is dropped */
	struct timespec started;        /* CLOCK_MONOTONIC when the AMR left */
	struct sockaddr_in src;         /* where the reply goes */
	uint8_t *rrq;                   /* copy of the request while in flight */
	size_t rrq_len;
	uint8_t *rrp;                   /* the reply, once answered */
	size_t rrp_len;
};

struct pending_table {
	struct pending *slots;
	uint32_t *gen;
	uint32_t n_slots;
	uint32_t *free_idx;
	uint32_t n_free;
	struct pending **buckets;
	uint32_t mask;
	uint32_t max_inflight;
	uint32_t inflight;
	struct pending inflight_list;   /* list heads */
	struct pending answered_list;
};

int pending_init(struct pending_table *t, uint32_t max_inflight);
void pending_destroy(struct pending_table *t);
/* The authenticator a waiting request is known by: its MN-AAA one, or its
 * MN-HA one (method 2 requests carry no MN-AAA extension). */
const struct reg_bytes *pending_auth(const struct reg_msg *m);
/* The MN key of a parsed request: NAI, or the home address field. */
void pending_mn_key(const struct reg_msg *m, const uint8_t **key, size_t *len);
struct pending *pending_find(const struct pending_table *t, const uint8_t *mn, size_t mn_len, uint64_t ident);
/* A new in-flight entry holding a copy of the request, or NULL when the cap is
 * reached or memory is exhausted. */
struct pending *pending_add(struct pending_table *t, const struct reg_msg *m, const struct sockaddr_in *src,
                            const struct timespec *started);
struct pending *pending_by_id(const struct pending_table *t, uint64_t id);
/* In flight → answered, keeping a copy of the reply until expires.  Returns
 * false (and removes the entry) when memory for the copy is missing. */
bool pending_answered(struct pending_table *t, struct pending *p, const uint8_t *rrp, size_t len, uint32_t expires);
void pending_remove(struct pending_table *t, struct pending *p);
/* Drop answered entries whose time is up. */
void pending_expire(struct pending_table *t, uint32_t now);
/* An answered entry put back from the journal after a restart (the oldest
 * answered one makes room if needed).  NULL when it cannot be kept. */
struct pending *pending_restore(struct pending_table *t, const uint8_t *mn, size_t mn_len, uint64_t ident,
                                const uint8_t *auth, size_t auth_len, const uint8_t *rrp, size_t rrp_len,
                                uint32_t expires);
void pending_foreach_answered(const struct pending_table *t, void (*fn)(const struct pending *p, void *arg), void *arg);
/* The oldest in-flight entry (NULL when none), for the shutdown drain. */
struct pending *pending_oldest(const struct pending_table *t);

#endif
