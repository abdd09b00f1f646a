#include "mip4-fa/stats.h"

const char *fa_drop_str(enum fa_drop d)
{
	static const char *const names[FA_DROP__COUNT] = {
		[FA_DROP_NONE] = "none",
		[FA_DROP_NOT_FOR_US] = "not-for-us",
		[FA_DROP_NO_AUTH] = "no-authentication",
		[FA_DROP_CHALLENGE_NO_AUTH] = "challenge-unauthenticated",
		[FA_DROP_RATE_LIMITED] = "denial-rate-limited",
		[FA_DROP_BUILD] = "build-failed",
	};
	return (unsigned)d < FA_DROP__COUNT ? names[d] : "invalid";
}

const char *fa_reply_drop_str(enum fa_reply_drop d)
{
	static const char *const names[FA_RDROP__COUNT] = {
		[FA_RDROP_NONE] = "none",
		[FA_RDROP_MALFORMED] = "malformed",
		[FA_RDROP_UNMATCHED] = "unmatched",
		[FA_RDROP_WRONG_SOURCE] = "wrong-source",
	};
	return (unsigned)d < FA_RDROP__COUNT ? names[d] : "invalid";
}

const char *fa_aaa_outcome_str(enum fa_aaa_outcome o)
{
	static const char *const names[FA_AAA__COUNT] = {
		[FA_AAA_NONE] = "none",
		[FA_AAA_SUCCESS] = "success",
		[FA_AAA_REPLY_FAILURE] = "reply-failure",
		[FA_AAA_AUTH_REJECTED] = "authentication-rejected",
		[FA_AAA_HA_NOT_AVAILABLE] = "ha-not-available",
		[FA_AAA_OTHER_ERROR] = "other-error",
		[FA_AAA_TIMEOUT] = "timeout",
		[FA_AAA_UNUSABLE] = "unusable",
		[FA_AAA_UNMATCHED] = "unmatched",
	};
	return (unsigned)o < FA_AAA__COUNT ? names[o] : "invalid";
}

static const char *stats_reg_err(unsigned i) { return reg_err_str((enum reg_err)i); }
static const char *stats_inet_err(unsigned i) { return inet_err_str((enum inet_err)i); }
static const char *stats_adv_err(unsigned i) { return adv_err_str((enum adv_err)i); }
static const char *stats_drop(unsigned i) { return fa_drop_str((enum fa_drop)i); }
static const char *stats_rdrop(unsigned i) { return fa_reply_drop_str((enum fa_reply_drop)i); }
static const char *stats_aaa(unsigned i) { return fa_aaa_outcome_str((enum fa_aaa_outcome)i); }

int stats_json(const struct fa_stats *s, const struct fa_stats_gauges *g, const char *more, struct textbuf *b)
{
	int rc = textbuf_printf(b,
		"{\"uptime_s\":%llu,\"visitors\":%zu,\"pending\":%zu,\"requests\":%llu,\"relayed\":%llu,"
		"\"retransmissions\":%llu,\"replies\":%llu,\"timeouts\":%llu,\"icmp_errors\":%llu,"
		"\"visitors_expired\":%llu,\"advertisements\":%llu,\"advertisements_solicited\":%llu,"
		"\"advertisement_seq\":%u,\"solicitations\":%llu,\"send_errors\":%llu,",
		(unsigned long long)g->uptime_s, g->visitors, g->pending, (unsigned long long)s->requests,
		(unsigned long long)s->relayed, (unsigned long long)s->retransmissions, (unsigned long long)s->replies,
		(unsigned long long)s->timeouts, (unsigned long long)s->icmp_errors,
		(unsigned long long)s->visitors_expired, (unsigned long long)s->advertisements,
		(unsigned long long)s->advertisements_solicited, g->adv_seq, (unsigned long long)s->solicitations,
		(unsigned long long)s->send_errors);
	rc |= expo_json_codes(b, "denied", s->denied, 64, 127);
	rc |= textbuf_printf(b, ",");
	rc |= expo_json_codes(b, "replies_relayed", s->replies_relayed, 0, 255);
	rc |= textbuf_printf(b, ",");
	rc |= expo_json_named(b, "malformed", s->malformed, REG_ERR__COUNT, stats_reg_err);
	rc |= textbuf_printf(b, ",");
	rc |= expo_json_named(b, "link_malformed", s->link_malformed, INET_ERR__COUNT, stats_inet_err);
	rc |= textbuf_printf(b, ",");
	rc |= expo_json_named(b, "dropped", s->dropped, FA_DROP__COUNT, stats_drop);
	rc |= textbuf_printf(b, ",");
	rc |= expo_json_named(b, "replies_dropped", s->replies_dropped, FA_RDROP__COUNT, stats_rdrop);
	rc |= textbuf_printf(b, ",");
	rc |= expo_json_named(b, "icmp_malformed", s->icmp_malformed, ADV_ERR__COUNT, stats_adv_err);
	rc |= textbuf_printf(b, ",\"home_agent\":{");
	rc |= expo_json_hist_summary(b, "latency", &s->ha_latency);
	rc |= textbuf_printf(b, ",");
	rc |= expo_json_hist(b, "latency_histogram_ms", &s->ha_latency);
	rc |= textbuf_printf(b, "},\"aaa\":{\"requests\":%llu,\"send_errors\":%llu,\"mn_fa_keys\":%llu,"
	                     "\"fa_ha_keys\":%llu,\"sas_expired\":%llu,",
	                     (unsigned long long)s->aaa_requests, (unsigned long long)s->aaa_send_errors,
	                     (unsigned long long)s->mn_fa_keys, (unsigned long long)s->fa_ha_keys,
	                     (unsigned long long)s->sas_expired);
	rc |= expo_json_named(b, "outcomes", s->aaa_outcomes, FA_AAA__COUNT, stats_aaa);
	rc |= textbuf_printf(b, ",");
	rc |= expo_json_hist_summary(b, "latency", &s->aaa_latency);
	return rc | textbuf_printf(b, "}%s%s}\n", more ? "," : "", more ? more : "");
}

