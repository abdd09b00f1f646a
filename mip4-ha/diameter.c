#include "mip4-ha/diameter.h"

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "dict/dict_avp.h"
#include "dict/dict_base.h"
#include "dict/dict_mip4.h"
#include "dict/dict_zn.h"
#include "lib/deadline.h"
#include "lib/log.h"
#include "mip4-ha/reg_zn.h"

struct dia_node {
	struct dia_node *next;
	struct aaa_answer a;
};

static struct {
	bool started;
	struct dict_base base;
	struct dict_mip4 mip;
	struct dict_zn dz;
	const struct conf_diameter *conf;
	char *dest_realm;
	char *dest_host;
	struct zn *zn;              /* method 2: the Ks_NAF cache and BIR sender */
	struct disp_hdl *har_hdl;
	struct zn_bir_params bir;
	struct event *wake;
	pthread_mutex_t lock;
	struct dia_node *head, *tail;
	size_t queued;
} dia = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void dia_log(int level, const char *fmt, va_list ap)
{
	/* Called with freeDiameter's log lock held: never log through it here. */
	enum log_level l = level >= FD_LOG_ERROR ? LOG_LEVEL_WARNING : level >= FD_LOG_NOTICE ? LOG_LEVEL_NOTICE
	                                                                                    : LOG_LEVEL_DEBUG;
	if (!log_enabled(l) && level != FD_LOG_FATAL)
		return;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	/* A normal fd_core_shutdown() announces itself as FATAL. */
	if (level == FD_LOG_FATAL && strstr(msg, "Initiating freeDiameter shutdown sequence"))
		l = LOG_LEVEL_NOTICE;
	if (!log_enabled(l))
		return;
	for (char *p = msg; *p; p++)
		if (*p == '\t')
			*p = ' ';
	log_msg(l, "freeDiameter: %s", msg);
}

/* Message hooks: without them libfdcore renders every message as text, which
 * costs time and would put MIP-Session-Key into debug logs.  Errors are logged
 * without the message content. */
static void dia_hook(enum fd_hook_type type, struct msg *msg, struct peer_hdr *peer, void *other,
                     struct fd_hook_permsgdata *pmd, void *regdata)
{
	(void)msg, (void)pmd, (void)regdata;
	const char *what = NULL;
	switch (type) {
	case HOOK_MESSAGE_PARSING_ERROR:
	case HOOK_MESSAGE_PARSING_ERROR2:
		what = "message parsing error";
		break;
	case HOOK_MESSAGE_ROUTING_ERROR:
		what = "routing error";
		break;
	case HOOK_MESSAGE_DROPPED:
		what = "message dropped";
		break;
	case HOOK_MESSAGE_FAILOVER:
		what = "message failover";
		break;
	case HOOK_PEER_CONNECT_FAILED:
		log_msg(LOG_LEVEL_WARNING, "diameter: connection to %s failed: %s", peer ? peer->info.pi_diamid : "?",
		        other ? (const char *)other : "");
		return;
	case HOOK_PEER_CONNECT_SUCCESS:
		log_msg(LOG_LEVEL_NOTICE, "diameter: connected to %s", peer ? peer->info.pi_diamid : "?");
		return;
	default:
		return;
	}
	log_msg(LOG_LEVEL_WARNING, "diameter: %s%s%s%s", what, peer ? " (peer " : "", peer ? peer->info.pi_diamid : "",
	        peer ? ")" : "");
}

static void dia_push(struct aaa_answer *a)
{
	/* No cap: every entry stands for one pending registration, and those are
	 * capped by max_pending. */
	struct dia_node *n = malloc(sizeof *n);
	if (!n) {
		/* The loop's sweep of overdue pending entries answers this one. */
		OPENSSL_cleanse(a->key, sizeof a->key);
		OPENSSL_cleanse(a->fa_key, sizeof a->fa_key);
		dia_har_free(a);
		return;
	}
	pthread_mutex_lock(&dia.lock);
	n->next = NULL;
	n->a = *a;
	if (dia.tail)
		dia.tail->next = n;
	else
		dia.head = n;
	dia.tail = n;
	dia.queued++;
	pthread_mutex_unlock(&dia.lock);
	OPENSSL_cleanse(a->key, sizeof a->key);
	OPENSSL_cleanse(a->fa_key, sizeof a->fa_key);
	if (dia.wake)
		event_active(dia.wake, EV_READ, 0);
}

