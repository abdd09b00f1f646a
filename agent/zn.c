#include "agent/zn.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>
#include <openssl/crypto.h>

#include "dict/dict_avp.h"
#include "dict/dict_base.h"
#include "dict/dict_zn.h"
#include "lib/replay.h"

struct zn_waiter {
	struct zn_waiter *next;
	zn_done_fn done;
	void *arg;
};

enum zn_state { ZN_PENDING, ZN_CACHED_KEY, ZN_CACHED_NEG };

struct zn_entry {
	struct zn_entry *hnext;            /* hash chain */
	struct zn_entry *lru_prev, *lru_next; /* cached entries only; head = most recent */
	enum zn_state state;
	uint64_t gen;                       /* PENDING: the BIR generation */
	struct zn_waiter *waiters;          /* PENDING only */
	struct zn_answer ans;               /* CACHED_*: ans.expiry or neg_until bound its use */
	int64_t neg_until;
	size_t len;
	char btid[GBA_BTID_MAX + 1];
};

struct zn {
	pthread_mutex_t lock;
	struct zn_entry **buckets;
	size_t n_buckets;
	struct zn_entry *lru_head, *lru_tail;
	size_t n_cached, cache_size;
	unsigned negative_ttl;
	uint64_t next_gen;
	zn_send_fn send;
	void *send_arg;
	struct zn_stats st;
};

static uint64_t zn_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211ULL;
	return h;
}

struct zn *zn_new(size_t cache_size, unsigned negative_ttl, zn_send_fn send, void *send_arg)
{
	struct zn *zn = calloc(1, sizeof(*zn));
	if (!zn)
		return NULL;
	zn->n_buckets = 64;
	while (zn->n_buckets < cache_size && zn->n_buckets < (1u << 22))
		zn->n_buckets <<= 1;
	zn->buckets = calloc(zn->n_buckets, sizeof(*zn->buckets));
	if (!zn->buckets) {
		free(zn);
		return NULL;
	}
	pthread_mutex_init(&zn->lock, NULL);
	zn->cache_size = cache_size ? cache_size : 1;
	zn->negative_ttl = negative_ttl;
	zn->send = send;
	zn->send_arg = send_arg;
	return zn;
}

static void zn_entry_free(struct zn_entry *e)
{
	for (struct zn_waiter *w = e->waiters, *nx; w; w = nx) {
		nx = w->next;
		free(w);
	}
	OPENSSL_cleanse(e, sizeof(*e));
	free(e);
}

void zn_free(struct zn *zn)
{
	if (!zn)
		return;
	for (size_t b = 0; b < zn->n_buckets; b++) {
		for (struct zn_entry *e = zn->buckets[b], *nx; e; e = nx) {
			nx = e->hnext;
			zn_entry_free(e);
		}
	}
	free(zn->buckets);
	pthread_mutex_destroy(&zn->lock);
	free(zn);
}

static struct zn_entry **zn_slot(struct zn *zn, const char *btid, size_t len)
{
	struct zn_entry **pp = &zn->buckets[zn_hash(btid, len) & (zn->n_buckets - 1)];
	while (*pp && !((*pp)->len == len && memcmp((*pp)->btid, btid, len) == 0))
		pp = &(*pp)->hnext;
	return pp;
}

static void zn_lru_unlink(struct zn *zn, struct zn_entry *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		zn->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		zn->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
	zn->n_cached--;
}

static void zn_lru_push(struct zn *zn, struct zn_entry *e)
{
	e->lru_prev = NULL;
	e->lru_next = zn->lru_head;
	if (zn->lru_head)
		zn->lru_head->lru_prev = e;
	zn->lru_head = e;
	if (!zn->lru_tail)
		zn->lru_tail = e;
	zn->n_cached++;
}

/* Unhash and free a cached entry (the key is wiped by zn_entry_free). */
static void zn_drop(struct zn *zn, struct zn_entry *e)
{
	struct zn_entry **pp = zn_slot(zn, e->btid, e->len);
	*pp = e->hnext;
	if (e->state != ZN_PENDING)
		zn_lru_unlink(zn, e);
	zn_entry_free(e);
}

static void zn_answer_fail(struct zn_answer *a, enum zn_status st, const char *reason)
{
	memset(a, 0, sizeof(*a));
	a->status = st;
	snprintf(a->reason, sizeof(a->reason), "%s", reason);
}

