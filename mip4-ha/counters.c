#include "mip4-ha/counters.h"


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

void counters_reply(struct counters *c, uint8_t code)
{
	if (code <= REG_CODE_ACCEPTED_NO_SIMUL)
		c->accepted++;
	else
		c->denied[code]++;
}

static const char *counters_reason(unsigned i)
{
	return reg_err_str((enum reg_err)i);
}

int counters_json(const struct counters *c, const struct counters_gauges *g, const char *more, struct textbuf *b)
{
	int rc = 0;
	rc |= textbuf_printf(b,
		"{\"uptime_s\":%llu,\"requests\":%llu,\"accepted\":%llu,\"registrations_local\":%llu,"
		"\"registrations_aaa\":%llu,\"registrations_zn\":%llu,\"har_requests\":%llu,\"deregistrations\":%llu,\"bindings_active\":%zu,\"sas_active\":%zu,"
		"\"pending_amr\":%zu,\"bindings_expired\":%llu,\"sas_expired\":%llu,"
		"\"discarded_no_auth\":%llu,\"discarded_no_aaa\":%llu,\"discarded_fa_auth\":%llu,"
		"\"retransmissions_pending\":%llu,"
		"\"retransmissions_replayed\":%llu,\"retransmissions_local\":%llu,\"send_errors\":%llu,",
		(unsigned long long)g->uptime_s, (unsigned long long)c->requests, (unsigned long long)c->accepted,
		(unsigned long long)c->reg_local, (unsigned long long)c->reg_aaa, (unsigned long long)c->reg_zn,
		(unsigned long long)c->har_requests, (unsigned long long)c->deregistrations, g->bindings, g->sas, g->pending,
		(unsigned long long)c->bindings_expired, (unsigned long long)c->sas_expired,
		(unsigned long long)c->discarded_no_auth, (unsigned long long)c->discarded_no_aaa,
		(unsigned long long)c->discarded_fa_auth, (unsigned long long)c->retransmissions_pending, (unsigned long long)c->retransmissions_replayed,
		(unsigned long long)c->retransmissions_local, (unsigned long long)c->send_errors);
	rc |= expo_json_codes(b, "denied", c->denied, 128, 255);
	rc |= textbuf_printf(b, ",");
	rc |= expo_json_named(b, "malformed", c->malformed, REG_ERR__COUNT, counters_reason);
	rc |= textbuf_printf(b, ",\"aaa\":{\"sent\":%llu,\"answered\":%llu,\"timed_out\":%llu,\"send_failed\":%llu,",
	                      (unsigned long long)c->aaa_sent, (unsigned long long)c->aaa_answered,
	                      (unsigned long long)c->aaa_timeout, (unsigned long long)c->aaa_send_failed);
	rc |= expo_json_hist_summary(b, "latency", &c->aaa_latency);
	rc |= textbuf_printf(b, ",\"result_codes\":{");
	const char *sep = "";
	for (size_t i = 0; i < COUNTERS_RESULT_CODES && c->aaa_result_count[i]; i++) {
		rc |= textbuf_printf(b, "%s\"%u\":%llu", sep, c->aaa_result_code[i],
		                      (unsigned long long)c->aaa_result_count[i]);
		sep = ",";
	}
	if (c->aaa_result_other)
		rc |= textbuf_printf(b, "%s\"other\":%llu", sep, (unsigned long long)c->aaa_result_other);
	rc |= textbuf_printf(b, "},");
	rc |= expo_json_hist(b, "latency_histogram_ms", &c->aaa_latency);
	rc |= textbuf_printf(b, "}");
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

int counters_prometheus(const struct counters *c, const struct counters_gauges *g, struct textbuf *b)
{
	int rc = 0;
	rc |= expo_prom_u64(b, "mip4ha_uptime_seconds", "gauge", "Seconds since start.", g->uptime_s);
	rc |= expo_prom_u64(b, "mip4ha_requests_total", "counter", "Registration datagrams received.", c->requests);
	rc |= expo_prom_u64(b, "mip4ha_accepted_total", "counter", "Registrations accepted (code 0 or 1).", c->accepted);
	rc |= expo_prom_codes(b, "mip4ha_denied_total", "Replies denying a registration, by code.", "code", c->denied,
	                      128, 255);
	rc |= expo_prom_named(b, "mip4ha_malformed_total", "Requests that failed to parse, by reason.", "reason",
	                      c->malformed, REG_ERR__COUNT, counters_reason);
	rc |= expo_prom_u64(b, "mip4ha_discarded_no_auth_total", "counter",
	                    "Requests without a usable authentication extension.", c->discarded_no_auth);
	rc |= expo_prom_u64(b, "mip4ha_discarded_fa_auth_total", "counter",
	                    "Requests with an FA-HA authenticator from a foreign agent without an association.",
	                    c->discarded_fa_auth);
	rc |= expo_prom_u64(b, "mip4ha_registrations_local_total", "counter", "Registrations served with an existing SA.",
	                    c->reg_local);
	rc |= expo_prom_u64(b, "mip4ha_registrations_aaa_total", "counter", "Registrations served through the AAA.",
	                    c->reg_aaa);
	rc |= expo_prom_u64(b, "mip4ha_registrations_zn_total", "counter", "Registrations served with a key fetched over Zn.",
	                    c->reg_zn);
	rc |= expo_prom_u64(b, "mip4ha_har_requests_total", "counter",
	                    "Home-Agent-MIP-Requests served (foreign agent care-of mode).", c->har_requests);
	rc |= expo_prom_u64(b, "mip4ha_deregistrations_total", "counter", "Accepted deregistrations.",
	                    c->deregistrations);
	rc |= expo_prom_u64(b, "mip4ha_retransmissions_pending_total", "counter",
	                    "Retransmissions while the AMR was out.", c->retransmissions_pending);
	rc |= expo_prom_u64(b, "mip4ha_bindings", "gauge", "Active mobility bindings.", g->bindings);
	rc |= expo_prom_u64(b, "mip4ha_security_associations", "gauge", "Active MN-HA security associations.", g->sas);
	rc |= expo_prom_u64(b, "mip4ha_pending_amr", "gauge", "AMRs waiting for an answer.", g->pending);
	rc |= expo_prom_u64(b, "mip4ha_bindings_expired_total", "counter", "Bindings removed at the end of their lifetime.",
	                    c->bindings_expired);
	rc |= expo_prom_u64(b, "mip4ha_aaa_requests_total", "counter", "AMRs sent.", c->aaa_sent);
	rc |= expo_prom_u64(b, "mip4ha_aaa_answers_total", "counter", "AMAs received.", c->aaa_answered);
	rc |= expo_prom_u64(b, "mip4ha_aaa_timeouts_total", "counter", "AMRs that timed out.", c->aaa_timeout);
	rc |= textbuf_printf(b, "# HELP mip4ha_aaa_results_total AMAs by Result-Code.\n"
	                         "# TYPE mip4ha_aaa_results_total counter\n");
	for (size_t i = 0; i < COUNTERS_RESULT_CODES && c->aaa_result_count[i]; i++)
		rc |= textbuf_printf(b, "mip4ha_aaa_results_total{result_code=\"%u\"} %llu\n", c->aaa_result_code[i],
		                      (unsigned long long)c->aaa_result_count[i]);
	rc |= expo_prom_hist(b, "mip4ha_aaa_latency_seconds", "AMR to AMA time.", &c->aaa_latency);
	rc |= expo_prom_double(b, "mip4ha_aaa_latency_max_seconds", "gauge", "Largest AMR to AMA time.",
	                       (double)c->aaa_latency.max_us / 1e6);
	if (c->journal) {
		rc |= expo_prom_u64(b, "mip4ha_journal_records_total", "counter", "Changes recorded in the journal.", c->journal_records);
		rc |= expo_prom_u64(b, "mip4ha_journal_bytes_total", "counter", "Octets written to the journal's segments.", c->journal_bytes);
		rc |= expo_prom_u64(b, "mip4ha_journal_syncs_total", "counter", "fdatasync calls on the journal.", c->journal_syncs);
		rc |= expo_prom_u64(b, "mip4ha_journal_write_errors_total", "counter", "Journal writes that failed.", c->journal_write_errors);
		rc |= expo_prom_u64(b, "mip4ha_journal_compactions_total", "counter", "Snapshots put in place.", c->journal_compactions);
	}
	if (g->zn) {
		rc |= expo_prom_u64(b, "mip4ha_zn_lookups_total", "counter", "Ks_NAF lookups (method 2).", g->zn->lookups);
		rc |= expo_prom_u64(b, "mip4ha_zn_hits_total", "counter", "Ks_NAF lookups served from the cache.", g->zn->hits);
		rc |= expo_prom_u64(b, "mip4ha_zn_negative_hits_total", "counter", "Lookups answered by a remembered refusal.", g->zn->negative_hits);
		rc |= expo_prom_u64(b, "mip4ha_zn_birs_total", "counter", "BIRs sent to the BSF.", g->zn->birs);
		rc |= expo_prom_u64(b, "mip4ha_zn_rejects_total", "counter", "BSF refusals.", g->zn->rejects);
		rc |= expo_prom_u64(b, "mip4ha_zn_unavailable_total", "counter", "BIRs without a usable answer in time.", g->zn->unavailable);
		rc |= expo_prom_u64(b, "mip4ha_zn_cache_entries", "gauge", "Ks_NAF and refusals cached.", g->zn->entries);
	}
	return rc;
}