bool dia_pop(struct aaa_answer *out)
{
	pthread_mutex_lock(&dia.lock);
	struct dia_node *n = dia.head;
	if (n) {
		dia.head = n->next;
		if (!dia.head)
			dia.tail = NULL;
		dia.queued--;
	}
	pthread_mutex_unlock(&dia.lock);
	if (!n)
		return false;
	*out = n->a;
	OPENSSL_cleanse(n, sizeof *n);
	free(n);
	return true;
}

static struct avp_hdr *dia_child_hdr(struct avp *child)
{
	struct avp_hdr *h = NULL;
	return fd_msg_avp_hdr(child, &h) == 0 ? h : NULL;
}

/* Walk a grouped AVP, filling what the HA uses from either MSA. */
static void dia_read_msa(struct avp *grouped, struct aaa_answer *a, bool ha_to_mn)
{
	struct avp *c = NULL;
	if (fd_msg_browse(grouped, MSG_BRW_FIRST_CHILD, &c, NULL) != 0)
		return;
	for (; c; fd_msg_browse(c, MSG_BRW_NEXT, &c, NULL)) {
		struct avp_hdr *h = dia_child_hdr(c);
		if (!h || !h->avp_value || h->avp_vendor != 0)
			continue;
		switch (h->avp_code) {
		case 345: /* MIP-Algorithm-Type */
			a->alg = h->avp_value->u32;
			break;
		case 346: /* MIP-Replay-Mode */
			a->replay_mode = h->avp_value->u32;
			break;
		case 343: /* MIP-Session-Key */
			if (ha_to_mn && h->avp_value->os.len > 0 && h->avp_value->os.len <= sizeof a->key) {
				memcpy(a->key, h->avp_value->os.data, h->avp_value->os.len);
				a->key_len = h->avp_value->os.len;
				a->has_key = true;
			}
			break;
		case 335: /* MIP-nonce */
			if (!ha_to_mn && h->avp_value->os.len <= sizeof a->nonce) {
				memcpy(a->nonce, h->avp_value->os.data, h->avp_value->os.len);
				a->nonce_len = h->avp_value->os.len;
				a->has_nonce = true;
			}
			break;
		default:
			break;
		}
	}
}

/* MIP-HA-to-FA-MSA: the FA-HA key (RFC 4004 §9.3). */
static void dia_read_ha_fa_msa(struct avp *grouped, struct aaa_answer *a)
{
	struct avp *c = NULL;
	bool has_spi = false;
	if (fd_msg_browse(grouped, MSG_BRW_FIRST_CHILD, &c, NULL) != 0)
		return;
	for (; c; fd_msg_browse(c, MSG_BRW_NEXT, &c, NULL)) {
		struct avp_hdr *h = dia_child_hdr(c);
		if (!h || !h->avp_value || h->avp_vendor != 0)
			continue;
		if (h->avp_code == 323) { /* MIP-HA-to-FA-SPI */
			a->fa_spi = h->avp_value->u32;
			has_spi = true;
		} else if (h->avp_code == 343 && h->avp_value->os.len > 0 && h->avp_value->os.len <= sizeof a->fa_key) {
			memcpy(a->fa_key, h->avp_value->os.data, h->avp_value->os.len);
			a->fa_key_len = h->avp_value->os.len;
		}
	}
	a->has_fa_key = has_spi && a->fa_spi >= REG_SPI_MIN && a->fa_key_len > 0;
}