/* Serve a hit from the cache (true), after dropping stale entries.  Called
 * with the lock held; on a hit the lock is released and done() called. */
static bool zn_try_hit(struct zn *zn, const char *btid, size_t len, int64_t now, zn_done_fn done,
                       void *arg)
{
	struct zn_entry *e = *zn_slot(zn, btid, len);
	if (e && e->state == ZN_CACHED_KEY && e->ans.expiry <= now) {
		zn->st.expired++;
		zn_drop(zn, e);
		return false;
	}
	if (e && e->state == ZN_CACHED_NEG && e->neg_until <= now) {
		zn_drop(zn, e);
		return false;
	}
	if (!e || e->state == ZN_PENDING)
		return false;
	if (e->state == ZN_CACHED_KEY)
		zn->st.hits++;
	else
		zn->st.negative_hits++;
	if (zn->lru_head != e) {
		zn_lru_unlink(zn, e);
		zn_lru_push(zn, e);
	}
	struct zn_answer a = e->ans;
	pthread_mutex_unlock(&zn->lock);
	done(arg, &a);
	OPENSSL_cleanse(&a, sizeof(a));
	return true;
}

void zn_lookup(struct zn *zn, const char *btid, size_t len, int64_t now, zn_done_fn done, void *arg)
{
	struct zn_answer a;
	if (len == 0 || len > GBA_BTID_MAX) {
		zn_answer_fail(&a, ZN_REJECT, "B-TID length out of range");
		done(arg, &a);
		return;
	}
	pthread_mutex_lock(&zn->lock);
	zn->st.lookups++;
	if (zn_try_hit(zn, btid, len, now, done, arg))
		return;
	pthread_mutex_unlock(&zn->lock);

	/* A miss: allocate outside the lock, then look again (another thread may
	 * have filled the entry or started a BIR meanwhile). */
	struct zn_waiter *w = malloc(sizeof(*w));
	struct zn_entry *fresh = calloc(1, sizeof(*fresh));
	if (!w || !fresh) {
		free(w);
		free(fresh);
		zn_answer_fail(&a, ZN_UNAVAILABLE, "out of memory");
		done(arg, &a);
		return;
	}
	w->done = done;
	w->arg = arg;
	pthread_mutex_lock(&zn->lock);
	if (zn_try_hit(zn, btid, len, now, done, arg)) {
		free(w);
		free(fresh);
		return;
	}
	struct zn_entry *e = *zn_slot(zn, btid, len);
	if (e) { /* a BIR for this B-TID is already on its way */
		zn->st.coalesced++;
		w->next = e->waiters;
		e->waiters = w;
		pthread_mutex_unlock(&zn->lock);
		free(fresh);
		return;
	}
	e = fresh;
	e->state = ZN_PENDING;
	e->gen = ++zn->next_gen;
	e->len = len;
	memcpy(e->btid, btid, len);
	e->btid[len] = '\0';
	w->next = NULL;
	e->waiters = w;
	*zn_slot(zn, btid, len) = e;
	uint64_t gen = e->gen;
	zn->st.birs++;
	pthread_mutex_unlock(&zn->lock);

	if (zn->send(zn->send_arg, zn, btid, len, gen) != 0) {
		zn_answer_fail(&a, ZN_UNAVAILABLE, "cannot send BIR");
		zn_complete(zn, btid, len, gen, &a, now);
	}
}

void zn_complete(struct zn *zn, const char *btid, size_t len, uint64_t gen,
                 const struct zn_answer *a, int64_t now)
{
	if (len == 0 || len > GBA_BTID_MAX)
		return;
	pthread_mutex_lock(&zn->lock);
	struct zn_entry **pp = zn_slot(zn, btid, len), *e = *pp;
	if (!e || e->state != ZN_PENDING || e->gen != gen) {
		pthread_mutex_unlock(&zn->lock);
		return;
	}
	struct zn_waiter *waiters = e->waiters;
	e->waiters = NULL;
	bool cache = false;
	switch (a->status) {
	case ZN_KEY:
		zn->st.keys++;
		cache = a->expiry > now;
		break;
	case ZN_REJECT:
		zn->st.rejects++;
		cache = zn->negative_ttl > 0;
		break;
	case ZN_UNAVAILABLE:
		zn->st.unavailable++;
		break;
	}
	if (cache) {
		e->ans = *a;
		e->state = a->status == ZN_KEY ? ZN_CACHED_KEY : ZN_CACHED_NEG;
		e->neg_until = now + zn->negative_ttl;
		zn_lru_push(zn, e);
		while (zn->n_cached > zn->cache_size) {
			zn->st.evictions++;
			zn_drop(zn, zn->lru_tail);
		}
	} else {
		*pp = e->hnext;
		zn_entry_free(e);
	}
	pthread_mutex_unlock(&zn->lock);

	struct zn_answer out = *a;
	if (out.status == ZN_KEY && out.expiry <= now) {
		OPENSSL_cleanse(&out, sizeof(out));
		zn_answer_fail(&out, ZN_REJECT, "Ks_NAF already expired");
	}
	for (struct zn_waiter *w = waiters, *nx; w; w = nx) {
		nx = w->next;
		w->done(w->arg, &out);
		free(w);
	}
	OPENSSL_cleanse(&out, sizeof(out));
}

