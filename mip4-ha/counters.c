#include "mip4-ha/counters.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const double counters_lat_bounds_ms[COUNTERS_LAT_BUCKETS - 1] = { 0.5, 1, 2, 5, 10, 20, 50, 100, 1000 };

void counters_result(struct counters *c, uint32_t rc)
{
	for (size_t i = 0; i < COUNTERS_RESULT_CODES; i++) {
		if (c->aaa_result_count[i] && c->aaa_result_code[i] == rc) {
			c->aaa_result_count[i]++;
			return;
		}
		if (!c->aaa_result_count[i]) {
			c->aaa_result_code[i] = rc;
			c->aaa_result_count[i] = 1;
			return;
		}
	}
	c->aaa_result_other++;
}

void counters_latency(struct counters *c, uint64_t us)
{
	c->aaa_latency_us_sum += us;
	c->aaa_latency_n++;
	if (us > c->aaa_latency_us_max)
		c->aaa_latency_us_max = us;
	size_t i = 0;
	while (i < COUNTERS_LAT_BUCKETS - 1 && (double)us / 1000.0 > counters_lat_bounds_ms[i])
		i++;
	c->aaa_latency_hist[i]++;
}

void counters_reply(struct counters *c, uint8_t code)
{
	if (code <= REG_CODE_ACCEPTED_NO_SIMUL)
		c->accepted++;
	else
		c->denied[code]++;
}

int counters_json(const struct counters *c, const struct counters_gauges *g, const char *more, struct textbuf *b)
{
	int rc = 0;
	rc |= textbuf_printf(b,
		"{\"uptime_s\":%llu,\"requests\":%llu,\"accepted\":%llu,\"registrations_local\":%llu,"
		"\"registrations_aaa\":%llu,\"registrations_zn\":%llu,\"deregistrations\":%llu,\"bindings_active\":%zu,\"sas_active\":%zu,"
		"\"pending_amr\":%zu,\"bindings_expired\":%llu,\"sas_expired\":%llu,"
		"\"discarded_no_auth\":%llu,\"discarded_no_aaa\":%llu,\"retransmissions_pending\":%llu,"
		"\"retransmissions_replayed\":%llu,\"retransmissions_local\":%llu,\"send_errors\":%llu,",
		(unsigned long long)g->uptime_s, (unsigned long long)c->requests, (unsigned long long)c->accepted,
		(unsigned long long)c->reg_local, (unsigned long long)c->reg_aaa, (unsigned long long)c->reg_zn,
		(unsigned long long)c->deregistrations, g->bindings, g->sas, g->pending,
		(unsigned long long)c->bindings_expired, (unsigned long long)c->sas_expired,
		(unsigned long long)c->discarded_no_auth, (unsigned long long)c->discarded_no_aaa,
		(unsigned long long)c->retransmissions_pending, (unsigned long long)c->retransmissions_replayed,
		(unsigned long long)c->retransmissions_local, (unsigned long long)c->send_errors);
	rc |= textbuf_printf(b, "\"denied\":{");
	const char *sep = "";
	for (int i = 128; i < 256; i++) {
		if (c->denied[i]) {
			rc |= textbuf_printf(b, "%s\"%d\":%llu", sep, i, (unsigned long long)c->denied[i]);
			sep = ",";
		}
	}
	rc |= textbuf_printf(b, "},\"malformed\":{");
	sep = "";
	for (int i = 1; i < REG_ERR__COUNT; i++) {
		if (c->malformed[i]) {
			rc |= textbuf_printf(b, "%s\"%s\":%llu", sep, reg_err_str((enum reg_err)i),
			                      (unsigned long long)c->malformed[i]);
			sep = ",";
		}
	}
	rc |= textbuf_printf(b,
		"},\"aaa\":{\"sent\":%llu,\"answered\":%llu,\"timed_out\":%llu,\"send_failed\":%llu,"
		"\"latency_ms_avg\":%.3f,\"latency_ms_max\":%.3f,\"result_codes\":{",
		(unsigned long long)c->aaa_sent, (unsigned long long)c->aaa_answered,
		(unsigned long long)c->aaa_timeout, (unsigned long long)c->aaa_send_failed,
		c->aaa_latency_n ? (double)c->aaa_latency_us_sum / (double)c->aaa_latency_n / 1000.0 : 0.0,
		(double)c->aaa_latency_us_max / 1000.0);
	sep = "";
	for (size_t i = 0; i < COUNTERS_RESULT_CODES && c->aaa_result_count[i]; i++) {
		rc |= textbuf_printf(b, "%s\"%u\":%llu", sep, c->aaa_result_code[i],
		                      (unsigned long long)c->aaa_result_count[i]);
		sep = ",";
	}
	if (c->aaa_result_other)
		rc |= textbuf_printf(b, "%s\"other\":%llu", sep, (unsigned long long)c->aaa_result_other);
	rc |= textbuf_printf(b, "},\"latency_histogram_ms\":{");
	for (size_t i = 0; i < COUNTERS_LAT_BUCKETS; i++) {
		if (i < COUNTERS_LAT_BUCKETS - 1)
			rc |= textbuf_printf(b, "%s\"le_%g\":%llu", i ? "," : "", counters_lat_bounds_ms[i],
			                      (unsigned long long)c->aaa_latency_hist[i]);
		else
			rc |= textbuf_printf(b, ",\"inf\":%llu", (unsigned long long)c->aaa_latency_hist[i]);
	}
	rc |= textbuf_printf(b, "}}");
	if (c->journal)
		rc |= textbuf_printf(b, ",\"journal\":{\"records\":%llu,\"bytes\":%llu,\"syncs\":%llu,\"write_errors\":%llu,"
		                         "\"compactions\":%llu}",
		                      (unsigned long long)c->journal_records, (unsigned long long)c->journal_bytes,
		                      (unsigned long long)c->journal_syncs, (unsigned long long)c->journal_write_errors,
		                      (unsigned long long)c->journal_compactions);
	if (g->zn)
		rc |= textbuf_printf(b,
			",\"zn\":{\"lookups\":%llu,\"hits\":%llu,\"negative_hits\":%llu,\"coalesced\":%llu,\"birs\":%llu,"
			"\"keys\":%llu,\"rejects\":%llu,\"unavailable\":%llu,\"evictions\":%llu,\"expired\":%llu,"
			"\"entries\":%zu}",
			(unsigned long long)g->zn->lookups, (unsigned long long)g->zn->hits,
			(unsigned long long)g->zn->negative_hits, (unsigned long long)g->zn->coalesced,
			(unsigned long long)g->zn->birs, (unsigned long long)g->zn->keys, (unsigned long long)g->zn->rejects,
			(unsigned long long)g->zn->unavailable, (unsigned long long)g->zn->evictions,
			(unsigned long long)g->zn->expired, g->zn->entries);
	rc |= textbuf_printf(b, "%s%s}\n", more ? "," : "", more ? more : "");
	return rc;
}

