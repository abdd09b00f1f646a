/*
 * mip4-mn-agent: which foreign agent the mobile node registers through (RFC 5944
 * §2.4), from the Agent Advertisements it hears.  The node takes the first
 * foreign agent it hears, moves to another as soon as one advertises (the lab
 * moves a node by cutting it from one agent's link and joining it to another's,
 * so hearing a new agent means having moved), notices a restart of its agent
 * from the sequence number (§2.4.4), and loses its agent when the
 * advertisement lifetime runs out unheard (§2.4.2).  It remembers the last
 * challenge advertised and the one the agent gave it in a reply (RFC 4721 §3.5:
 * a reply's challenge is used first, each only once).  Pure: time is passed in.
 */
#ifndef MIP4_MN_AGENT_H
#define MIP4_MN_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/adv.h"

struct mn_agent {
	bool known;
	uint32_t addr;         /* where requests go: the advertisement's IP source */
	uint32_t coa;          /* the first care-of address advertised */
	uint16_t seq;
	uint16_t reg_lifetime; /* longest registration lifetime it accepts */
	uint16_t flags;
	double expires;        /* the caller's clock: when it is lost if not heard again */
	uint8_t adv_chal[ADV_CHALLENGE_MAX];
	size_t adv_chal_len;   /* 0: its advertisements carry none */
};

/* One node's challenge from the agent's last reply to it (RFC 4721 §3.5):
 * the agent accepts it from that node alone, so each node keeps its own. */
struct mn_chal {
	uint8_t reply[ADV_CHALLENGE_MAX];
	size_t reply_len;      /* 0: none unused */
};

enum mn_agent_event {
	MN_AGENT_SAME,      /* the current agent again: nothing to do */
	MN_AGENT_NEW,       /* a (different) foreign agent to register through */
	MN_AGENT_RESTARTED, /* the current agent restarted: register again */
	MN_AGENT_IGNORED,   /* not a foreign agent (no F bit), or busy and not ours */
};

/* An advertisement from src heard at now. */
enum mn_agent_event mn_agent_heard(struct mn_agent *a, uint32_t src, const struct adv_msg *m, double now);
/* True (and the agent forgotten) when its advertisement lifetime ran out. */
bool mn_agent_lost(struct mn_agent *a, double now);
/* The challenge a node with bookkeeping c answers next: its reply's, else the
 * latest advertised; NULL when the agent issues none. */
const uint8_t *mn_agent_challenge(const struct mn_agent *a, const struct mn_chal *c, size_t *len);
/* The node's request answered challenge p: it is spent. */
void mn_chal_used(struct mn_chal *c, const uint8_t *p, size_t len);
/* A reply from the agent carried challenge p for the node. */
void mn_chal_replied(struct mn_chal *c, const uint8_t *p, size_t len);

#endif
