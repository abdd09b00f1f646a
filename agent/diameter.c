#include "agent/diameter.h"

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "dict/dict_mip4.h"
#include "dict/dict_zn.h"
#include "lib/log.h"

struct diameter_node {
	struct diameter_node *next;
	/* the item follows */
};

static struct {
	const char *prog;
	bool started;
	const struct conf_diameter *conf;
	size_t item_size;
	struct event *wake;
	pthread_mutex_t lock;
	struct diameter_node *head, *tail;
} dm = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void diameter_log(int level, const char *fmt, va_list ap)
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
static void diameter_hook(enum fd_hook_type type, struct msg *msg, struct peer_hdr *peer, void *other,
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

void diameter_queue(size_t item_size, struct event *wake)
{
	dm.item_size = item_size;
	dm.wake = wake;
}

int diameter_push(const void *item)
{
	/* No cap: every item stands for one pending request of the daemon, and
	 * those are capped by the daemon. */
	struct diameter_node *n = malloc(sizeof *n + dm.item_size);
	if (!n)
		return -1;
	n->next = NULL;
	memcpy(n + 1, item, dm.item_size);
	pthread_mutex_lock(&dm.lock);
	if (dm.tail)
		dm.tail->next = n;
	else
		dm.head = n;
	dm.tail = n;
	pthread_mutex_unlock(&dm.lock);
	if (dm.wake)
		event_active(dm.wake, EV_READ, 0);
	return 0;
}

bool diameter_pop(void *out)
{
	pthread_mutex_lock(&dm.lock);
	struct diameter_node *n = dm.head;
	if (n) {
		dm.head = n->next;
		if (!dm.head)
			dm.tail = NULL;
	}
	pthread_mutex_unlock(&dm.lock);
	if (!n)
		return false;
	memcpy(out, n + 1, dm.item_size);
	OPENSSL_cleanse(n, sizeof *n + dm.item_size);
	free(n);
	return true;
}

/* Each request goes only to peers of the role its application needs: Mobile
 * IPv4 to aaa peers, Zn to bsf peers.  Every such peer is a default route for
 * them; libfdcore's own scores (Destination-Host, then Destination-Realm) rank
 * them above that. */
static int diameter_route_by_role(void *cbdata, struct msg **pmsg, struct fd_list *candidates)
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
		for (size_t i = 0; i < dm.conf->n_peers && !ok; i++) {
			const struct conf_peer *p = &dm.conf->peers[i];
			ok = p->role == want && strlen(p->identity) == c->diamidlen &&
			     strncasecmp(p->identity, c->diamid, c->diamidlen) == 0;
		}
		c->score += ok ? FD_SCORE_DEFAULT : FD_SCORE_NO_DELIVERY;
	}
	return 0;
}

static const char *diameter_role_name(enum conf_role r)
{
	return r == CONF_ROLE_AAA ? "aaa" : "bsf";
}

static int diameter_write_conf(const struct conf_diameter *d)
{
	char name[64];
	snprintf(name, sizeof name, "%s-freediameter.conf", dm.prog);
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: memfd_create: %s\n", dm.prog, strerror(errno));
		return -1;
	}
	FILE *f = fdopen(dup(fd), "w");
	if (!f) {
		close(fd);
		return -1;
	}
	/* No Port and no SecPort: libfdcore starts no server; the daemon only
	 * connects.  The configuration code has refused quotes, backslashes and
	 * newlines in these strings. */
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
static void diameter_local_endpoint(const struct conf_diameter *d, uint32_t own_addr, struct sockaddr_in *ep)
{
	memset(ep, 0, sizeof *ep);
	ep->sin_family = AF_INET;
	ep->sin_addr.s_addr = d->host_ip_address;
	if (ep->sin_addr.s_addr)
		return;
	const struct conf_peer *first = &d->peers[0];
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
		inet_ntop(AF_INET, &own_addr, a, sizeof a);
		log_msg(LOG_LEVEL_WARNING, "diameter: no route to the peer %s now (%s): the CER advertises %s; "
		                           "set diameter.host_ip_address", first->address, strerror(errno), a);
		ep->sin_addr.s_addr = own_addr;
	}
}

