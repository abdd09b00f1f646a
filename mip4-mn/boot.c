/* Where the nodes' GBA bootstraps come from (see boot.h). */
#include "mip4-mn/boot.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "lib/auth.h"
#include "mip4-mn/say.h"
#include "mip4-mn/stats.h"
#include "mip4-mn/store.h"

int mn_boot_open(struct mn_boot *b, const struct mn_opts *o)
{
	memset(b, 0, sizeof *b);
	b->o = o;
	b->subs.fd = -1;
	if (!o->subscriber)
		return 0;
	b->ub = true;
	size_t line = 0;
	enum subscriber_err e = subscriber_open(o->subscriber, SUBSCRIBER_USIM, &b->subs, &line);
	if (e != SUBSCRIBER_OK) {
		fprintf(stderr, "mip4-mn: %s:%zu: %s\n", o->subscriber, line, subscriber_err_str(e));
		return -1;
	}
	b->conf = (struct mn_ub_conf){
		.url = o->bsf_url, .address = o->bsf_address, .ca_file = o->bsf_ca, .realm = o->bsf_realm, .timeout_ms = (int)o->bsf_timeout_ms,
		.answer_delay_ms = o->ub_answer_delay_ms, .verbose = o->verbose,
	};
	return 0;
}

void mn_boot_close(struct mn_boot *b)
{
	if (b->ub)
		subscriber_close(&b->subs);
	b->ub = false;
	free(b->lat_us);
	b->lat_us = NULL;
	b->n_lat = 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Ub runs shared out to the workers. */
struct mn_boot_job {
	struct mn_boot *b;
	struct subscriber **subs;
	size_t n, next;
	struct mn_ub_result *res;
	pthread_mutex_t lock;
	uint8_t naf_id[GBA_NAF_ID_MAX];
	size_t naf_id_len;
};

static void report(struct mn_boot_job *j, const struct mn_ub_result *r, struct auth_ctx *ctx)
{
	const struct mn_opts *o = j->b->o;
	if (!o->json) {
		if (r->status != 200 || !r->boot.btid[0])
			fprintf(stderr, "mip4-mn: Ub for %s: %s\n", r->boot.impi[0] ? r->boot.impi : "?", r->detail);
		return;
	}
	uint8_t ks_naf[GBA_KS_NAF_LEN], fp[8], nfp[8];
	bool ok = r->boot.btid[0] != '\0';
	bool naf = ok && ctx && j->naf_id_len &&
	           gba_ks_naf(ctx, r->boot.ks, r->boot.rand, r->boot.impi, strlen(r->boot.impi), j->naf_id,
	                      j->naf_id_len, false, ks_naf) == 0;
	if (ok)
		auth_key_fp(r->boot.ks, sizeof r->boot.ks, fp);
	if (naf)
		auth_key_fp(ks_naf, sizeof ks_naf, nfp);
	OPENSSL_cleanse(ks_naf, sizeof ks_naf);
	flockfile(stdout);
	printf("{\"phase\":\"ub\",\"impi\":");
	mn_json_string(stdout, r->boot.impi, strlen(r->boot.impi));
	printf(",\"status\":%d,\"challenges\":%u,\"resyncs\":%u,\"stale\":%u,\"mac_failure\":%s,\"ms\":%.3f",
	       r->status, r->challenges, r->resyncs, r->stale, r->mac_failure ? "true" : "false", r->ms);
	if (ok) {
		printf(",\"btid\":");
		mn_json_string(stdout, r->boot.btid, strlen(r->boot.btid));
		printf(",\"expiry\":%lld,\"ks_fp\":\"", (long long)r->boot.expiry);
		for (int i = 0; i < 8; i++)
			printf("%02x", fp[i]);
		printf("\"");
		if (naf) {
			printf(",\"ks_naf_fp\":\"");
			for (int i = 0; i < 8; i++)
				printf("%02x", nfp[i]);
			printf("\"");
		}
	} else {
		printf(",\"error\":");
		mn_json_string(stdout, r->detail, strlen(r->detail));
	}
	printf("}\n");
	funlockfile(stdout);
}

static void *worker(void *arg)
{
	struct mn_boot_job *j = arg;
	struct auth_ctx *ctx = auth_ctx_new();
	for (;;) {
		pthread_mutex_lock(&j->lock);
		size_t i = j->next++;
		pthread_mutex_unlock(&j->lock);
		if (i >= j->n)
			break;
		struct mn_ub_result *r = &j->res[i];
		if (mn_ub_bootstrap(&j->b->conf, &j->b->subs, j->subs[i], r) != 0)
			snprintf(r->boot.impi, sizeof r->boot.impi, "%s", j->subs[i]->impi);
		report(j, r, ctx);
	}
	auth_ctx_free(ctx);
	return NULL;
}

static int by_btid(const void *a, const void *b)
{
	return strcmp(((const struct bootstrap_entry *)a)->btid, ((const struct bootstrap_entry *)b)->btid);
}

/* Ub for subs[0..n), --window at a time; results in res[]. */
static int run_ub(struct mn_boot *b, struct subscriber **subs, size_t n, struct mn_ub_result *res)
{
	struct mn_boot_job j = { .b = b, .subs = subs, .n = n, .res = res, .lock = PTHREAD_MUTEX_INITIALIZER };
	j.naf_id_len = gba_naf_id(b->o->naf_fqdn, b->o->ua_id, j.naf_id, sizeof j.naf_id);
	size_t w = b->o->window < n ? b->o->window : n;
	pthread_t *t = calloc(w ? w : 1, sizeof *t);
	size_t started = 0;
	if (!t)
		return -1;
	/* One worker in the calling thread keeps single bootstraps simple. */
	for (size_t i = 1; i < w; i++)
		if (pthread_create(&t[i], NULL, worker, &j) == 0)
			started = i;
		else
			break;
	worker(&j);
	for (size_t i = 1; i <= started; i++)
		pthread_join(t[i], NULL);
	free(t);
	return 0;
}

int mn_boot_load(struct mn_boot *b, size_t n, struct bootstrap_store *st)
{
	const struct mn_opts *o = b->o;
	memset(st, 0, sizeof *st);
	if (!b->ub) {
		size_t line = 0;
		enum bootstrap_err e = bootstrap_load(o->store, st, &line);
		if (e != BOOTSTRAP_OK) {
			fprintf(stderr, "mip4-mn: %s:%zu: %s\n", o->store, line, bootstrap_err_str(e));
			return -1;
		}
		return 0;
	}
	struct subscriber *one = o->impi ? subscriber_find(&b->subs, o->impi) : NULL;
	if (o->impi && !one) {
		fprintf(stderr, "mip4-mn: --impi: %s: not in %s\n", o->impi, o->subscriber);
		return -1;
	}
	if (n == 0 || n > b->subs.n)
		n = one ? 1 : b->subs.n;
	if (n > b->subs.n) {
		fprintf(stderr, "mip4-mn: %zu bootstraps wanted, %s has %zu subscribers\n", n, o->subscriber, b->subs.n);
		return -1;
	}
	struct subscriber **subs = calloc(n, sizeof *subs);
	struct mn_ub_result *res = calloc(n, sizeof *res);
	st->e = calloc(n, sizeof *st->e);
	if (!subs || !res || !st->e) {
		free(subs);
		free(res);
		free(st->e);
		st->e = NULL;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		subs[i] = one ? one : &b->subs.s[i];
	run_ub(b, subs, n, res);
	free(b->lat_us);
	b->n_lat = 0;
	b->lat_us = calloc(n, sizeof *b->lat_us);
	for (size_t i = 0; i < n; i++) {
		if (res[i].boot.btid[0]) {
			st->e[st->n++] = res[i].boot;
			if (b->lat_us)
				b->lat_us[b->n_lat++] = (uint32_t)(res[i].ms * 1000.0);
		} else {
			b->failed++;
		}
	}
	OPENSSL_clear_free(res, n * sizeof *res);
	free(subs);
	qsort(st->e, st->n, sizeof *st->e, by_btid);
	return 0;
}

int mn_boot_again(struct mn_boot *b, const char *impi, struct bootstrap_entry *out)
{
	if (!b->ub) {
		struct bootstrap_store s = { 0 };
		size_t line = 0;
		enum bootstrap_err e = bootstrap_load(b->o->store, &s, &line);
		if (e != BOOTSTRAP_OK) {
			fprintf(stderr, "mip4-mn: %s:%zu: %s (re-bootstrap)\n", b->o->store, line, bootstrap_err_str(e));
			return -1;
		}
		const struct bootstrap_entry *found = mn_store_newest(&s, impi);
		if (found)
			*out = *found;
		bootstrap_free(&s);
		return found ? 0 : -1;
	}
	struct subscriber *s = subscriber_find(&b->subs, impi);
	struct mn_ub_result r;
	if (!s)
		return -1;
	struct mn_boot_job j = { .b = b };
	j.naf_id_len = gba_naf_id(b->o->naf_fqdn, b->o->ua_id, j.naf_id, sizeof j.naf_id);
	int rc = mn_ub_bootstrap(&b->conf, &b->subs, s, &r);
	if (rc != 0)
		snprintf(r.boot.impi, sizeof r.boot.impi, "%s", impi);
	struct auth_ctx *ctx = auth_ctx_new();
	report(&j, &r, ctx);
	auth_ctx_free(ctx);
	if (rc == 0)
		*out = r.boot;
	OPENSSL_cleanse(&r, sizeof r);
	return rc;
}

int mn_boot_only(const struct mn_opts *o)
{
	struct mn_boot b;
	struct bootstrap_store st;
	struct timespec t0, t1;
	if (mn_boot_open(&b, o) != 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = mn_boot_load(&b, o->mns, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc == 0) {
		size_t total = st.n + b.failed;
		qsort(b.lat_us, b.n_lat, sizeof *b.lat_us, cmp_u32);
		double p50 = mn_stats_percentile(b.lat_us, b.n_lat, 50) / 1e3,
		       p99 = mn_stats_percentile(b.lat_us, b.n_lat, 99) / 1e3;
		if (o->json)
			printf("{\"summary\":true,\"phase\":\"ub\",\"bootstraps\":%zu,\"ok\":%zu,\"failed\":%u,"
			       "\"seconds\":%.3f,\"rate\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f}\n",
			       total, st.n, b.failed, s, s > 0 ? (double)st.n / s : 0.0, p50, p99);
		else
			printf("ub: bootstraps=%zu ok=%zu failed=%u seconds=%.3f rate=%.1f/s p50=%.2fms p99=%.2fms\n", total,
			       st.n, b.failed, s, s > 0 ? (double)st.n / s : 0.0, p50, p99);
	}
	unsigned failed = b.failed;
	bootstrap_free(&st);
	mn_boot_close(&b);
	return rc != 0 ? 2 : failed ? 1 : 0;
}
