/*
 * har: the AAA's Home-Agent-MIP-Request client (FA care-of mode, RFC 4004
 * §1.2, §5.3).  Once the AAA has authenticated a node that registers through
 * a foreign agent, it hands the home agent the Registration Request as the
 * foreign agent received it, with the MN-HA key (and its nonce) and the FA-HA
 * key, and waits for the home agent's Registration Reply in the HAA.
 *
 * Every HAR ends in exactly one call of the done function, on a freeDiameter
 * thread: the HAA, its absence past the deadline, or a send that failed.
 * Keys are copied into the request and wiped from the caller's parameters by
 * nobody here: the caller owns them.
 */
#ifndef AAA_HAR_H
#define AAA_HAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aaa-naf/conf.h"
#include "dict/dict_base.h"
#include "dict/dict_mip4.h"
#include "lib/keygen.h"

struct msg;
struct dict_object;

struct har_params {
	const struct conf_home_agent *ha;
	const uint8_t *rrq;           /* MIP-Reg-Request, as the FA received it */
	size_t rrq_len;
	const char *nai;              /* User-Name */
	size_t nai_len;
	uint32_t feature_vector;
	uint32_t mn_addr, ha_addr;    /* network byte order */
	uint32_t msa_lifetime, auth_lifetime;
	bool mn_ha;                   /* MIP-MN-to-HA-MSA and MIP-HA-to-MN-MSA */
	const uint8_t *mn_ha_key;     /* KEYGEN_KEY_LEN */
	const uint8_t *nonce;
	size_t nonce_len;
	bool fa_ha;                   /* MIP-HA-to-FA-MSA */
	uint32_t fa_ha_spi;
	const uint8_t *fa_ha_key;     /* KEYGEN_KEY_LEN */
	unsigned timeout_ms;
};

enum har_status {
	HAR_ANSWERED,  /* result_code and the reply (rrp, NULL when absent) are the HAA's */
	HAR_TIMED_OUT, /* no HAA before the deadline */
};

/* rrp is valid during the call only. */
typedef void (*har_done_fn)(void *arg, enum har_status st, uint32_t result_code, const uint8_t *rrp, size_t rrp_len);

/* Route HARs only over a direct connection to the home agent they name
 * (Destination-Host): they carry session keys, protected hop by hop only
 * (RFC 4004 §13), and no other peer, a foreign agent least of all, may get
 * one.  0 or an errno value. */
int har_start(void);
void har_stop(void);

/* Append a grouped MSA to m: {SPI member when spi_model}{MIP-Algorithm-Type
 * HMAC-SHA-1}{MIP-Replay-Mode timestamps when replay}{value under value_model}
 * (RFC 4004 §9).  0 or -1. */
int har_msa_add(struct msg *m, struct dict_object *group, const struct dict_mip4 *dm, struct dict_object *spi_model,
                uint32_t spi, bool replay, struct dict_object *value_model, const uint8_t *value, size_t len);

/* Send the HAR.  0, or -1 when it could not be built or sent (done is then
 * not called). */
int har_send(const struct dict_base *db, const struct dict_mip4 *dm, const struct har_params *p, har_done_fn done,
             void *arg);

#endif
