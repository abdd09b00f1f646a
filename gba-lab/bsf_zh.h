/*
 * bsf_zh: the BSF's Zh client (TS 29.109 §4.3): one Multimedia-Auth-Request per
 * Ub challenge, User-Name = IMPI, SIP-Number-Auth-Items 1, SIP-Auth-Data-Item
 * {SIP-Authentication-Scheme "Digest-AKAv1-MD5" [, SIP-Authorization = RAND ||
 * AUTS when the UE asked for resynchronisation]}; the answer's vector or
 * verdict is handed to a callback that runs on a freeDiameter thread.
 */
#ifndef MIP4_BSF_ZH_H
#define MIP4_BSF_ZH_H

#include <stdint.h>

#include "lib/aka.h"

struct bsf_zh_conf {
	const char *realm;     /* Destination-Realm */
	const char *host;      /* Destination-Host, "" for none */
	unsigned timeout_ms;   /* answer deadline */
};

enum bsf_zh_status {
	BSF_ZH_VECTOR,          /* 2001 with a usable AKA vector */
	BSF_ZH_USER_UNKNOWN,    /* Experimental-Result 5001 */
	BSF_ZH_UNAVAILABLE,     /* no route, timeout, 3xxx, shutting down */
	BSF_ZH_REFUSED,         /* any other answer, or a vector we cannot use */
};

struct bsf_zh_answer {
	enum bsf_zh_status status;
	struct aka_vector v;    /* BSF_ZH_VECTOR only */
	uint32_t code;          /* Result-Code or Experimental-Result-Code, 0: none */
	char detail[96];
};

/* Runs on a freeDiameter thread; a is wiped after it returns. */
typedef void bsf_zh_cb(const struct bsf_zh_answer *a, void *arg);

/* Resolve the dictionary and advertise Zh.  0, or an errno value. */
int bsf_zh_init(const struct bsf_zh_conf *conf);
/* Send a MAR for impi (rand_auts: NULL, or RAND || AUTS, 30 octets).  0: cb
 * will be called once; -1: nothing sent, cb never called. */
int bsf_zh_request(const char *impi, const uint8_t *rand_auts, bsf_zh_cb *cb, void *arg);

#endif