static void dia_read_answer(struct msg *ans, struct aaa_answer *a)
{
	struct avp *avp = NULL;
	for (fd_msg_browse(ans, MSG_BRW_FIRST_CHILD, &avp, NULL); avp; fd_msg_browse(avp, MSG_BRW_NEXT, &avp, NULL)) {
		struct avp_hdr *h = dia_child_hdr(avp);
		if (!h || h->avp_vendor != 0)
			continue;
		switch (h->avp_code) {
		case 268: /* Result-Code */
			if (h->avp_value)
				a->result_code = h->avp_value->u32;
			break;
		case 297: /* Experimental-Result: no MIPv4 meaning, count it as unspecified */
			if (!a->result_code)
				a->result_code = 5012;
			break;
		case 291: /* Authorization-Lifetime */
			if (h->avp_value) {
				a->auth_lifetime = h->avp_value->u32;
				a->has_auth_lifetime = true;
			}
			break;
		case 367: /* MIP-MSA-Lifetime */
			if (h->avp_value) {
				a->msa_lifetime = h->avp_value->u32;
				a->has_msa_lifetime = true;
			}
			break;
		case 333: /* MIP-Mobile-Node-Address: 2-octet family then the address */
			if (h->avp_value && h->avp_value->os.len == 6 && h->avp_value->os.data[0] == 0 &&
			    h->avp_value->os.data[1] == 1) {
				memcpy(&a->mn_addr, h->avp_value->os.data + 2, 4);
				a->has_mn_addr = true;
			}
			break;
		case 331: /* MIP-MN-to-HA-MSA */
			dia_read_msa(avp, a, false);
			break;
		case 332: /* MIP-HA-to-MN-MSA */
			dia_read_msa(avp, a, true);
			break;
		case 329: /* MIP-HA-to-FA-MSA (HAR) */
			dia_read_ha_fa_msa(avp, a);
			break;
		case 320: /* MIP-Reg-Request (HAR) */
			if (h->avp_value && !a->rrq && h->avp_value->os.len >= REG_RRQ_FIXED_LEN &&
			    h->avp_value->os.len <= REG_MAX_DATAGRAM && (a->rrq = malloc(h->avp_value->os.len))) {
				memcpy(a->rrq, h->avp_value->os.data, h->avp_value->os.len);
				a->rrq_len = h->avp_value->os.len;
			}
			break;
		default:
			break;
		}
	}
}

static void dia_anscb(void *data, struct msg **ans)
{
	struct aaa_answer a;
	memset(&a, 0, sizeof a);
	a.pending_id = (uint64_t)(uintptr_t)data;
	a.status = AAA_ANSWERED;
	clock_gettime(CLOCK_MONOTONIC, &a.at);
	if (ans && *ans) {
		dia_read_answer(*ans, &a);
		fd_msg_free(*ans);
		*ans = NULL;
	}
	if (!a.result_code)
		a.result_code = 5012; /* an answer without Result-Code is unusable */
	dia_push(&a);
}

static void dia_expirecb(void *data, DiamId_t sentto, size_t senttolen, struct msg **req)
{
	(void)sentto, (void)senttolen;
	struct aaa_answer a;
	memset(&a, 0, sizeof a);
	a.pending_id = (uint64_t)(uintptr_t)data;
	a.status = AAA_TIMED_OUT;
	clock_gettime(CLOCK_MONOTONIC, &a.at);
	if (req && *req) {
		fd_msg_free(*req);
		*req = NULL;
	}
	dia_push(&a);
}

int dia_send_amr(const struct reg_msg *m, uint64_t pending_id, uint32_t timeout_ms)
{
	struct msg *req = NULL;
	struct avp *grp = NULL;
	if (!dia.started || !m->nai.p || !m->mn_aaa.present)
		return -1;
	if (fd_msg_new(dia.mip.cmd_amr, MSGFL_ALLOC_ETEID, &req) != 0)
		return -1;
	int rc = 0;
	rc |= fd_msg_new_session(req, (os0_t) "mip4ha", 6);
	rc |= fd_msg_add_origin(req, 0);
	rc |= dict_avp_add_u32(req, dia.base.auth_application_id, MIP4_APP_ID);
	rc |= dict_avp_add_os(req, dia.base.destination_realm, dia.dest_realm, strlen(dia.dest_realm));
	if (*dia.dest_host)
		rc |= dict_avp_add_os(req, dia.base.destination_host, dia.dest_host, strlen(dia.dest_host));
	rc |= dict_avp_add_os(req, dia.base.user_name, m->nai.p, m->nai.len);
	rc |= dict_avp_add_os(req, dia.mip.mip_reg_request, m->buf, m->len);
	if (fd_msg_avp_new(dia.mip.mip_mn_aaa_auth, 0, &grp) != 0) {
		fd_msg_free(req);
		return -1;
	}
	rc |= dict_avp_add_u32(grp, dia.mip.mip_mn_aaa_spi, m->mn_aaa.spi);
	rc |= dict_avp_add_u32(grp, dia.mip.mip_auth_input_data_length, (uint32_t)m->mn_aaa.covered_len);
	rc |= dict_avp_add_u32(grp, dia.mip.mip_authenticator_length, (uint32_t)m->mn_aaa.authenticator.len);
	rc |= dict_avp_add_u32(grp, dia.mip.mip_authenticator_offset, (uint32_t)m->mn_aaa.covered_len);
	if (fd_msg_avp_add(req, MSG_BRW_LAST_CHILD, grp) != 0) {
		fd_msg_free(grp);
		rc = -1;
	}
	if (m->home_addr != 0)
		rc |= dict_avp_add_addr4(req, dia.mip.mip_mobile_node_address, m->home_addr);
	if (m->ha_addr != 0 && m->ha_addr != 0xffffffffu)
		rc |= dict_avp_add_addr4(req, dia.mip.mip_home_agent_address, m->ha_addr);
	uint32_t fv = MIP4_FV_CO_LOCATED_MOBILE_NODE;
	if (m->mn_ha_keyreq.present)
		fv |= MIP4_FV_MN_HA_KEY_REQUEST;
	if (m->home_addr == 0 || m->home_addr == 0xffffffffu)
		fv |= MIP4_FV_MN_HOME_ADDRESS_REQUESTED;
	rc |= dict_avp_add_u32(req, dia.mip.mip_feature_vector, fv);
	if (m->lifetime)
		rc |= dict_avp_add_u32(req, dia.base.authorization_lifetime, m->lifetime);
	if (rc != 0) {
		fd_msg_free(req);
		return -1;
	}
	struct timespec deadline = deadline_in_ms(timeout_ms);
	if (fd_msg_send_timeout(&req, dia_anscb, (void *)(uintptr_t)pending_id, dia_expirecb, &deadline) != 0) {
		if (req)
			fd_msg_free(req);
		return -1;
	}
	return 0;
}

