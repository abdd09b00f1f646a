/*
 * mip4-mn-fa: the mobile node's agent discovery on its link (RFC 5944 §2.4):
 * Agent Solicitations to 224.0.0.11 while it knows no agent (three a second
 * apart, then twice as far apart each time, up to a minute), Agent
 * Advertisements read from a raw ICMP socket bound to the interface, and the
 * choice of agent (mip4-mn/agent.h).  The loop is told when there is a (new or
 * restarted) agent to register through, and when the agent was lost.
 */
#ifndef MIP4_MN_FA_H
#define MIP4_MN_FA_H

#include <stdbool.h>

#include "mip4-mn/agent.h"

struct event_base;
struct mn_fa;

enum mn_fa_event { MN_FA_NEW_AGENT, MN_FA_AGENT_RESTARTED, MN_FA_AGENT_LOST };

/* NULL after printing why. */
struct mn_fa *mn_fa_open(struct event_base *base, const char *ifname,
                         void (*on_event)(enum mn_fa_event ev, void *arg), void *arg, bool verbose);
void mn_fa_close(struct mn_fa *f);
/* The agent (known is false before the first advertisement). */
struct mn_agent *mn_fa_agent(struct mn_fa *f);

#endif
