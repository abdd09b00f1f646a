#include "mip4-ha/fwd.h"

#include <string.h>

#include "lib/ipip.h"

ADDRTAB_LAYOUT(struct fwd_entry, entry, home_addr);

static struct fwd_entry *fwd_of(struct addrtab_entry *e)
{
	return (struct fwd_entry *)(void *)e;
}

int fwd_table_init(struct fwd_table *t, uint32_t max)
{
	return addrtab_init(&t->tab, max, 1, sizeof(struct fwd_entry), NULL);
}

void fwd_table_destroy(struct fwd_table *t)
{
	addrtab_destroy(&t->tab);
}

struct fwd_entry *fwd_set(struct fwd_table *t, uint32_t home_addr, uint32_t coa, uint16_t tunnel_mtu, uint8_t flags,
                          uint32_t slot)
{
	struct fwd_entry *e = fwd_of(addrtab_get(&t->tab, home_addr));
	if (!e)
		return NULL;
	e->coa = coa;
	e->tunnel_mtu = tunnel_mtu;
	e->flags = flags;
	e->slot = slot;
	return e;
}

void fwd_clear(struct fwd_table *t, uint32_t home_addr)
{
	struct addrtab_entry *e = addrtab_find(&t->tab, home_addr);
	if (e)
		addrtab_remove(&t->tab, e);
}

struct fwd_entry *fwd_find(const struct fwd_table *t, uint32_t home_addr)
{
	return fwd_of(addrtab_find(&t->tab, home_addr));
}

const char *fwd_drop_str(enum fwd_drop d)
{
	static const char *const names[FWD_DROP__COUNT] = {
		[FWD_DROP_NONE] = "none",
		[FWD_DROP_NOT_IPV4] = "not-ipv4",
		[FWD_DROP_MALFORMED] = "malformed",
		[FWD_DROP_NO_BINDING] = "no-binding",
		[FWD_DROP_TOO_BIG] = "too-big",
		[FWD_DROP_LOOP] = "loop",
		[FWD_DROP_SEND_FAILED] = "send-failed",
		[FWD_DROP_BAD_OUTER] = "bad-outer-header",
		[FWD_DROP_BAD_INNER] = "bad-inner-header",
		[FWD_DROP_NOT_TO_HA] = "not-to-ha",
		[FWD_DROP_UNKNOWN_SOURCE] = "unknown-source",
		[FWD_DROP_NO_REVERSE] = "no-reverse-tunnel",
		[FWD_DROP_WRONG_COA] = "wrong-care-of-address",
		[FWD_DROP_WRITE_FAILED] = "write-failed",
	};
	return (unsigned)d < FWD_DROP__COUNT && names[d] ? names[d] : "?";
}

static void fwd_drop(struct fwd_result *r, enum fwd_verdict v, enum fwd_drop why)
{
	r->verdict = v;
	r->why = why;
}

void fwd_from_home(const struct fwd_table *t, const uint8_t *pkt, size_t len, struct fwd_result *r)
{
	memset(r, 0, sizeof *r);
	enum ipv4_err e = ipv4_parse(pkt, len, &r->inner);
	if (e != IPV4_OK) {
		fwd_drop(r, FWD_DROP, e == IPV4_ERR_VERSION || len == 0 ? FWD_DROP_NOT_IPV4 : FWD_DROP_MALFORMED);
		return;
	}
	r->inner_pkt = pkt;
	r->e = fwd_find(t, r->inner.dst);
	if (!r->e) {
		fwd_drop(r, FWD_ICMP_UNREACH, FWD_DROP_NO_BINDING);
		return;
	}
	if (r->inner.src == r->e->coa) {
		/* RFC 2003 §3.2: never tunnel a datagram back to where it came from. */
		fwd_drop(r, FWD_DROP, FWD_DROP_LOOP);
		return;
	}
	if (r->inner.total_len <= r->e->tunnel_mtu) {
		r->verdict = FWD_ENCAP;
		return;
	}
	if (ipv4_df(&r->inner)) {
		fwd_drop(r, FWD_ICMP_FRAG, FWD_DROP_TOO_BIG);
		return;
	}
	r->verdict = FWD_ENCAP_FRAG;
}

void fwd_from_tunnel(const struct fwd_table *t, uint32_t ha_addr, const uint8_t *pkt, size_t len,
                     struct fwd_result *r)
{
	memset(r, 0, sizeof *r);
	struct ipip_view v;
	enum ipip_err e = ipip_decap_parse(pkt, len, &v);
	if (e == IPIP_ERR_OUTER || e == IPIP_ERR_NOT_IPIP || e == IPIP_ERR_FRAGMENT) {
		fwd_drop(r, FWD_DROP, FWD_DROP_BAD_OUTER);
		return;
	}
	if (v.outer.dst != ha_addr) {
		fwd_drop(r, FWD_DROP, FWD_DROP_NOT_TO_HA);
		return;
	}
	if (e != IPIP_OK) {
		fwd_drop(r, FWD_DROP, FWD_DROP_BAD_INNER);
		return;
	}
	r->inner = v.inner;
	r->inner_pkt = v.inner_pkt;
	r->e = fwd_find(t, v.inner.src);
	if (!r->e)
		fwd_drop(r, FWD_DROP, FWD_DROP_UNKNOWN_SOURCE);
	else if (!(r->e->flags & FWD_REVERSE))
		fwd_drop(r, FWD_DROP, FWD_DROP_NO_REVERSE);
	else if (v.outer.src != r->e->coa)
		fwd_drop(r, FWD_DROP, FWD_DROP_WRONG_COA);
	else
		r->verdict = FWD_DECAP;
}
