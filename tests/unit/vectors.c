/* Typed access to the generated vector table (see vectors.h). */
#include "tests/unit/vectors.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/vectors.h"
#include "lib/auth.h"

static const struct gen_vector *find(const char *path)
{
	for (size_t i = 0; i < GEN_VECTORS_N; i++)
		if (strcmp(gen_vectors[i].path, path) == 0)
			return &gen_vectors[i];
	return NULL;
}

bool vectors_get(const char *path, struct vec *out)
{
	const struct gen_vector *v = find(path);
	if (v == NULL || v->bytes == NULL)
		return false;
	out->p = v->bytes;
	out->len = v->len;
	return true;
}

bool vectors_num(const char *path, long long *out)
{
	const struct gen_vector *v = find(path);
	if (v == NULL || v->bytes != NULL)
		return false;
	*out = v->num;
	return true;
}

static bool has_prefix(const char *prefix)
{
	size_t n = strlen(prefix);
	for (size_t i = 0; i < GEN_VECTORS_N; i++)
		if (strncmp(gen_vectors[i].path, prefix, n) == 0 &&
		    (gen_vectors[i].path[n] == '\0' || gen_vectors[i].path[n] == '.'))
			return true;
	return false;
}

size_t vectors_count(const char *path)
{
	char prefix[256];
	size_t i = 0;
	for (;; i++) {
		snprintf(prefix, sizeof prefix, "%s.%zu", path, i);
		if (!has_prefix(prefix))
			return i;
	}
}

struct vec vectors_json(void)
{
	return (struct vec){ gen_vectors_json, GEN_VECTORS_JSON_LEN };
}

