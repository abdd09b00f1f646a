/*
 * aaa_naf.fdx: the Diameter Mobile IPv4 AAA server acting as a GBA NAF, loaded
 * by the stock freeDiameterd after dict_mip4.fdx and dict_zn.fdx:
 *     LoadExtension = "aaa_naf.fdx" : "/etc/mip4-gba/aaa-naf.conf";
 * This file wires the pieces: configuration, key sources, Zn client, address
 * pools and the AMR handler.
 */
#include <freeDiameter/extension.h>

#include <stdio.h>
#include <string.h>

#include "aaa-naf/amr.h"
#include "aaa-naf/conf.h"
#include "aaa-naf/keysrc.h"
#include "aaa-naf/pool.h"
#include "agent/zn.h"
#include "dict/dict_zn.h"

static struct aaa_conf aaa_conf;
static struct amr_server aaa_srv;
static struct dict_zn aaa_dz;
static struct zn_bir_params aaa_bir;
static struct zn *aaa_zn;

static void aaa_naf_cleanup(void)
{
	amr_stop(&aaa_srv);
	keysrc_free(aaa_srv.ks);
	zn_free(aaa_zn);
	pool_free(aaa_srv.pool);
	conf_free(&aaa_conf);
	memset(&aaa_srv, 0, sizeof(aaa_srv));
	aaa_zn = NULL;
}

static int aaa_naf_entry(char *conffile)
{
	char err[600];
	if (conf_load(conffile, &aaa_conf, err, sizeof(err)) != 0) {
		fd_log_error("aaa_naf: %s", err);
		return EINVAL;
	}
	aaa_srv.conf = &aaa_conf;
	char hex[2 * GBA_NAF_ID_MAX + 1], srcs[64] = "";
	for (size_t i = 0; i < aaa_conf.naf_id_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", aaa_conf.naf_id[i]);
	for (size_t i = 0; i < aaa_conf.n_sources; i++)
		snprintf(srcs + strlen(srcs), sizeof(srcs) - strlen(srcs), "%s%s", i ? "," : "",
		         conf_keysrc_name(aaa_conf.sources[i]));
	fd_log_notice("aaa_naf: NAF_Id %s (FQDN %s, Ua id %02x%02x%02x%02x%02x), key sources %s", hex,
	              aaa_conf.naf_fqdn, aaa_conf.ua_id[0], aaa_conf.ua_id[1], aaa_conf.ua_id[2],
	              aaa_conf.ua_id[3], aaa_conf.ua_id[4], srcs);

	int rc = dict_base_resolve(&aaa_srv.db);
	if (rc != 0) {
		fd_log_error("aaa_naf: base dictionary objects missing");
		goto fail;
	}
	bool want_zn = false;
	for (size_t i = 0; i < aaa_conf.n_sources; i++)
		want_zn |= aaa_conf.sources[i] == CONF_KS_ZN;
	if (want_zn) {
		if ((rc = dict_zn_resolve(&aaa_dz)) != 0) {
			fd_log_error("aaa_naf: the Zn dictionary is not loaded (load dict_zn.fdx first)");
			goto fail;
		}
		aaa_bir = (struct zn_bir_params){ .db = &aaa_srv.db, .dz = &aaa_dz,
			                          .naf_id = aaa_conf.naf_id,
			                          .naf_id_len = aaa_conf.naf_id_len,
			                          .realm = aaa_conf.zn_realm, .host = aaa_conf.zn_host,
			                          .timeout_ms = aaa_conf.zn_timeout_ms };
		aaa_zn = zn_new(aaa_conf.zn_cache_size, aaa_conf.zn_negative_ttl, zn_bir_send, &aaa_bir);
		if (!aaa_zn) {
			rc = ENOMEM;
			fd_log_error("aaa_naf: out of memory");
			goto fail;
		}
		rc = fd_disp_app_support(aaa_dz.app, aaa_dz.vendor, 1, 0);
		if (rc != 0) {
			fd_log_error("aaa_naf: cannot advertise the Zn application");
			goto fail;
		}
	}
	aaa_srv.pool = pool_new(aaa_conf.pools, aaa_conf.n_pools);
	if (!aaa_srv.pool) {
		rc = EINVAL;
		fd_log_error("aaa_naf: %s: home address pools: out of memory or a range over %u addresses",
		             conffile, POOL_MAX_ADDRESSES);
		goto fail;
	}
	if (aaa_conf.pool_state[0]) {
		int torn = 0;
		long n = pool_state_open(aaa_srv.pool, aaa_conf.pool_state, &torn, err, sizeof(err));
		if (n < 0) {
			rc = EINVAL;
			fd_log_error("aaa_naf: %s", err);
			goto fail;
		}
		if (torn)
			fd_log_notice("aaa_naf: %s:%d: incomplete last record (cut short by a crash, never answered) removed",
			              aaa_conf.pool_state, torn);
		fd_log_notice("aaa_naf: %ld home address assignment(s) loaded from %s; new ones are recorded there",
		              n, aaa_conf.pool_state);
	} else if (aaa_conf.n_pools) {
		fd_log_notice("aaa_naf: no pool-state-file: home address assignments will not survive a restart "
		              "(a restarted AAA may give a new node the address of a node still registered)");
	}
	aaa_srv.ks = keysrc_new(&aaa_conf, aaa_zn, err, sizeof(err));
	if (!aaa_srv.ks) {
		rc = EINVAL;
		fd_log_error("aaa_naf: %s", err);
		goto fail;
	}
	if ((rc = amr_start(&aaa_srv)) != 0)
		goto fail;
	fd_log_notice("aaa_naf: ready: %zu static NAI(s), %zu bootstrap entries, %zu address pool(s), "
	              "Zn timeout %u ms, nonce %u octets, key lifetime %u s, registration lifetime %u s",
	              aaa_conf.n_statics, keysrc_local_entries(aaa_srv.ks), aaa_conf.n_pools,
	              aaa_conf.zn_timeout_ms, aaa_conf.nonce_len, aaa_conf.key_lifetime,
	              aaa_conf.reg_lifetime);
	return 0;
fail:
	aaa_naf_cleanup();
	return rc ? rc : EINVAL;
}

#pragma GCC visibility push(default)
EXTENSION_ENTRY("aaa_naf", aaa_naf_entry, "dict_mip4", "dict_zn");

void fd_ext_fini(void)
{
	struct amr_counters *n = &aaa_srv.n;
	fd_log_notice("aaa_naf: AMR %lu: success %lu, rejected %lu, invalid %lu, unavailable %lu, failed %lu",
	              atomic_load(&n->requests), atomic_load(&n->success), atomic_load(&n->rejected),
	              atomic_load(&n->invalid), atomic_load(&n->unavailable), atomic_load(&n->failed));
	if (aaa_zn) {
		struct zn_stats s;
		zn_get_stats(aaa_zn, &s);
		fd_log_notice("aaa_naf: Zn lookups %lu: hits %lu, negative hits %lu, coalesced %lu, BIR %lu "
		              "(keys %lu, refusals %lu, unavailable %lu), evictions %lu, expired %lu, cached %zu",
		              (unsigned long)s.lookups, (unsigned long)s.hits, (unsigned long)s.negative_hits,
		              (unsigned long)s.coalesced, (unsigned long)s.birs, (unsigned long)s.keys,
		              (unsigned long)s.rejects, (unsigned long)s.unavailable,
		              (unsigned long)s.evictions, (unsigned long)s.expired, s.entries);
	}
	aaa_naf_cleanup();
}
#pragma GCC visibility pop
