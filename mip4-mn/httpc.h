/*
 * mip4-mn-httpc: the small blocking HTTP/1.1 client the mobile node's Ub
 * client needs: one keep-alive connection over TCP or TLS (OpenSSL, the
 * server's certificate checked against a CA file and the URL's host name),
 * requests with explicit headers, responses read with Content-Length only
 * (no chunked transfer), everything bounded and under a deadline.
 */
#ifndef MIP4_MN_HTTPC_H
#define MIP4_MN_HTTPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTPC_MAX_HEADER_BYTES 16384
#define HTTPC_MAX_HEADERS 32
#define HTTPC_MAX_BODY 16384

struct httpc_url {
	bool tls;
	char host[256];
	char port[8];
	char path[256];
};

/* http://HOST[:PORT][/PATH] or https://...; HOST a name, an IPv4 address or
 * [IPv6].  Default ports 80 and 443, default path "/". */
bool httpc_url_parse(const char *url, struct httpc_url *u);

struct httpc_response {
	int status;
	size_t n_headers;
	const char *name[HTTPC_MAX_HEADERS], *value[HTTPC_MAX_HEADERS]; /* into buf */
	const uint8_t *body;
	size_t body_len;
	char buf[HTTPC_MAX_HEADER_BYTES + HTTPC_MAX_BODY + 2];
};

struct httpc;

/* Connect (and handshake) within timeout_ms.  address: where to connect (NULL:
 * the URL's host, resolved); the URL's host still names the server in Host and
 * for the certificate check.  ca_file: the CA to trust for https (NULL: the
 * system's).  NULL with a one-line reason in err. */
struct httpc *httpc_open(const struct httpc_url *u, const char *address, const char *ca_file, int timeout_ms,
                         char *err, size_t errlen);
void httpc_close(struct httpc *c);

/* Send "METHOD PATH HTTP/1.1" with Host, the given header lines ("Name:
 * value", NULL-terminated list, may be NULL), Content-Length when body_len > 0,
 * then read the response.  0, or -1 with err set (the connection is then
 * unusable). */
int httpc_request(struct httpc *c, const char *method, const char *path, const char *const *headers,
                  const uint8_t *body, size_t body_len, struct httpc_response *r, char *err, size_t errlen);

/* The first header of that name (any case), or NULL. */
const char *httpc_header(const struct httpc_response *r, const char *name);
/* How many headers of that name. */
size_t httpc_header_count(const struct httpc_response *r, const char *name);

#endif