void zn_get_stats(struct zn *zn, struct zn_stats *s)
{
	pthread_mutex_lock(&zn->lock);
	*s = zn->st;
	s->entries = zn->n_cached;
	pthread_mutex_unlock(&zn->lock);
}

/* ---- freeDiameter: BIR out, BIA in ---- */

struct zn_bir_ctx {
	struct zn *zn;
	uint64_t gen;
	size_t len;
	char btid[GBA_BTID_MAX + 1];
};

static int64_t zn_now(void)
{
	return (int64_t)time(NULL);
}

static struct avp *zn_child(msg_or_avp *parent, uint32_t code, uint32_t vendor)
{
	struct avp *c = NULL;
	if (fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &c, NULL) != 0)
		return NULL;
	while (c) {
		struct avp_hdr *h;
		if (fd_msg_avp_hdr(c, &h) == 0 && h->avp_code == code &&
		    ((h->avp_flags & AVP_FLAG_VENDOR) ? h->avp_vendor : 0) == vendor)
			return c;
		if (fd_msg_browse(c, MSG_BRW_NEXT, &c, NULL) != 0)
			return NULL;
	}
	return NULL;
}

static struct avp_hdr *zn_child_hdr(msg_or_avp *parent, uint32_t code, uint32_t vendor)
{
	struct avp *c = zn_child(parent, code, vendor);
	struct avp_hdr *h = NULL;
	if (!c || fd_msg_avp_hdr(c, &h) != 0 || !h->avp_value)
		return NULL;
	return h;
}

/* Turn a BIA into an answer (Result-Code 3xxx made locally when there is no
 * route to the BSF counts as unavailable, not as a refusal). */
static void zn_bia_parse(struct msg *bia, struct zn_answer *a, int64_t now)
{
	uint32_t rc = 0;
	struct avp_hdr *h = zn_child_hdr(bia, 268 /* Result-Code */, 0);
	if (h) {
		rc = h->avp_value->u32;
	} else {
		struct avp *er = zn_child(bia, 297 /* Experimental-Result */, 0);
		struct avp_hdr *erc = er ? zn_child_hdr(er, 298, 0) : NULL;
		if (erc)
			rc = erc->avp_value->u32;
	}
	if (rc == 0) {
		zn_answer_fail(a, ZN_UNAVAILABLE, "BIA without Result-Code");
		return;
	}
	if (rc != 2001) {
		char why[96];
		snprintf(why, sizeof(why), "BSF answered %u", rc);
		bool refusal = rc == ZN_ER_IMPI_UNKNOWN || rc == ZN_ER_NOT_AUTHORIZED ||
		               rc == ZN_ER_TRANSACTION_IDENTIFIER_INVALID || rc == 5001 || rc == 5030;
		zn_answer_fail(a, refusal ? ZN_REJECT : ZN_UNAVAILABLE, why);
		return;
	}
	struct avp_hdr *key = zn_child_hdr(bia, 405, ZN_VENDOR_3GPP);
	struct avp_hdr *exp = zn_child_hdr(bia, 404, ZN_VENDOR_3GPP);
	struct avp_hdr *impi = zn_child_hdr(bia, 1 /* User-Name */, 0);
	if (!key || key->avp_value->os.len != GBA_KS_NAF_LEN) {
		zn_answer_fail(a, ZN_UNAVAILABLE, "BIA: ME-Key-Material missing or not 32 octets");
		return;
	}
	if (!exp || exp->avp_value->os.len != 4) {
		zn_answer_fail(a, ZN_UNAVAILABLE, "BIA: Key-ExpiryTime missing or malformed");
		return;
	}
	if (!impi || impi->avp_value->os.len == 0 || impi->avp_value->os.len >= sizeof(a->impi)) {
		zn_answer_fail(a, ZN_UNAVAILABLE, "BIA: User-Name (IMPI) missing or too long");
		return;
	}
	const uint8_t *t = exp->avp_value->os.data;
	uint32_t ntp = (uint32_t)t[0] << 24 | (uint32_t)t[1] << 16 | (uint32_t)t[2] << 8 | t[3];
	/* RFC 5905 era rule: values with the top bit clear are past 2036. */
	int64_t expiry = (ntp & 0x80000000u) ? (int64_t)ntp - (int64_t)REPLAY_NTP_UNIX_OFFSET
	                                     : (int64_t)ntp + 4294967296LL - (int64_t)REPLAY_NTP_UNIX_OFFSET;
	if (expiry <= now) {
		zn_answer_fail(a, ZN_REJECT, "Ks_NAF expired (Key-ExpiryTime in the past)");
		return;
	}
	memset(a, 0, sizeof(*a));
	a->status = ZN_KEY;
	memcpy(a->ks_naf, key->avp_value->os.data, GBA_KS_NAF_LEN);
	a->expiry = expiry;
	memcpy(a->impi, impi->avp_value->os.data, impi->avp_value->os.len);
	snprintf(a->reason, sizeof(a->reason), "ok");
}