#define PROM(b, name, type, help, fmt, ...) \
	textbuf_printf(b, "# HELP " name " " help "\n# TYPE " name " " type "\n" name " " fmt "\n", __VA_ARGS__)

int counters_prometheus(const struct counters *c, const struct counters_gauges *g, struct textbuf *b)
{
	int rc = 0;
	rc |= PROM(b, "mip4ha_uptime_seconds", "gauge", "Seconds since start.", "%llu", (unsigned long long)g->uptime_s);
	rc |= PROM(b, "mip4ha_requests_total", "counter", "Registration datagrams received.", "%llu",
	           (unsigned long long)c->requests);
	rc |= PROM(b, "mip4ha_accepted_total", "counter", "Registrations accepted (code 0 or 1).", "%llu",
	           (unsigned long long)c->accepted);
	rc |= textbuf_printf(b, "# HELP mip4ha_denied_total Replies denying a registration, by code.\n"
	                         "# TYPE mip4ha_denied_total counter\n");
	for (int i = 128; i < 256; i++)
		if (c->denied[i])
			rc |= textbuf_printf(b, "mip4ha_denied_total{code=\"%d\"} %llu\n", i, (unsigned long long)c->denied[i]);
	rc |= textbuf_printf(b, "# HELP mip4ha_malformed_total Requests that failed to parse, by reason.\n"
	                         "# TYPE mip4ha_malformed_total counter\n");
	for (int i = 1; i < REG_ERR__COUNT; i++)
		if (c->malformed[i])
			rc |= textbuf_printf(b, "mip4ha_malformed_total{reason=\"%s\"} %llu\n", reg_err_str((enum reg_err)i),
			                      (unsigned long long)c->malformed[i]);
	rc |= PROM(b, "mip4ha_discarded_no_auth_total", "counter", "Requests without a usable authentication extension.",
	           "%llu", (unsigned long long)c->discarded_no_auth);
	rc |= PROM(b, "mip4ha_registrations_local_total", "counter", "Registrations served with an existing SA.", "%llu",
	           (unsigned long long)c->reg_local);
	rc |= PROM(b, "mip4ha_registrations_aaa_total", "counter", "Registrations served through the AAA.", "%llu",
	           (unsigned long long)c->reg_aaa);
	rc |= PROM(b, "mip4ha_registrations_zn_total", "counter", "Registrations served with a key fetched over Zn.",
	           "%llu", (unsigned long long)c->reg_zn);
	rc |= PROM(b, "mip4ha_deregistrations_total", "counter", "Accepted deregistrations.", "%llu",
	           (unsigned long long)c->deregistrations);
	rc |= PROM(b, "mip4ha_retransmissions_pending_total", "counter", "Retransmissions while the AMR was out.",
	           "%llu", (unsigned long long)c->retransmissions_pending);
	rc |= PROM(b, "mip4ha_bindings", "gauge", "Active mobility bindings.", "%zu", g->bindings);
	rc |= PROM(b, "mip4ha_security_associations", "gauge", "Active MN-HA security associations.", "%zu", g->sas);
	rc |= PROM(b, "mip4ha_pending_amr", "gauge", "AMRs waiting for an answer.", "%zu", g->pending);
	rc |= PROM(b, "mip4ha_bindings_expired_total", "counter", "Bindings removed at the end of their lifetime.",
	           "%llu", (unsigned long long)c->bindings_expired);
	rc |= PROM(b, "mip4ha_aaa_requests_total", "counter", "AMRs sent.", "%llu", (unsigned long long)c->aaa_sent);
	rc |= PROM(b, "mip4ha_aaa_answers_total", "counter", "AMAs received.", "%llu",
	           (unsigned long long)c->aaa_answered);
	rc |= PROM(b, "mip4ha_aaa_timeouts_total", "counter", "AMRs that timed out.", "%llu",
	           (unsigned long long)c->aaa_timeout);
	rc |= textbuf_printf(b, "# HELP mip4ha_aaa_results_total AMAs by Result-Code.\n"
	                         "# TYPE mip4ha_aaa_results_total counter\n");
	for (size_t i = 0; i < COUNTERS_RESULT_CODES && c->aaa_result_count[i]; i++)
		rc |= textbuf_printf(b, "mip4ha_aaa_results_total{result_code=\"%u\"} %llu\n", c->aaa_result_code[i],
		                      (unsigned long long)c->aaa_result_count[i]);
	rc |= textbuf_printf(b, "# HELP mip4ha_aaa_latency_seconds AMR to AMA time.\n"
	                         "# TYPE mip4ha_aaa_latency_seconds histogram\n");
	uint64_t cum = 0;
	for (size_t i = 0; i < COUNTERS_LAT_BUCKETS; i++) {
		cum += c->aaa_latency_hist[i];
		if (i < COUNTERS_LAT_BUCKETS - 1)
			rc |= textbuf_printf(b, "mip4ha_aaa_latency_seconds_bucket{le=\"%g\"} %llu\n",
			                      counters_lat_bounds_ms[i] / 1000.0, (unsigned long long)cum);
		else
			rc |= textbuf_printf(b, "mip4ha_aaa_latency_seconds_bucket{le=\"+Inf\"} %llu\n",
			                      (unsigned long long)cum);
	}
	rc |= textbuf_printf(b, "mip4ha_aaa_latency_seconds_sum %.6f\nmip4ha_aaa_latency_seconds_count %llu\n",
	                      (double)c->aaa_latency_us_sum / 1e6, (unsigned long long)c->aaa_latency_n);
	rc |= PROM(b, "mip4ha_aaa_latency_max_seconds", "gauge", "Largest AMR to AMA time.", "%.6f",
	           (double)c->aaa_latency_us_max / 1e6);
	if (c->journal) {
		rc |= PROM(b, "mip4ha_journal_records_total", "counter", "Changes recorded in the journal.", "%llu",
		           (unsigned long long)c->journal_records);
		rc |= PROM(b, "mip4ha_journal_bytes_total", "counter", "Octets written to the journal's segments.", "%llu",
		           (unsigned long long)c->journal_bytes);
		rc |= PROM(b, "mip4ha_journal_syncs_total", "counter", "fdatasync calls on the journal.", "%llu",
		           (unsigned long long)c->journal_syncs);
		rc |= PROM(b, "mip4ha_journal_write_errors_total", "counter", "Journal writes that failed.", "%llu",
		           (unsigned long long)c->journal_write_errors);
		rc |= PROM(b, "mip4ha_journal_compactions_total", "counter", "Snapshots put in place.", "%llu",
		           (unsigned long long)c->journal_compactions);
	}
	if (g->zn) {
		rc |= PROM(b, "mip4ha_zn_lookups_total", "counter", "Ks_NAF lookups (method 2).", "%llu",
		           (unsigned long long)g->zn->lookups);
		rc |= PROM(b, "mip4ha_zn_hits_total", "counter", "Ks_NAF lookups served from the cache.", "%llu",
		           (unsigned long long)g->zn->hits);
		rc |= PROM(b, "mip4ha_zn_negative_hits_total", "counter", "Lookups answered by a remembered refusal.",
		           "%llu", (unsigned long long)g->zn->negative_hits);
		rc |= PROM(b, "mip4ha_zn_birs_total", "counter", "BIRs sent to the BSF.", "%llu",
		           (unsigned long long)g->zn->birs);
		rc |= PROM(b, "mip4ha_zn_rejects_total", "counter", "BSF refusals.", "%llu",
		           (unsigned long long)g->zn->rejects);
		rc |= PROM(b, "mip4ha_zn_unavailable_total", "counter", "BIRs without a usable answer in time.", "%llu",
		           (unsigned long long)g->zn->unavailable);
		rc |= PROM(b, "mip4ha_zn_cache_entries", "gauge", "Ks_NAF and refusals cached.", "%zu", g->zn->entries);
	}
	return rc;
}