void dia_har_free(struct aaa_answer *a)
{
	free(a->rrq);
	a->rrq = NULL;
	if (a->har_answer)
		fd_msg_free(a->har_answer);
	a->har_answer = NULL;
}

/* Send ans with Result-Code rc, plus Failed-AVP{failed} when given. */
static void dia_haa_send(struct msg *ans, uint32_t rc, struct avp *failed)
{
	int e = dict_avp_add_u32(ans, dia.base.auth_application_id, MIP4_APP_ID);
	e |= dict_avp_add_u32(ans, dia.base.result_code, rc);
	e |= fd_msg_add_origin(ans, 0);
	struct avp *fa = NULL;
	if (failed && fd_msg_avp_new(dia.base.failed_avp, 0, &fa) == 0 && fd_msg_avp_add(fa, MSG_BRW_LAST_CHILD, failed) == 0)
		e |= fd_msg_avp_add(ans, MSG_BRW_LAST_CHILD, fa);
	if (e != 0)
		log_msg(LOG_LEVEL_WARNING, "diameter: cannot build the HAA");
	if (fd_msg_send(&ans, NULL, NULL) != 0 && ans)
		fd_msg_free(ans);
}

/* A HAR (freeDiameter thread): copy the request and its keys, keep the
 * answer, and hand both to the loop. */
static int dia_har_cb(struct msg **msg, struct avp *avp, struct session *sess, void *opaque, enum disp_action *act)
{
	(void)avp, (void)sess, (void)opaque;
	*act = DISP_ACT_CONT;
	struct aaa_answer a;
	memset(&a, 0, sizeof a);
	a.har = true;
	a.status = AAA_ANSWERED;
	clock_gettime(CLOCK_MONOTONIC, &a.at);
	dia_read_answer(*msg, &a);
	a.result_code = 0;
	struct avp *rrq = dict_avp_find(*msg, dia.mip.mip_reg_request);
	if (fd_msg_new_answer_from_req(fd_g_config->cnf_dict, msg, 0) != 0) {
		free(a.rrq);
		OPENSSL_cleanse(&a, sizeof a);
		return ENOMEM; /* freeDiameter answers the request itself */
	}
	struct msg *ans = *msg;
	*msg = NULL;
	if (!a.rrq) {
		/* RFC 6733 §7.5: a missing AVP is named with an example of it. */
		OPENSSL_cleanse(&a, sizeof a);
		dia_haa_send(ans, rrq ? MIP4_RC_INVALID_AVP_VALUE : MIP4_RC_MISSING_AVP,
		             dict_avp_example(dia.mip.mip_reg_request, rrq));
		return 0;
	}
	a.har_answer = ans;
	dia_push(&a);
	return 0;
}

