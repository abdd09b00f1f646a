#include "mip4-fa/forward.h"

#include <string.h>

#include "lib/ipip.h"

ADDRTAB_LAYOUT(struct forward_entry, entry, home_addr);

static struct forward_entry *forward_of(struct addrtab_entry *e)
{
	return (struct forward_entry *)(void *)e;
}

int forward_table_init(struct forward_table *t, uint32_t max)
{
	return addrtab_init(&t->tab, max, 1, sizeof(struct forward_entry), NULL);
}

void forward_table_destroy(struct forward_table *t)
{
	addrtab_destroy(&t->tab);
}

struct forward_entry *forward_set(struct forward_table *t, uint32_t home_addr, uint32_t ha, const uint8_t mac[6],
                                  uint16_t tunnel_mtu, uint8_t flags)
{
	struct forward_entry *e = forward_of(addrtab_get(&t->tab, home_addr));
	if (!e)
		return NULL;
	e->ha = ha;
	memcpy(e->mac, mac, sizeof e->mac);
	e->tunnel_mtu = tunnel_mtu;
	e->flags = flags;
	return e;
}

void forward_clear(struct forward_table *t, uint32_t home_addr)
{
	struct addrtab_entry *e = addrtab_find(&t->tab, home_addr);
	if (e)
		addrtab_remove(&t->tab, e);
}

struct forward_entry *forward_find(const struct forward_table *t, uint32_t home_addr)
{
	return forward_of(addrtab_find(&t->tab, home_addr));
}

const char *forward_drop_str(enum forward_drop d)
{
	static const char *const names[FORWARD_DROP__COUNT] = {
		[FORWARD_DROP_NONE] = "none",
		[FORWARD_DROP_BAD_OUTER] = "bad-outer-header",
		[FORWARD_DROP_BAD_INNER] = "bad-inner-header",
		[FORWARD_DROP_NOT_TO_COA] = "not-to-care-of-address",
		[FORWARD_DROP_NO_VISITOR] = "no-visitor",
		[FORWARD_DROP_WRONG_HA] = "wrong-home-agent",
		[FORWARD_DROP_TOO_BIG] = "too-big",
		[FORWARD_DROP_DELIVER_FAILED] = "deliver-failed",
		[FORWARD_DROP_MALFORMED] = "malformed",
		[FORWARD_DROP_WRONG_LINK_ADDR] = "wrong-link-address",
		[FORWARD_DROP_TTL] = "ttl-exceeded",
		[FORWARD_DROP_TUNNEL_TOO_BIG] = "tunnel-too-big",
		[FORWARD_DROP_SEND_FAILED] = "send-failed",
	};
	return (unsigned)d < FORWARD_DROP__COUNT && names[d] ? names[d] : "?";
}

static void forward_drop(struct forward_result *r, enum forward_verdict v, enum forward_drop why)
{
	r->verdict = v;
	r->why = why;
}

void forward_from_tunnel(const struct forward_table *t, uint32_t coa, size_t link_mtu, const uint8_t *pkt,
                         size_t len, struct forward_result *r)
{
	memset(r, 0, sizeof *r);
	struct ipip_view v;
	enum ipip_err e = ipip_decap_parse(pkt, len, &v);
	if (e == IPIP_ERR_OUTER || e == IPIP_ERR_NOT_IPIP || e == IPIP_ERR_FRAGMENT) {
		forward_drop(r, FORWARD_DROP, FORWARD_DROP_BAD_OUTER);
		return;
	}
	if (v.outer.dst != coa) {
		forward_drop(r, FORWARD_DROP, FORWARD_DROP_NOT_TO_COA);
		return;
	}
	if (e != IPIP_OK) {
		forward_drop(r, FORWARD_DROP, FORWARD_DROP_BAD_INNER);
		return;
	}
	r->inner = v.inner;
	r->inner_pkt = v.inner_pkt;
	r->e = forward_find(t, v.inner.dst);
	if (!r->e) {
		forward_drop(r, FORWARD_DROP, FORWARD_DROP_NO_VISITOR);
		return;
	}
	/* RFC 5944 §4.2.2 / the issue: only the visitor's own home agent may
	 * tunnel to it; anything else would let any host inject onto the link. */
	if (v.outer.src != r->e->ha) {
		forward_drop(r, FORWARD_DROP, FORWARD_DROP_WRONG_HA);
		return;
	}
	/* Delivery onto the link is forwarding (RFC 2003 §3.1): the caller
	 * decrements the TTL, which must not reach 0. */
	if (v.inner.ttl <= 1) {
		forward_drop(r, FORWARD_DROP, FORWARD_DROP_TTL);
		return;
	}
	if (v.inner.total_len <= link_mtu) {
		r->verdict = FORWARD_DELIVER;
		return;
	}
	if (ipv4_df(&v.inner)) {
		r->mtu = (uint16_t)(link_mtu > IPV4_MAX_LEN ? IPV4_MAX_LEN : link_mtu);
		forward_drop(r, FORWARD_ICMP_FRAG, FORWARD_DROP_TOO_BIG);
		return;
	}
	r->verdict = FORWARD_DELIVER_FRAG;
}

void forward_from_link(const struct forward_table *t, const uint8_t mac[6], const uint8_t *pkt, size_t len,
                       struct forward_result *r)
{
	memset(r, 0, sizeof *r);
	if (ipv4_parse(pkt, len, &r->inner) != IPV4_OK) {
		forward_drop(r, FORWARD_DROP, FORWARD_DROP_MALFORMED);
		return;
	}
	r->inner_pkt = pkt;
	r->e = forward_find(t, r->inner.src);
	if (!r->e || !(r->e->flags & FORWARD_REVERSE)) {
		/* Triangular routing: the kernel forwards it like any other. */
		r->e = NULL;
		r->verdict = FORWARD_PASS;
		return;
	}
	/* RFC 3024: the home address alone could be anyone's on the link. */
	if (memcmp(mac, r->e->mac, sizeof r->e->mac) != 0) {
		forward_drop(r, FORWARD_DROP, FORWARD_DROP_WRONG_LINK_ADDR);
		return;
	}
	if (r->inner.ttl <= 1) {
		forward_drop(r, FORWARD_DROP, FORWARD_DROP_TTL);
		return;
	}
	if (r->inner.total_len <= r->e->tunnel_mtu) {
		r->verdict = FORWARD_ENCAP;
		return;
	}
	if (ipv4_df(&r->inner)) {
		r->mtu = r->e->tunnel_mtu;
		forward_drop(r, FORWARD_ICMP_FRAG, FORWARD_DROP_TUNNEL_TOO_BIG);
		return;
	}
	r->verdict = FORWARD_ENCAP_FRAG;
}
