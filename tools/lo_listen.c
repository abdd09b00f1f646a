/*
 * lo_listen.fdx: make freeDiameterd listen only on the addresses given as the
 * extension's argument (default 127.0.0.1), e.g.
 *     LoadExtension = "build/tools/lo_listen.fdx" : "127.0.0.1";
 * freeDiameter 1.2.1 silently drops loopback addresses given with ListenOn and
 * then binds every interface; endpoints added with EP_ACCEPTALL are kept.
 * Extensions are initialised during parseconf, before the servers start.
 */
#include <freeDiameter/extension.h>

#include <netdb.h>
#include <string.h>

#define LO_LISTEN_MAX_ARG 512

static int lo_listen_add(const char *addr)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_flags = AI_NUMERICHOST };
	struct addrinfo *ai = NULL;
	int rc = getaddrinfo(addr, NULL, &hints, &ai);
	if (rc != 0) {
		fd_log_error("lo_listen: '%s' is not a numeric address: %s", addr, gai_strerror(rc));
		return EINVAL;
	}
	rc = fd_ep_add_merge(&fd_g_config->cnf_endpoints, ai->ai_addr, ai->ai_addrlen,
	                     EP_FL_CONF | EP_ACCEPTALL);
	freeaddrinfo(ai);
	if (rc == 0)
		fd_log_notice("lo_listen: listening on %s only", addr);
	return rc;
}

static int lo_listen_entry(char *conffile)
{
	char list[LO_LISTEN_MAX_ARG];
	const char *arg = conffile ? conffile : "127.0.0.1";
	if (strlen(arg) >= sizeof(list)) {
		fd_log_error("lo_listen: address list longer than %d characters", LO_LISTEN_MAX_ARG - 1);
		return EINVAL;
	}
	strcpy(list, arg);
	char *save = NULL;
	int n = 0;
	for (char *a = strtok_r(list, " ,", &save); a; a = strtok_r(NULL, " ,", &save), n++) {
		int rc = lo_listen_add(a);
		if (rc)
			return rc;
	}
	if (n == 0) {
		fd_log_error("lo_listen: no address given");
		return EINVAL;
	}
	return 0;
}

#pragma GCC visibility push(default)
EXTENSION_ENTRY("lo_listen", lo_listen_entry);
#pragma GCC visibility pop