static void zn_bia_cb(void *data, struct msg **bia)
{
	struct zn_bir_ctx *c = data;
	struct zn_answer a;
	int64_t now = zn_now();
	zn_bia_parse(*bia, &a, now);
	fd_msg_free(*bia);
	*bia = NULL;
	zn_complete(c->zn, c->btid, c->len, c->gen, &a, now);
	OPENSSL_cleanse(&a, sizeof(a));
	free(c);
}

static void zn_bir_expired(void *data, DiamId_t sentto, size_t sentto_len, struct msg **req)
{
	(void)sentto;
	(void)sentto_len;
	(void)req; /* freed by freeDiameter on return */
	struct zn_bir_ctx *c = data;
	struct zn_answer a;
	zn_answer_fail(&a, ZN_UNAVAILABLE, "BSF did not answer in time");
	zn_complete(c->zn, c->btid, c->len, c->gen, &a, zn_now());
	free(c);
}

int zn_bir_send(void *params, struct zn *zn, const char *btid, size_t len, uint64_t gen)
{
	const struct zn_bir_params *p = params;
	const char *realm = p->realm;
	size_t realm_len = strlen(realm);
	if (realm_len == 0) {
		const char *at = memchr(btid, '@', len);
		if (!at || at + 1 == btid + len)
			return -1;
		realm = at + 1;
		realm_len = (size_t)(btid + len - realm);
	}
	struct zn_bir_ctx *c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	c->zn = zn;
	c->gen = gen;
	c->len = len;
	memcpy(c->btid, btid, len);

	struct msg *m = NULL;
	struct avp *vsai = NULL;
	if (fd_msg_new(p->dz->cmd_bir, MSGFL_ALLOC_ETEID, &m) || fd_msg_new_session(m, NULL, 0) ||
	    fd_msg_avp_new(p->db->vendor_specific_application_id, 0, &vsai) ||
	    dict_avp_add_u32(vsai, p->db->vendor_id, ZN_VENDOR_3GPP) ||
	    dict_avp_add_u32(vsai, p->db->auth_application_id, ZN_APP_ID) ||
	    fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, vsai) || fd_msg_add_origin(m, 0) ||
	    dict_avp_add_os(m, p->db->destination_realm, realm, realm_len) ||
	    (*p->host && dict_avp_add_os(m, p->db->destination_host, p->host, strlen(p->host))) ||
	    dict_avp_add_os(m, p->dz->transaction_identifier, btid, len) ||
	    dict_avp_add_os(m, p->dz->naf_id, p->naf_id, p->naf_id_len)) {
		if (m)
			fd_msg_free(m);
		free(c);
		return -1;
	}
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += p->timeout_ms / 1000;
	deadline.tv_nsec += (long)(p->timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	if (fd_msg_send_timeout(&m, zn_bia_cb, c, zn_bir_expired, &deadline) != 0) {
		if (m)
			fd_msg_free(m);
		free(c);
		return -1;
	}
	return 0;
}
