/*
 * stats: what the foreign agent counts.  Plain integers owned by the loop
 * thread; rendered as JSON (mip4-ctl stats) or Prometheus text (mip4-ctl
 * metrics, prefix mip4fa_) through agent/expo.
 */
#ifndef MIP4_FA_STATS_H
#define MIP4_FA_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "agent/expo.h"
#include "agent/textbuf.h"
#include "lib/adv.h"
#include "lib/inet.h"
#include "lib/reg.h"

/* Requests dropped without a reply, by reason (besides the parse errors). */
enum fa_drop {
	FA_DROP_NONE,
	FA_DROP_NOT_FOR_US,       /* sent to an address that is not the agent's */
	FA_DROP_NO_AUTH,          /* nothing the home agent could authenticate (RFC 5944 §3.8.2.1 a) */
	FA_DROP_CHALLENGE_NO_AUTH,/* a challenge no authentication extension covers (RFC 4721 §3.2) */
	FA_DROP_RATE_LIMITED,     /* a second denial within a second to one node (RFC 5944 §3.7.2) */
	FA_DROP_BUILD,            /* the reply or relayed request could not be built */
	FA_DROP__COUNT
};
const char *fa_drop_str(enum fa_drop d);

/* Replies from home agents dropped, by reason. */
enum fa_reply_drop {
	FA_RDROP_NONE,
	FA_RDROP_MALFORMED,       /* not even a Registration Reply's fixed part */
	FA_RDROP_UNMATCHED,       /* no pending request for that home address and Identification */
	FA_RDROP_WRONG_SOURCE,    /* not from the home agent the request was relayed to */
	FA_RDROP__COUNT
};
const char *fa_reply_drop_str(enum fa_reply_drop d);

/* What became of the requests sent to the AAA (FA care-of mode, RFC 4004). */
enum fa_aaa_outcome {
	FA_AAA_NONE,
	FA_AAA_SUCCESS,           /* 2001: the home agent's acceptance relayed, keys installed */
	FA_AAA_REPLY_FAILURE,     /* 4005: the home agent's denial relayed */
	FA_AAA_AUTH_REJECTED,     /* 4001: 67 to the node */
	FA_AAA_HA_NOT_AVAILABLE,  /* 4006: 88 to the node */
	FA_AAA_OTHER_ERROR,       /* any other result: 65, 66 or 64 to the node */
	FA_AAA_TIMEOUT,           /* no answer: 78 to the node */
	FA_AAA_UNUSABLE,          /* 2001 without the reply or keys asked for, or they fail: 64/68/71 */
	FA_AAA_UNMATCHED,         /* no pending request for it (superseded or timed out): dropped */
	FA_AAA__COUNT
};
const char *fa_aaa_outcome_str(enum fa_aaa_outcome o);

struct fa_stats {
	uint64_t requests;                 /* registration datagrams seen on the visited link */
	uint64_t relayed;                  /* requests relayed to a home agent */
	uint64_t retransmissions;          /* relayed again: same node, same request, still pending */
	uint64_t denied[256];              /* FA denials by code (64-127) */
	uint64_t malformed[REG_ERR__COUNT];/* requests that failed to parse, by reason */
	uint64_t link_malformed[INET_ERR__COUNT]; /* IPv4/UDP on the visited link, by reason */
	uint64_t dropped[FA_DROP__COUNT];
	uint64_t replies;                  /* datagrams from home agents */
	uint64_t replies_relayed[256];     /* home agents' replies relayed to the nodes, by code */
	uint64_t replies_dropped[FA_RDROP__COUNT];
	uint64_t timeouts;                 /* 78 sent */
	uint64_t icmp_errors;              /* 80-88 sent after an ICMP error about a relayed request */
	uint64_t visitors_expired;
	uint64_t advertisements;           /* periodic */
	uint64_t advertisements_solicited;
	uint64_t solicitations;
	uint64_t icmp_malformed[ADV_ERR__COUNT]; /* ICMP at the agent that is no valid solicitation */
	uint64_t send_errors;
	struct expo_hist ha_latency;       /* relay to home agent's reply */
	uint64_t aaa_requests;             /* AMRs sent */
	uint64_t aaa_send_errors;          /* AMRs that could not be sent (66 to the node) */
	uint64_t aaa_outcomes[FA_AAA__COUNT];
	uint64_t mn_fa_keys;               /* MN-FA associations installed from the AAA */
	uint64_t fa_ha_keys;               /* FA-HA associations installed from the AAA */
	uint64_t sas_expired;              /* those that ran out */
	struct expo_hist aaa_latency;      /* AMR to AMA */
};

struct fa_stats_gauges {
	size_t visitors, pending;
	uint64_t uptime_s;
	uint16_t adv_seq;
};

/* more: further members of the top-level object, rendered by the caller
 * ("\"name\":value,..."), or NULL. */
int stats_json(const struct fa_stats *s, const struct fa_stats_gauges *g, const char *more, struct textbuf *b);
int stats_prometheus(const struct fa_stats *s, const struct fa_stats_gauges *g, struct textbuf *b);

#endif
