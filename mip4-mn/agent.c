/*
 * mip4-mn-agent: foreign agent discovery and choice.
 */
#include "mip4-mn/agent.h"

#include <string.h>

enum mn_agent_event mn_agent_heard(struct mn_agent *a, uint32_t src, const struct adv_msg *m, double now)
{
	if (!(m->flags & ADV_FLAG_F) || m->n_coa == 0)
		return MN_AGENT_IGNORED;
	uint32_t coa = adv_coa(m, 0);
	bool same = a->known && a->addr == src && a->coa == coa;
	if (!same && (m->flags & ADV_FLAG_B))
		return MN_AGENT_IGNORED; /* busy: no new nodes (§2.1.1) */
	enum mn_agent_event ev = !same                                ? MN_AGENT_NEW
	                         : adv_seq_restarted(a->seq, m->seq) ? MN_AGENT_RESTARTED
	                                                              : MN_AGENT_SAME;
	a->known = true;
	a->addr = src;
	a->coa = coa;
	a->seq = m->seq;
	a->reg_lifetime = m->reg_lifetime;
	a->flags = m->flags;
	a->expires = now + (m->lifetime ? m->lifetime : 1);
	a->adv_chal_len = m->challenge.p ? m->challenge.len : 0;
	if (a->adv_chal_len)
		memcpy(a->adv_chal, m->challenge.p, a->adv_chal_len);
	return ev;
}

bool mn_agent_lost(struct mn_agent *a, double now)
{
	if (!a->known || now < a->expires)
		return false;
	a->known = false;
	return true;
}

const uint8_t *mn_agent_challenge(const struct mn_agent *a, const struct mn_chal *c, size_t *len)
{
	if (c->reply_len) {
		*len = c->reply_len;
		return c->reply;
	}
	*len = a->adv_chal_len;
	return a->adv_chal_len ? a->adv_chal : NULL;
}

void mn_chal_used(struct mn_chal *c, const uint8_t *p, size_t len)
{
	if (c->reply_len == len && memcmp(c->reply, p, len) == 0)
		c->reply_len = 0;
}

void mn_chal_replied(struct mn_chal *c, const uint8_t *p, size_t len)
{
	if (len == 0 || len > sizeof c->reply)
		return;
	memcpy(c->reply, p, len);
	c->reply_len = len;
}
