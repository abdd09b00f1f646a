/* Helpers for the mip4-ha unit tests: a state with real tables, request builders
 * signed the way a mobile node signs them, and reply checks. */
#ifndef MIP4_TEST_HA_SUPPORT_H
#define MIP4_TEST_HA_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/auth.h"
#include "lib/reg.h"
#include "mip4-ha/reg_process.h"

#define T_HA "127.0.0.1"
#define T_HOME "10.1.0.5"
#define T_COA "192.0.2.7"
#define T_SPI 300
#define T_NAI "mn1@lab"
#define T_FA "198.51.100.1" /* a foreign agent the HA shares an FA-HA association with */
#define T_FA_SPI 400

extern const uint8_t t_key[16];
extern const uint8_t t_aaa_key[16];
extern const uint8_t t_fa_key[16];

struct t_ha {
	struct conf conf;
	struct binding_table bindings;
	struct sa_table sas;
	struct sa_table fa_sas;
	struct pending_table pending;
	struct counters ctr;
	struct reg_state st;
	struct reg_now now;
	struct reg_result r;
	struct sockaddr_in src;
};

uint32_t t_ip(const char *s);
/* State with home network 10.1.0.0/16, HA 127.0.0.1, max lifetime 600, window
 * 7 s, the static SA (T_HOME, T_SPI, HMAC-MD5, t_key), the FA-HA association
 * (T_FA, T_FA_SPI, HMAC-MD5, t_fa_key) and AAA enabled. */
void t_ha_init(struct t_ha *h, uint32_t max_pending);
void t_ha_fini(struct t_ha *h);
/* Move both clocks forward. */
void t_ha_advance(struct t_ha *h, uint32_t seconds);

struct t_rrq {
	uint8_t flags;
	uint16_t lifetime;
	const char *home, *ha, *coa;
	uint64_t ident;           /* 0: now */
	const char *nai;          /* NULL: none */
	bool mn_ha;               /* sign with the MN-HA SA below */
	uint32_t spi;
	enum auth_alg alg;
	const uint8_t *key;
	size_t key_len;
	bool keygen;              /* 42/1 + 36/1 (MN-AAA with t_aaa_key) */
	uint32_t mn_spi;
	uint32_t aaa_spi;
	const uint8_t *challenge;  /* 132 after the MN-HA auth, before the MN-AAA one (an FA's challenge), NULL: none */
	size_t challenge_len;
	const uint8_t *fa_key;     /* FA-HA auth (T_FA_SPI, HMAC-MD5) appended last, NULL: none */
};

/* Defaults: lifetime 300, T_HOME, T_HA, T_COA, ident = now, MN-HA with the static SA. */
struct t_rrq t_rrq_default(const struct t_ha *h);
size_t t_rrq_build(const struct t_rrq *q, uint8_t *buf, size_t cap);
/* Build q and hand it to reg_process_request. */
void t_send(struct t_ha *h, const struct t_rrq *q);
/* Parse h->r's reply; true when its MN-HA authenticator verifies with key/alg. */
bool t_reply_parse(const struct t_ha *h, struct reg_msg *m);
bool t_reply_signed_by(const struct t_ha *h, enum auth_alg alg, const uint8_t *key, size_t key_len);

#endif
