/*
 * counters: what the HA counts (the Cisco HA MIB set and then some).  Plain
 * integers owned by the loop thread; rendered as JSON or Prometheus text.
 */
#ifndef MIP4_HA_COUNTERS_H
#define MIP4_HA_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "agent/expo.h"
#include "agent/textbuf.h"
#include "agent/zn.h"
#include "lib/reg.h"

#define COUNTERS_RESULT_CODES 32

struct counters {
	uint64_t requests;            /* datagrams received on the registration socket */
	uint64_t accepted;            /* replies with code 0 or 1 */
	uint64_t denied[256];         /* replies by code (only >= 128 used) */
	uint64_t malformed[REG_ERR__COUNT]; /* parse failures by reg_err */
	uint64_t discarded_no_auth;   /* no authentication extension the HA can use */
	uint64_t discarded_no_aaa;    /* needs the AAA, none configured */
	uint64_t discarded_fa_auth;   /* FA-HA authenticator from a foreign agent we share no association with */
	uint64_t retransmissions_pending;  /* same request while its AMR is out */
	uint64_t retransmissions_replayed; /* answered again from the cached reply */
	uint64_t retransmissions_local;    /* duplicate of the accepted request, answered locally */
	uint64_t reg_local;           /* accepted with an existing SA, no AAA */
	uint64_t reg_aaa;             /* accepted after an AMA */
	uint64_t reg_zn;              /* accepted with a key fetched over Zn (method 2) */
	uint64_t har_requests;        /* HARs served (FA care-of mode, RFC 4004 §5.3) */
	uint64_t deregistrations;
	uint64_t bindings_expired;
	uint64_t sas_expired;
	uint64_t aaa_sent;
	uint64_t aaa_answered;
	uint64_t aaa_timeout;
	uint64_t aaa_send_failed;
	uint32_t aaa_result_code[COUNTERS_RESULT_CODES];
	uint64_t aaa_result_count[COUNTERS_RESULT_CODES];
	uint64_t aaa_result_other;
	struct expo_hist aaa_latency; /* AMR to AMA */
	uint64_t send_errors;         /* sendmmsg/sendto failures */
	bool journal;                 /* the journal is on; its figures below */
	uint64_t journal_records, journal_bytes, journal_syncs, journal_write_errors, journal_compactions;
};

/* Gauges read from the tables at render time. */
struct counters_gauges {
	size_t bindings, sas, pending;
	uint64_t uptime_s;
	const struct zn_stats *zn; /* the Zn client's counters; NULL without method 2 */
};

void counters_result(struct counters *c, uint32_t result_code);
void counters_reply(struct counters *c, uint8_t code);

/* more: further members of the top-level object, rendered by the caller
 * ("\"name\":value,..."), or NULL. */
int counters_json(const struct counters *c, const struct counters_gauges *g, const char *more, struct textbuf *b);
int counters_prometheus(const struct counters *c, const struct counters_gauges *g, struct textbuf *b);

#endif