void dia_answer_har(struct aaa_answer *a, const uint8_t *rrp, size_t len, uint32_t home_addr)
{
	struct msg *ans = a->har_answer;
	a->har_answer = NULL;
	free(a->rrq);
	a->rrq = NULL;
	if (!ans)
		return;
	int e = 0;
	if (len)
		e |= dict_avp_add_os(ans, dia.mip.mip_reg_reply, rrp, len);
	if (a->result_code == MIP4_RC_SUCCESS && home_addr)
		e |= dict_avp_add_addr4(ans, dia.mip.mip_mobile_node_address, home_addr);
	if (e != 0) {
		log_msg(LOG_LEVEL_WARNING, "diameter: cannot add the registration reply to the HAA");
		a->result_code = MIP4_RC_UNABLE_TO_COMPLY;
	}
	dia_haa_send(ans, a->result_code, NULL);
}

static void dia_zn_done(void *arg, const struct zn_answer *za)
{
	struct aaa_answer a;
	struct timespec at;
	clock_gettime(CLOCK_MONOTONIC, &at);
	reg_zn_outcome(&a, (uint64_t)(uintptr_t)arg, za, &at);
	dia_push(&a);
}

void dia_zn_lookup(const uint8_t *btid, size_t len, uint64_t pending_id, int64_t now_unix)
{
	zn_lookup(dia.zn, (const char *)btid, len, now_unix, dia_zn_done, (void *)(uintptr_t)pending_id);
}

void dia_zn_stats(struct zn_stats *s)
{
	if (dia.zn)
		zn_get_stats(dia.zn, s);
	else
		memset(s, 0, sizeof *s);
}

/* Each request goes only to peers of the role its application needs: AMRs to
 * aaa peers, BIRs to bsf peers.  Every such peer is a default route for them;
 * libfdcore's own scores (Destination-Host, then Destination-Realm) rank them
 * above that. */
static int dia_route_by_role(void *cbdata, struct msg **pmsg, struct fd_list *candidates)
{
	(void)cbdata;
	struct msg_hdr *hdr;
	if (fd_msg_hdr(*pmsg, &hdr) != 0)
		return 0;
	enum conf_role want;
	if (hdr->msg_appl == MIP4_APP_ID)
		want = CONF_ROLE_AAA;
	else if (hdr->msg_appl == ZN_APP_ID)
		want = CONF_ROLE_BSF;
	else
		return 0;
	for (struct fd_list *li = candidates->next; li != candidates; li = li->next) {
		struct rtd_candidate *c = (struct rtd_candidate *)li;
		bool ok = false;
		for (size_t i = 0; i < dia.conf->n_peers && !ok; i++) {
			const struct conf_peer *p = &dia.conf->peers[i];
			ok = p->role == want && strlen(p->identity) == c->diamidlen &&
			     strncasecmp(p->identity, c->diamid, c->diamidlen) == 0;
		}
		c->score += ok ? FD_SCORE_DEFAULT : FD_SCORE_NO_DELIVERY;
	}
	return 0;
}

static const char *dia_role_name(enum conf_role r)
{
	return r == CONF_ROLE_AAA ? "aaa" : "bsf";
}