int stats_prometheus(const struct fa_stats *s, const struct fa_stats_gauges *g, struct textbuf *b)
{
	int rc = 0;
	rc |= expo_prom_u64(b, "mip4fa_uptime_seconds", "gauge", "Seconds since start.", g->uptime_s);
	rc |= expo_prom_u64(b, "mip4fa_visitors", "gauge", "Mobile nodes in the visitor list.", g->visitors);
	rc |= expo_prom_u64(b, "mip4fa_pending", "gauge", "Requests relayed and not yet answered.", g->pending);
	rc |= expo_prom_u64(b, "mip4fa_requests_total", "counter", "Registration requests seen on the visited link.",
	                    s->requests);
	rc |= expo_prom_u64(b, "mip4fa_relayed_total", "counter", "Requests relayed to a home agent.", s->relayed);
	rc |= expo_prom_u64(b, "mip4fa_retransmissions_total", "counter", "Pending requests relayed again.",
	                    s->retransmissions);
	rc |= expo_prom_codes(b, "mip4fa_denied_total", "Requests denied by the foreign agent, by code.", "code",
	                      s->denied, 64, 127);
	rc |= expo_prom_u64(b, "mip4fa_replies_total", "counter", "Datagrams received from home agents.", s->replies);
	rc |= expo_prom_codes(b, "mip4fa_replies_relayed_total", "Home agents' replies relayed, by code.", "code",
	                      s->replies_relayed, 0, 255);
	rc |= expo_prom_named(b, "mip4fa_malformed_total", "Requests that failed to parse, by reason.", "reason",
	                      s->malformed, REG_ERR__COUNT, stats_reg_err);
	rc |= expo_prom_named(b, "mip4fa_link_malformed_total", "Bad IPv4/UDP datagrams on the visited link, by reason.",
	                      "reason", s->link_malformed, INET_ERR__COUNT, stats_inet_err);
	rc |= expo_prom_named(b, "mip4fa_dropped_total", "Requests dropped without a reply, by reason.", "reason",
	                      s->dropped, FA_DROP__COUNT, stats_drop);
	rc |= expo_prom_named(b, "mip4fa_replies_dropped_total", "Replies from home agents dropped, by reason.",
	                      "reason", s->replies_dropped, FA_RDROP__COUNT, stats_rdrop);
	rc |= expo_prom_u64(b, "mip4fa_timeouts_total", "counter", "Requests the home agent did not answer (78).",
	                    s->timeouts);
	rc |= expo_prom_u64(b, "mip4fa_icmp_errors_total", "counter",
	                    "Requests answered with an ICMP error (80-88).", s->icmp_errors);
	rc |= expo_prom_u64(b, "mip4fa_visitors_expired_total", "counter", "Registrations that ran out.",
	                    s->visitors_expired);
	rc |= expo_prom_u64(b, "mip4fa_advertisements_total", "counter", "Periodic agent advertisements sent.",
	                    s->advertisements);
	rc |= expo_prom_u64(b, "mip4fa_advertisements_solicited_total", "counter",
	                    "Agent advertisements sent in answer to solicitations.", s->advertisements_solicited);
	rc |= expo_prom_u64(b, "mip4fa_solicitations_total", "counter", "Agent solicitations received.",
	                    s->solicitations);
	rc |= expo_prom_named(b, "mip4fa_icmp_malformed_total", "ICMP messages that are no valid solicitation.",
	                      "reason", s->icmp_malformed, ADV_ERR__COUNT, stats_adv_err);
	rc |= expo_prom_u64(b, "mip4fa_send_errors_total", "counter", "Datagrams the kernel refused to send.",
	                    s->send_errors);
	rc |= expo_prom_hist(b, "mip4fa_home_agent_latency_seconds", "Relayed request to the home agent's reply.",
	                     &s->ha_latency);
	rc |= expo_prom_u64(b, "mip4fa_aaa_requests_total", "counter", "AMRs sent (FA care-of mode with the AAA).",
	                    s->aaa_requests);
	rc |= expo_prom_u64(b, "mip4fa_aaa_send_errors_total", "counter", "AMRs that could not be sent.",
	                    s->aaa_send_errors);
	rc |= expo_prom_named(b, "mip4fa_aaa_outcomes_total", "What became of the AMRs, by outcome.", "outcome",
	                      s->aaa_outcomes, FA_AAA__COUNT, stats_aaa);
	rc |= expo_prom_u64(b, "mip4fa_mn_fa_keys_total", "counter", "MN-FA associations installed from the AAA.",
	                    s->mn_fa_keys);
	rc |= expo_prom_u64(b, "mip4fa_fa_ha_keys_total", "counter", "FA-HA associations installed from the AAA.",
	                    s->fa_ha_keys);
	rc |= expo_prom_u64(b, "mip4fa_sas_expired_total", "counter", "Associations from the AAA that ran out.",
	                    s->sas_expired);
	rc |= expo_prom_hist(b, "mip4fa_aaa_latency_seconds", "AMR to AMA.", &s->aaa_latency);
	return rc;
}
