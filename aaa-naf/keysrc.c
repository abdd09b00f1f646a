#include "aaa-naf/keysrc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "lib/bootstrap.h"
#include "lib/gba.h"

struct keysrc {
	const struct aaa_conf *conf;
	struct bootstrap_store store;
	bool have_store;
	struct zn *zn;
};

struct keysrc *keysrc_new(const struct aaa_conf *c, struct zn *zn, char *err, size_t errlen)
{
	struct keysrc *ks = calloc(1, sizeof(*ks));
	if (!ks) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ks->conf = c;
	ks->zn = zn;
	for (size_t i = 0; i < c->n_sources; i++) {
		if (c->sources[i] == CONF_KS_ZN && !zn) {
			snprintf(err, errlen, "key source zn enabled without a Zn client");
			free(ks);
			return NULL;
		}
		if (c->sources[i] != CONF_KS_GBA_LOCAL)
			continue;
		size_t line = 0;
		enum bootstrap_err e = bootstrap_load(c->gba_store, &ks->store, &line);
		if (e != BOOTSTRAP_OK) {
			if (e == BOOTSTRAP_ERR_MODE || e == BOOTSTRAP_ERR_IO)
				snprintf(err, errlen, "%s: gba-local store: %s", c->gba_store, bootstrap_err_str(e));
			else
				snprintf(err, errlen, "%s:%zu: gba-local store: %s", c->gba_store, line,
				         bootstrap_err_str(e));
			free(ks);
			return NULL;
		}
		ks->have_store = true;
	}
	return ks;
}

void keysrc_free(struct keysrc *ks)
{
	if (!ks)
		return;
	if (ks->have_store)
		bootstrap_free(&ks->store);
	free(ks);
}

size_t keysrc_local_entries(const struct keysrc *ks)
{
	return ks->have_store ? ks->store.n : 0;
}

enum keysrc_verdict { KS_NEXT, KS_DONE };

static enum keysrc_verdict keysrc_static(struct keysrc *ks, const char *nai, size_t len,
                                         uint32_t spi, keysrc_done_fn done, void *arg,
                                         const char **reason)
{
	for (size_t i = 0; i < ks->conf->n_statics; i++) {
		const struct conf_static *s = &ks->conf->statics[i];
		if (strlen(s->nai) != len || memcmp(s->nai, nai, len) != 0)
			continue;
		if (s->spi != spi) {
			done(arg, KEYSRC_REJECT, NULL, "no MN-AAA security association with this SPI for the NAI");
			return KS_DONE;
		}
		struct keysrc_key k = { .len = s->secret_len, .alg = s->alg, .source = CONF_KS_STATIC };
		memcpy(k.key, s->secret, s->secret_len);
		memcpy(k.owner, nai, len);
		done(arg, KEYSRC_FOUND, &k, "static");
		OPENSSL_cleanse(&k, sizeof(k));
		return KS_DONE;
	}
	*reason = "unknown NAI";
	return KS_NEXT;
}

static enum keysrc_verdict keysrc_local(struct keysrc *ks, struct auth_ctx *ctx, const char *nai,
                                        size_t len, int64_t now, keysrc_done_fn done, void *arg,
                                        const char **reason)
{
	uint8_t rand[GBA_RAND_LEN];
	const char *dom;
	size_t dom_len;
	if (!gba_btid_parse(nai, len, rand, &dom, &dom_len)) {
		*reason = "unknown NAI (not a B-TID)";
		return KS_NEXT;
	}
	const struct bootstrap_entry *e = bootstrap_find(&ks->store, nai, len);
	if (!e) {
		*reason = "unknown B-TID";
		return KS_NEXT;
	}
	if (e->expiry <= now) {
		done(arg, KEYSRC_REJECT, NULL, "B-TID expired: bootstrap again");
		return KS_DONE;
	}
	struct keysrc_key k = { .len = GBA_KS_NAF_LEN, .alg = VERIFIER_ALG_BY_SPI, .expiry = e->expiry,
		                .source = CONF_KS_GBA_LOCAL };
	snprintf(k.owner, sizeof(k.owner), "%s", e->impi);
	if (gba_ks_naf(ctx, e->ks, e->rand, e->impi, strlen(e->impi), ks->conf->naf_id,
	               ks->conf->naf_id_len, false, k.key) != 0) {
		OPENSSL_cleanse(&k, sizeof(k));
		done(arg, KEYSRC_UNAVAILABLE, NULL, "Ks_NAF derivation failed");
		return KS_DONE;
	}
	done(arg, KEYSRC_FOUND, &k, "gba-local");
	OPENSSL_cleanse(&k, sizeof(k));
	return KS_DONE;
}

struct keysrc_zn_wait {
	keysrc_done_fn done;
	void *arg;
};

static void keysrc_zn_done(void *arg, const struct zn_answer *a)
{
	struct keysrc_zn_wait w = *(struct keysrc_zn_wait *)arg;
	free(arg);
	if (a->status == ZN_KEY) {
		struct keysrc_key k = { .len = GBA_KS_NAF_LEN, .alg = VERIFIER_ALG_BY_SPI,
			                .expiry = a->expiry, .source = CONF_KS_ZN };
		memcpy(k.key, a->ks_naf, GBA_KS_NAF_LEN);
		snprintf(k.owner, sizeof(k.owner), "%s", a->impi);
		w.done(w.arg, KEYSRC_FOUND, &k, "zn");
		OPENSSL_cleanse(&k, sizeof(k));
		return;
	}
	w.done(w.arg, a->status == ZN_REJECT ? KEYSRC_REJECT : KEYSRC_UNAVAILABLE, NULL, a->reason);
}

void keysrc_lookup(struct keysrc *ks, struct auth_ctx *ctx, const char *nai, size_t nai_len,
                   uint32_t spi, int64_t now, keysrc_done_fn done, void *arg)
{
	const char *reason = "unknown NAI";
	for (size_t i = 0; i < ks->conf->n_sources; i++) {
		switch (ks->conf->sources[i]) {
		case CONF_KS_STATIC:
			if (keysrc_static(ks, nai, nai_len, spi, done, arg, &reason) == KS_DONE)
				return;
			break;
		case CONF_KS_GBA_LOCAL:
			if (keysrc_local(ks, ctx, nai, nai_len, now, done, arg, &reason) == KS_DONE)
				return;
			break;
		case CONF_KS_ZN: {
			uint8_t rand[GBA_RAND_LEN];
			const char *dom;
			size_t dom_len;
			if (!gba_btid_parse(nai, nai_len, rand, &dom, &dom_len)) {
				reason = "unknown NAI (not a B-TID)";
				break;
			}
			struct keysrc_zn_wait *w = malloc(sizeof(*w));
			if (!w) {
				done(arg, KEYSRC_UNAVAILABLE, NULL, "out of memory");
				return;
			}
			w->done = done;
			w->arg = arg;
			zn_lookup(ks->zn, nai, nai_len, now, keysrc_zn_done, w);
			return;
		}
		}
	}
	done(arg, KEYSRC_REJECT, NULL, reason);
}