static int dia_write_conf(const struct conf *c)
{
	const struct conf_diameter *d = &c->dia;
	int fd = memfd_create("mip4-ha-freediameter.conf", MFD_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "mip4-ha: memfd_create: %s\n", strerror(errno));
		return -1;
	}
	FILE *f = fdopen(dup(fd), "w");
	if (!f) {
		close(fd);
		return -1;
	}
	/* No Port and no SecPort: libfdcore starts no server; the HA only connects.
	 * conf.c has refused quotes, backslashes and newlines in these strings. */
	fprintf(f, "Identity = \"%s\";\nRealm = \"%s\";\nPort = 0;\nSecPort = 0;\nNo_SCTP;\nNo_IPv6;\n"
	           "AppServThreads = 2;\nNoRelay;\n",
	        d->identity, d->realm);
	if (d->tls_cert)
		fprintf(f, "TLS_Cred = \"%s\", \"%s\";\nTLS_CA = \"%s\";\n", d->tls_cert, d->tls_key, d->tls_ca);
	for (size_t i = 0; i < d->n_peers; i++) {
		const struct conf_peer *p = &d->peers[i];
		fprintf(f, "ConnectPeer = \"%s\" { ConnectTo = \"%s\"; Port = %u; TcTimer = %u;%s };\n", p->identity,
		        p->address, p->port, d->reconnect_s, p->tls ? "" : " No_TLS;");
	}
	if (fclose(f) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The address our CER advertises as Host-IP-Address (RFC 6733 §5.3): the
 * configured one, else the source address the kernel picks for the peer,
 * which is what the TCP connection will carry.  Without an endpoint of its own
 * libfdcore would advertise every non-loopback interface address (and refuse to
 * start where there is none). */
static void dia_local_endpoint(const struct conf *c, struct sockaddr_in *ep)
{
	memset(ep, 0, sizeof *ep);
	ep->sin_family = AF_INET;
	ep->sin_addr.s_addr = c->dia.host_ip_address;
	if (ep->sin_addr.s_addr)
		return;
	const struct conf_peer *first = &c->dia.peers[0];
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(first->port) };
	socklen_t len = sizeof *ep;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = s < 0 || inet_pton(AF_INET, first->address, &peer.sin_addr) != 1 ||
	         connect(s, (struct sockaddr *)&peer, sizeof peer) != 0 || getsockname(s, (struct sockaddr *)ep, &len) != 0;
	if (s >= 0)
		close(s);
	ep->sin_port = 0;
	if (rc) {
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &c->address, a, sizeof a);
		log_msg(LOG_LEVEL_WARNING, "diameter: no route to the peer %s now (%s): the CER advertises %s; "
		                           "set diameter.host_ip_address", first->address, strerror(errno), a);
		ep->sin_addr.s_addr = c->address;
	}
}