/* A vector the typed API promises is missing: the JSON and this file disagree. */
static struct vec must(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct vec must(const char *fmt, ...)
{
	char path[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	struct vec v;
	if (!vectors_get(path, &v)) {
		fprintf(stderr, "vectors: no byte vector %s in tests/data/*.json\n", path);
		abort();
	}
	return v;
}

static long long must_num(const char *path)
{
	long long n;
	if (!vectors_num(path, &n)) {
		fprintf(stderr, "vectors: no number %s in tests/data/*.json\n", path);
		abort();
	}
	return n;
}

size_t vectors_hmac_count(const char *set)
{
	char path[128];
	snprintf(path, sizeof path, "%s.cases", set);
	return vectors_count(path);
}

struct vectors_hmac vectors_hmac(const char *set, size_t i)
{
	return (struct vectors_hmac){
		.key = must("%s.cases.%zu.key", set, i),
		.data = must("%s.cases.%zu.data", set, i),
		.mac = must("%s.cases.%zu.mac", set, i),
	};
}

struct vectors_milenage vectors_milenage(void)
{
	return (struct vectors_milenage){
		.k = must("milenage_ts35208_set1.K"),
		.op = must("milenage_ts35208_set1.OP"),
		.rand = must("milenage_ts35208_set1.RAND"),
		.opc = must("milenage_ts35208_set1.OPc"),
		.res = must("milenage_ts35208_set1.RES"),
		.ck = must("milenage_ts35208_set1.CK"),
		.ik = must("milenage_ts35208_set1.IK"),
	};
}

size_t vectors_milenage_set_count(void)
{
	return vectors_count("milenage_ts35208_sets.cases");
}

struct vectors_milenage_set vectors_milenage_set(size_t i)
{
	char path[128];
	snprintf(path, sizeof path, "milenage_ts35208_sets.cases.%zu.set", i);
#define SET(f) must("milenage_ts35208_sets.cases.%zu." f, i)
	return (struct vectors_milenage_set){
		.set = must_num(path),
		.k = SET("K"), .rand = SET("RAND"), .sqn = SET("SQN"), .amf = SET("AMF"),
		.op = SET("OP"), .opc = SET("OPc"), .f1 = SET("f1"), .f1star = SET("f1star"),
		.f2 = SET("f2"), .f3 = SET("f3"), .f4 = SET("f4"), .f5 = SET("f5"), .f5star = SET("f5star"),
	};
#undef SET
}

size_t vectors_digest_count(void)
{
	return vectors_count("http_digest.cases");
}

struct vectors_digest vectors_digest(size_t i)
{
#define D(f) must("http_digest.cases.%zu." f, i)
	return (struct vectors_digest){
		.name = D("name"), .username = D("username"), .realm = D("realm"), .password = D("password"),
		.nonce = D("nonce"), .nc = D("nc"), .cnonce = D("cnonce"), .qop = D("qop"), .method = D("method"),
		.uri = D("uri"), .body = D("body"), .response = D("response"),
	};
#undef D
}

struct vectors_kdf vectors_kdf(const char *name)
{
	struct vectors_kdf k = {
		.key = must("kdf_3gpp_known_answers.%s.key", name),
		.out = must("kdf_3gpp_known_answers.%s.out", name),
	};
	struct vec fc = must("kdf_3gpp_known_answers.%s.fc", name);
	char path[128];
	if (fc.len != 1) {
		fprintf(stderr, "vectors: kdf %s: fc is not one octet\n", name);
		abort();
	}
	k.fc = fc.p[0];
	snprintf(path, sizeof path, "kdf_3gpp_known_answers.%s.params", name);
	k.n_params = vectors_count(path);
	if (k.n_params > VECTORS_KDF_MAX_PARAMS) {
		fprintf(stderr, "vectors: kdf %s: too many params\n", name);
		abort();
	}
	for (size_t i = 0; i < k.n_params; i++)
		k.params[i] = must("kdf_3gpp_known_answers.%s.params.%zu", name, i);
	return k;
}

size_t vectors_ks_naf_count(void)
{
	return vectors_count("gba_ks_naf.cases");
}

struct vectors_ks_naf vectors_ks_naf(size_t i)
{
	return (struct vectors_ks_naf){
		.ks = must("gba_ks_naf.cases.%zu.Ks(CK||IK)", i),
		.rand = must("gba_ks_naf.cases.%zu.RAND", i),
		.impi = must("gba_ks_naf.cases.%zu.IMPI", i),
		.naf_fqdn = must("gba_ks_naf.cases.%zu.NAF_FQDN", i),
		.ua_id = must("gba_ks_naf.cases.%zu.Ua_proto_id", i),
		.s = must("gba_ks_naf.cases.%zu.S", i),
		.ks_naf = must("gba_ks_naf.cases.%zu.Ks_NAF", i),
	};
}

struct vectors_btid vectors_btid(void)
{
	return (struct vectors_btid){
		.rand = must("gba_btid.RAND"),
		.domain = must("gba_btid.bsf_domain"),
		.btid = must("gba_btid.btid"),
	};
}

struct vectors_rfc3957 vectors_rfc3957(void)
{
	return (struct vectors_rfc3957){
		.aaa_key = must("rfc3957_mn_ha_key.aaa_key"),
		.nonce = must("rfc3957_mn_ha_key.nonce"),
		.identifier = must("rfc3957_mn_ha_key.identifier"),
		.key = must("rfc3957_mn_ha_key.key"),
	};
}

struct vectors_mn_ha_auth vectors_mn_ha_auth(void)
{
	return (struct vectors_mn_ha_auth){
		.key = must("mn_ha_auth_hmac_md5_rfc5944.key"),
		.authenticated = must("mn_ha_auth_hmac_md5_rfc5944.authenticated_bytes"),
		.authenticator = must("mn_ha_auth_hmac_md5_rfc5944.authenticator"),
		.full_rrq = must("mn_ha_auth_hmac_md5_rfc5944.full_rrq"),
		.spi = (uint32_t)must_num("mn_ha_auth_hmac_md5_rfc5944.SPI"),
	};
}

size_t vectors_mn_aaa_count(void)
{
	return vectors_count("mn_aaa_auth.cases");
}

struct vectors_mn_aaa vectors_mn_aaa(size_t i)
{
	char path[128];
	snprintf(path, sizeof path, "mn_aaa_auth.cases.%zu.SPI", i);
	return (struct vectors_mn_aaa){
		.challenge = must("mn_aaa_auth.cases.%zu.challenge", i),
		.secret = must("mn_aaa_auth.cases.%zu.secret", i),
		.covered = must("mn_aaa_auth.cases.%zu.covered", i),
		.rfc3012_chap = must("mn_aaa_auth.cases.%zu.rfc3012_chap", i),
		.rfc4721_hmac_md5 = must("mn_aaa_auth.cases.%zu.rfc4721_hmac_md5", i),
		.full_rrq_rfc3012 = must("mn_aaa_auth.cases.%zu.full_rrq_rfc3012", i),
		.spi = (uint32_t)must_num(path),
	};
}

struct auth_ctx *vectors_ctx;

void vectors_ctx_setup(void)
{
	vectors_ctx = auth_ctx_new();
	cr_assert_not_null(vectors_ctx);
}

void vectors_ctx_teardown(void)
{
	auth_ctx_free(vectors_ctx);
}

void vectors_hex(const char *s, uint8_t *out, size_t len)
{
	cr_assert_eq(strlen(s), 2 * len, "hex literal of %zu octets expected", len);
	for (size_t i = 0; i < len; i++) {
		unsigned v;
		cr_assert_eq(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}