int diameter_init(const char *prog)
{
	dm.prog = prog;
	fd_log_handler_register(diameter_log);
	int rc = fd_core_initialize();
	if (rc != 0) {
		fprintf(stderr, "%s: fd_core_initialize failed: %s\n", prog, strerror(rc));
		return -1;
	}
	if ((rc = dict_mip4_register()) != 0) {
		fprintf(stderr, "%s: cannot define the RFC 4004 dictionary: %s\n", prog, strerror(rc));
		return -1;
	}
	return 0;
}

int diameter_configure(const struct conf_diameter *d, const char *path, uint32_t own_addr)
{
	dm.conf = d;
	int fd = diameter_write_conf(d);
	if (fd < 0)
		return -1;
	char procpath[64];
	snprintf(procpath, sizeof procpath, "/proc/self/fd/%d", fd);
	int rc = fd_core_parseconf(procpath);
	close(fd);
	if (rc != 0) {
		fprintf(stderr, "%s: section 'diameter': freeDiameter refused the generated configuration (%s); "
		                "see the freeDiameter lines above\n", path, strerror(rc));
		return -1;
	}
	struct sockaddr_in ep;
	diameter_local_endpoint(d, own_addr, &ep);
	if ((rc = fd_ep_add_merge(&fd_g_config->cnf_endpoints, (sSA *)&ep, sizeof ep, EP_FL_CONF | EP_ACCEPTALL)) != 0) {
		fprintf(stderr, "%s: cannot record the local Diameter address: %s\n", dm.prog, strerror(rc));
		return -1;
	}
	char epa[INET_ADDRSTRLEN];
	log_msg(LOG_LEVEL_NOTICE, "diameter: CER Host-IP-Address %s", inet_ntop(AF_INET, &ep.sin_addr, epa, sizeof epa));
	struct fd_hook_hdl *h = NULL;
	rc = fd_hook_register(HOOK_MASK(HOOK_MESSAGE_RECEIVED, HOOK_MESSAGE_LOCAL, HOOK_MESSAGE_SENT,
	                                HOOK_MESSAGE_FAILOVER, HOOK_MESSAGE_PARSING_ERROR, HOOK_MESSAGE_ROUTING_ERROR,
	                                HOOK_MESSAGE_ROUTING_FORWARD, HOOK_MESSAGE_ROUTING_LOCAL, HOOK_MESSAGE_DROPPED,
	                                HOOK_PEER_CONNECT_FAILED, HOOK_PEER_CONNECT_SUCCESS, HOOK_MESSAGE_PARSING_ERROR2),
	                      diameter_hook, NULL, NULL, &h);
	if (rc == 0)
		rc = fd_rt_out_register(diameter_route_by_role, NULL, 20, NULL);
	if (rc != 0) {
		fprintf(stderr, "%s: freeDiameter failed to start: %s\n", dm.prog, strerror(rc));
		return -1;
	}
	return 0;
}

int diameter_run(void)
{
	int rc = fd_core_start();
	if (rc == 0)
		rc = fd_core_waitstartcomplete();
	if (rc != 0) {
		fprintf(stderr, "%s: freeDiameter failed to start: %s\n", dm.prog, strerror(rc));
		return -1;
	}
	dm.started = true;
	return 0;
}

static bool diameter_peer_is_open(const struct conf_peer *p)
{
	struct peer_hdr *h = NULL;
	return fd_peer_getbyid(p->identity, strlen(p->identity), 1, &h) == 0 && h && fd_peer_get_state(h) == STATE_OPEN;
}

bool diameter_ready(char *desc, size_t len)
{
	if (!dm.started)
		return false;
	bool open_aaa = false, open_bsf = false;
	size_t used = 0;
	desc[0] = 0;
	for (size_t i = 0; i < dm.conf->n_peers; i++) {
		const struct conf_peer *p = &dm.conf->peers[i];
		if (!diameter_peer_is_open(p))
			continue;
		*(p->role == CONF_ROLE_AAA ? &open_aaa : &open_bsf) = true;
		if (used < len)
			used += (size_t)snprintf(desc + used, len - used, "%s%s (%s)", used ? ", " : "", p->identity,
			                         diameter_role_name(p->role));
	}
	return (open_aaa || !conf_peers_with_role(dm.conf, CONF_ROLE_AAA)) &&
	       (open_bsf || !conf_peers_with_role(dm.conf, CONF_ROLE_BSF));
}

void diameter_stop(void)
{
	if (dm.started) {
		fd_core_shutdown();
		fd_core_wait_shutdown_complete();
		dm.started = false;
	}
	dm.wake = NULL;
}
