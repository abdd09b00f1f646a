/*
 * The test vectors of tests/data/vectors.json (a copy of ../shared/spec/vectors.json)
 * and tests/data/ts35208.json (vectors this repository adds), compiled into the
 * test by tests/unit/gen-vectors.py, hex already decoded.
 *
 * Every byte string is followed by a NUL that its length does not count, so text
 * vectors (IMPI, B-TID, *_ascii) can be used as C strings.  A missing vector is a
 * broken build, not a skipped test: the typed getters abort with the path.
 */
#ifndef MIP4_TEST_VECTORS_H
#define MIP4_TEST_VECTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vec {
	const uint8_t *p;
	size_t len;
};

/* Raw access by dotted path, e.g. "gba_btid.RAND", "mn_aaa_auth.cases.0.SPI".
 * A "_ascii" suffix in the JSON is dropped from the path. */
bool vectors_get(const char *path, struct vec *out);
bool vectors_num(const char *path, long long *out);
/* Elements of a JSON list at path ("hmac_md5_rfc2202.cases" → 3). */
size_t vectors_count(const char *path);
/* The JSON text the vectors were generated from. */
struct vec vectors_json(void);

/* hmac_md5_rfc2202, hmac_sha1_rfc2202, hmac_sha256_rfc4231 */
struct vectors_hmac {
	struct vec key, data, mac;
};
size_t vectors_hmac_count(const char *set);
struct vectors_hmac vectors_hmac(const char *set, size_t i);

/* milenage_ts35208_set1 */
struct vectors_milenage {
	struct vec k, op, rand, opc, res, ck, ik;
};
struct vectors_milenage vectors_milenage(void);

/* milenage_ts35208_sets.cases[i] (tests/data/ts35208.json): TS 35.208 sets 1-6 */
struct vectors_milenage_set {
	long long set;
	struct vec k, rand, sqn, amf, op, opc, f1, f1star, f2, f3, f4, f5, f5star;
};
size_t vectors_milenage_set_count(void);
struct vectors_milenage_set vectors_milenage_set(size_t i);

/* http_digest.cases[i] (tests/data/digest.json) */
struct vectors_digest {
	struct vec name, username, realm, password, nonce, nc, cnonce, qop, method, uri, body, response;
};
size_t vectors_digest_count(void);
struct vectors_digest vectors_digest(size_t i);

/* kdf_3gpp_known_answers.<name>, name = "kasme" or "kenb" */
#define VECTORS_KDF_MAX_PARAMS 8
struct vectors_kdf {
	struct vec key;
	uint8_t fc;
	struct vec params[VECTORS_KDF_MAX_PARAMS];
	size_t n_params;
	struct vec out;
};
struct vectors_kdf vectors_kdf(const char *name);

/* gba_ks_naf.cases[i] */
struct vectors_ks_naf {
	struct vec ks, rand, impi, naf_fqdn, ua_id, s, ks_naf;
};
size_t vectors_ks_naf_count(void);
struct vectors_ks_naf vectors_ks_naf(size_t i);

/* gba_btid */
struct vectors_btid {
	struct vec rand, domain, btid;
};
struct vectors_btid vectors_btid(void);

/* rfc3957_mn_ha_key */
struct vectors_rfc3957 {
	struct vec aaa_key, nonce, identifier, key;
};
struct vectors_rfc3957 vectors_rfc3957(void);

/* mn_ha_auth_hmac_md5_rfc5944 */
struct vectors_mn_ha_auth {
	struct vec key, authenticated, authenticator, full_rrq;
	uint32_t spi;
};
struct vectors_mn_ha_auth vectors_mn_ha_auth(void);

/* mn_aaa_auth.cases[i] */
struct vectors_mn_aaa {
	struct vec challenge, secret, covered, rfc3012_chap, rfc4721_hmac_md5, full_rrq_rfc3012;
	uint32_t spi;
};
size_t vectors_mn_aaa_count(void);
struct vectors_mn_aaa vectors_mn_aaa(size_t i);

/* The auth context of the suites that compute with the vectors, fresh for each
 * test: TestSuite(name, .init = vectors_ctx_setup, .fini = vectors_ctx_teardown). */
struct auth_ctx;
extern struct auth_ctx *vectors_ctx;
void vectors_ctx_setup(void);
void vectors_ctx_teardown(void);
/* Decodes a hex literal of exactly len octets; a test assertion fails otherwise. */
void vectors_hex(const char *s, uint8_t *out, size_t len);

#endif