/* Method 2: the Zn dictionary, application and client. */
static int dia_zn_start(const struct conf *c)
{
	int rc = dict_zn_register();
	if (rc != 0 || (rc = dict_zn_resolve(&dia.dz)) != 0) {
		fprintf(stderr, "mip4-ha: cannot define the Zn dictionary: %s\n", strerror(rc));
		return -1;
	}
	dia.bir = (struct zn_bir_params){
		.db = &dia.base, .dz = &dia.dz, .naf_id = c->zn.naf_id, .naf_id_len = c->zn.naf_id_len,
		.realm = c->zn.realm, .host = c->zn.host, .timeout_ms = c->zn.timeout_ms,
	};
	dia.zn = zn_new(c->zn.cache_size, c->zn.negative_ttl, zn_bir_send, &dia.bir);
	if (!dia.zn) {
		fprintf(stderr, "mip4-ha: out of memory for the Zn cache\n");
		return -1;
	}
	if ((rc = fd_disp_app_support(dia.dz.app, dia.dz.vendor, 1, 0)) != 0) {
		fprintf(stderr, "mip4-ha: cannot advertise the Zn application: %s\n", strerror(rc));
		return -1;
	}
	char hex[2 * GBA_NAF_ID_MAX + 1];
	for (size_t i = 0; i < c->zn.naf_id_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", c->zn.naf_id[i]);
	log_msg(LOG_LEVEL_NOTICE, "zn: method 2 (HA as NAF), NAF_Id %s, MN-HA SPI %u, BIRs to %s%s%s", hex, c->zn.spi,
	        *c->zn.realm ? c->zn.realm : "the B-TID's domain", *c->zn.host ? " host " : "", c->zn.host);
	return 0;
}

int dia_start(const struct conf *c, struct event *wake)
{
	dia.wake = wake;
	dia.conf = &c->dia;
	dia.dest_realm = c->dia.destination_realm;
	dia.dest_host = c->dia.destination_host;
	fd_log_handler_register(dia_log);
	int rc = fd_core_initialize();
	if (rc != 0) {
		fprintf(stderr, "mip4-ha: fd_core_initialize failed: %s\n", strerror(rc));
		return -1;
	}
	if ((rc = dict_mip4_register()) != 0) {
		fprintf(stderr, "mip4-ha: cannot define the RFC 4004 dictionary: %s\n", strerror(rc));
		return -1;
	}
	if (dict_base_resolve(&dia.base) != 0 || dict_mip4_resolve(&dia.mip) != 0) {
		fprintf(stderr, "mip4-ha: dictionary objects missing\n");
		return -1;
	}
	int fd = dia_write_conf(c);
	if (fd < 0)
		return -1;
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	rc = fd_core_parseconf(path);
	close(fd);
	if (rc != 0) {
		fprintf(stderr, "%s: section 'diameter': freeDiameter refused the generated configuration (%s); "
		                "see the freeDiameter lines above\n", c->path, strerror(rc));
		return -1;
	}
	struct sockaddr_in ep;
	dia_local_endpoint(c, &ep);
	if ((rc = fd_ep_add_merge(&fd_g_config->cnf_endpoints, (sSA *)&ep, sizeof ep, EP_FL_CONF | EP_ACCEPTALL)) != 0) {
		fprintf(stderr, "mip4-ha: cannot record the local Diameter address: %s\n", strerror(rc));
		return -1;
	}
	char epa[INET_ADDRSTRLEN];
	log_msg(LOG_LEVEL_NOTICE, "diameter: CER Host-IP-Address %s", inet_ntop(AF_INET, &ep.sin_addr, epa, sizeof epa));
	struct fd_hook_hdl *h = NULL;
	rc = fd_hook_register(HOOK_MASK(HOOK_MESSAGE_RECEIVED, HOOK_MESSAGE_LOCAL, HOOK_MESSAGE_SENT,
	                                HOOK_MESSAGE_FAILOVER, HOOK_MESSAGE_PARSING_ERROR, HOOK_MESSAGE_ROUTING_ERROR,
	                                HOOK_MESSAGE_ROUTING_FORWARD, HOOK_MESSAGE_ROUTING_LOCAL, HOOK_MESSAGE_DROPPED,
	                                HOOK_PEER_CONNECT_FAILED, HOOK_PEER_CONNECT_SUCCESS, HOOK_MESSAGE_PARSING_ERROR2),
	                      dia_hook, NULL, NULL, &h);
	if (rc == 0)
		rc = fd_rt_out_register(dia_route_by_role, NULL, 20, NULL);
	if (rc == 0 && conf_peers_with_role(&c->dia, CONF_ROLE_AAA))
		rc = fd_disp_app_support(dia.mip.app, NULL, 1, 0);
	if (rc == 0 && conf_peers_with_role(&c->dia, CONF_ROLE_AAA)) {
		struct disp_when when = { .app = dia.mip.app, .command = dia.mip.cmd_har };
		rc = fd_disp_register(dia_har_cb, DISP_HOW_CC, &when, NULL, &dia.har_hdl);
	}
	if (rc == 0 && c->zn.enabled && dia_zn_start(c) != 0)
		return -1;
	if (rc == 0)
		rc = fd_core_start();
	if (rc == 0)
		rc = fd_core_waitstartcomplete();
	if (rc != 0) {
		fprintf(stderr, "mip4-ha: freeDiameter failed to start: %s\n", strerror(rc));
		return -1;
	}
	dia.started = true;
	return 0;
}

static bool dia_peer_is_open(const struct conf_peer *p)
{
	struct peer_hdr *h = NULL;
	return fd_peer_getbyid(p->identity, strlen(p->identity), 1, &h) == 0 && h && fd_peer_get_state(h) == STATE_OPEN;
}

bool dia_ready(char *desc, size_t len)
{
	if (!dia.started)
		return false;
	bool open_aaa = false, open_bsf = false;
	size_t used = 0;
	desc[0] = 0;
	for (size_t i = 0; i < dia.conf->n_peers; i++) {
		const struct conf_peer *p = &dia.conf->peers[i];
		if (!dia_peer_is_open(p))
			continue;
		*(p->role == CONF_ROLE_AAA ? &open_aaa : &open_bsf) = true;
		if (used < len)
			used += (size_t)snprintf(desc + used, len - used, "%s%s (%s)", used ? ", " : "", p->identity,
			                         dia_role_name(p->role));
	}
	return (open_aaa || !conf_peers_with_role(dia.conf, CONF_ROLE_AAA)) &&
	       (open_bsf || !conf_peers_with_role(dia.conf, CONF_ROLE_BSF));
}

void dia_stop(void)
{
	if (dia.started) {
		fd_core_shutdown();
		fd_core_wait_shutdown_complete();
		dia.started = false;
	}
	zn_free(dia.zn);
	dia.zn = NULL;
	struct aaa_answer a;
	while (dia_pop(&a)) {
		dia_har_free(&a);
		OPENSSL_cleanse(&a, sizeof a);
	}
	dia.wake = NULL;
}
