/* A small blocking HTTP/1.1 client (see httpc.h). */
#include "mip4-mn/httpc.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

struct httpc {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	struct httpc_url url;
	int timeout_ms;
	struct timespec deadline;
	/* Octets read past the end of the last response. */
	char pend[HTTPC_MAX_HEADER_BYTES];
	size_t n_pend;
};

bool httpc_url_parse(const char *url, struct httpc_url *u)
{
	memset(u, 0, sizeof *u);
	const char *p;
	if (strncmp(url, "http://", 7) == 0) {
		p = url + 7;
	} else if (strncmp(url, "https://", 8) == 0) {
		p = url + 8;
		u->tls = true;
	} else {
		return false;
	}
	const char *host = p, *host_end;
	if (*p == '[') {
		host_end = strchr(p, ']');
		if (!host_end)
			return false;
		host++;
		p = host_end + 1;
	} else {
		p += strcspn(p, ":/");
		host_end = p;
	}
	size_t hl = (size_t)(host_end - host);
	if (hl == 0 || hl >= sizeof u->host)
		return false;
	memcpy(u->host, host, hl);
	strcpy(u->port, u->tls ? "443" : "80");
	if (*p == ':') {
		p++;
		size_t pl = strspn(p, "0123456789");
		long port = pl ? strtol(p, NULL, 10) : 0;
		if (pl == 0 || pl > 5 || port < 1 || port > 65535)
			return false;
		snprintf(u->port, sizeof u->port, "%ld", port);
		p += pl;
	}
	if (*p == '\0')
		strcpy(u->path, "/");
	else if (*p != '/' || strlen(p) >= sizeof u->path || strpbrk(p, " \t\r\n") != NULL)
		return false;
	else
		strcpy(u->path, p);
	return true;
}

static int ms_left(const struct httpc *c)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (c->deadline.tv_sec - now.tv_sec) * 1000 + (c->deadline.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}

static void arm(struct httpc *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->deadline);
	c->deadline.tv_sec += c->timeout_ms / 1000;
	c->deadline.tv_nsec += (long)(c->timeout_ms % 1000) * 1000000L;
	if (c->deadline.tv_nsec >= 1000000000L) {
		c->deadline.tv_sec++;
		c->deadline.tv_nsec -= 1000000000L;
	}
}

static bool wait_fd(struct httpc *c, short events)
{
	struct pollfd p = { .fd = c->fd, .events = events };
	for (;;) {
		int n = poll(&p, 1, ms_left(c));
		if (n > 0)
			return true;
		if (n == 0 || errno != EINTR)
			return false;
	}
}

/* TLS or plain, non-blocking underneath, with the deadline. */
static ssize_t io(struct httpc *c, void *buf, size_t len, bool write_it)
{
	for (;;) {
		if (c->ssl) {
			int n = write_it ? SSL_write(c->ssl, buf, (int)len) : SSL_read(c->ssl, buf, (int)len);
			if (n > 0)
				return n;
			int e = SSL_get_error(c->ssl, n);
			if (e == SSL_ERROR_ZERO_RETURN)
				return 0;
			if ((e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) ||
			    !wait_fd(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT))
				return -1;
			continue;
		}
		ssize_t n = write_it ? send(c->fd, buf, len, MSG_NOSIGNAL) : recv(c->fd, buf, len, 0);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if ((errno != EAGAIN && errno != EWOULDBLOCK) || !wait_fd(c, write_it ? POLLOUT : POLLIN))
			return -1;
	}
}

static int tls_start(struct httpc *c, const char *ca_file, char *err, size_t errlen)
{
	c->ctx = SSL_CTX_new(TLS_client_method());
	if (!c->ctx || SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION) != 1 ||
	    (ca_file ? SSL_CTX_load_verify_locations(c->ctx, ca_file, NULL) : SSL_CTX_set_default_verify_paths(c->ctx)) !=
	            1) {
		snprintf(err, errlen, "TLS set-up (CA file %s) failed", ca_file ? ca_file : "(system)");
		return -1;
	}
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	c->ssl = SSL_new(c->ctx);
	if (!c->ssl || SSL_set_fd(c->ssl, c->fd) != 1 || SSL_set1_host(c->ssl, c->url.host) != 1 ||
	    SSL_set_tlsext_host_name(c->ssl, c->url.host) != 1) {
		snprintf(err, errlen, "TLS set-up failed");
		return -1;
	}
	for (;;) {
		int n = SSL_connect(c->ssl);
		if (n == 1)
			return 0;
		int e = SSL_get_error(c->ssl, n);
		if ((e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) &&
		    wait_fd(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT))
			continue;
		char why[160];
		long v = SSL_get_verify_result(c->ssl);
		ERR_error_string_n(ERR_get_error(), why, sizeof why);
		snprintf(err, errlen, "TLS handshake with %s failed: %s", c->url.host,
		         v != X509_V_OK ? X509_verify_cert_error_string(v) : why);
		return -1;
	}
}

struct httpc *httpc_open(const struct httpc_url *u, const char *address, const char *ca_file, int timeout_ms,
                         char *err, size_t errlen)
{
	struct httpc *c = calloc(1, sizeof *c);
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	if (errlen)
		err[0] = '\0';
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->fd = -1;
	c->url = *u;
	c->timeout_ms = timeout_ms;
	arm(c);
	const char *where = address ? address : u->host;
	int g = getaddrinfo(where, u->port, &hints, &ai);
	if (g != 0) {
		snprintf(err, errlen, "%s: %s", where, gai_strerror(g));
		goto fail;
	}
	for (struct addrinfo *a = ai; a; a = a->ai_next) {
		c->fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
		if (c->fd < 0)
			continue;
		if (connect(c->fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		int so = 0;
		socklen_t sl = sizeof so;
		if (errno == EINPROGRESS && wait_fd(c, POLLOUT) && getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &so, &sl) == 0 &&
		    so == 0)
			break;
		snprintf(err, errlen, "connect to %s port %s: %s", where, u->port,
		         so ? strerror(so) : errno == EINPROGRESS ? "timed out" : strerror(errno));
		close(c->fd);
		c->fd = -1;
	}
	freeaddrinfo(ai);
	if (c->fd < 0) {
		if (!*err)
			snprintf(err, errlen, "connect to %s port %s failed", where, u->port);
		goto fail;
	}
	if (u->tls && tls_start(c, ca_file, err, errlen) != 0)
		goto fail;
	return c;
fail:
	httpc_close(c);
	return NULL;
}

void httpc_close(struct httpc *c)
{
	if (!c)
		return;
	if (c->ssl) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	SSL_CTX_free(c->ctx);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

static int send_all(struct httpc *c, const void *p, size_t len)
{
	const char *b = p;
	while (len) {
		ssize_t n = io(c, (void *)b, len, true);
		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Parse the header block buf[0, hlen) (terminated by CRLFCRLF) in place. */
static int parse_head(struct httpc_response *r, size_t hlen, size_t *content_length, char *err, size_t errlen)
{
	char *p = r->buf, *end = r->buf + hlen;
	char *eol = strstr(p, "\r\n");
	if (!eol || strncmp(p, "HTTP/1.", 7) != 0 || eol - p < 12 || p[8] != ' ') {
		snprintf(err, errlen, "not an HTTP/1.x response");
		return -1;
	}
	*eol = '\0';
	r->status = atoi(p + 9);
	if (r->status < 100 || r->status > 599) {
		snprintf(err, errlen, "bad status line");
		return -1;
	}
	*content_length = 0;
	for (p = eol + 2; p < end && !(p[0] == '\r' && p[1] == '\n');) {
		eol = strstr(p, "\r\n");
		char *colon = memchr(p, ':', (size_t)(eol - p));
		if (!colon || r->n_headers == HTTPC_MAX_HEADERS) {
			snprintf(err, errlen, "malformed or too many header fields");
			return -1;
		}
		*eol = '\0';
		*colon = '\0';
		char *v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		for (char *t = eol - 1; t >= v && (*t == ' ' || *t == '\t'); t--)
			*t = '\0';
		r->name[r->n_headers] = p;
		r->value[r->n_headers++] = v;
		if (strcasecmp(p, "Content-Length") == 0) {
			char *e2;
			unsigned long cl = strtoul(v, &e2, 10);
			if (*v == '\0' || *e2 != '\0' || cl > HTTPC_MAX_BODY) {
				snprintf(err, errlen, "Content-Length missing a number or over %d", HTTPC_MAX_BODY);
				return -1;
			}
			*content_length = cl;
		} else if (strcasecmp(p, "Transfer-Encoding") == 0) {
			snprintf(err, errlen, "Transfer-Encoding is not supported");
			return -1;
		}
		p = eol + 2;
	}
	return 0;
}

int httpc_request(struct httpc *c, const char *method, const char *path, const char *const *headers,
                  const uint8_t *body, size_t body_len, struct httpc_response *r, char *err, size_t errlen)
{
	char head[HTTPC_MAX_HEADER_BYTES];
	int n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: %s%s%s:%s\r\n", method, path,
	                 strchr(c->url.host, ':') ? "[" : "", c->url.host, strchr(c->url.host, ':') ? "]" : "",
	                 c->url.port);
	size_t o = n > 0 ? (size_t)n : sizeof head;
	for (size_t i = 0; headers && headers[i] && o < sizeof head; i++) {
		n = snprintf(head + o, sizeof head - o, "%s\r\n", headers[i]);
		o += n > 0 ? (size_t)n : sizeof head;
	}
	if (o < sizeof head && body_len) {
		n = snprintf(head + o, sizeof head - o, "Content-Length: %zu\r\n", body_len);
		o += n > 0 ? (size_t)n : sizeof head;
	}
	if (o + 3 > sizeof head) {
		snprintf(err, errlen, "request header too long");
		return -1;
	}
	memcpy(head + o, "\r\n", 3);
	o += 2;
	arm(c);
	if (send_all(c, head, o) != 0 || (body_len && send_all(c, body, body_len) != 0)) {
		snprintf(err, errlen, "send: %s", strerror(errno));
		return -1;
	}

	memset(r, 0, offsetof(struct httpc_response, buf));
	size_t have = c->n_pend, cl = 0, hlen = 0;
	memcpy(r->buf, c->pend, have);
	c->n_pend = 0;
	for (;;) {
		r->buf[have] = '\0';
		char *eoh = strstr(r->buf, "\r\n\r\n");
		if (eoh) {
			hlen = (size_t)(eoh - r->buf) + 4;
			break;
		}
		if (have >= HTTPC_MAX_HEADER_BYTES) {
			snprintf(err, errlen, "response header over %d octets", HTTPC_MAX_HEADER_BYTES);
			return -1;
		}
		ssize_t got = io(c, r->buf + have, HTTPC_MAX_HEADER_BYTES - have, false);
		if (got <= 0) {
			snprintf(err, errlen, "%s", got == 0 ? "connection closed by the server" : "no response in time");
			return -1;
		}
		have += (size_t)got;
	}
	if (parse_head(r, hlen, &cl, err, errlen) != 0)
		return -1;
	while (have < hlen + cl) {
		ssize_t got = io(c, r->buf + have, hlen + cl - have, false);
		if (got <= 0) {
			snprintf(err, errlen, "response body cut short");
			return -1;
		}
		have += (size_t)got;
	}
	r->body = (const uint8_t *)r->buf + hlen;
	r->body_len = cl;
	if (have > hlen + cl) {
		c->n_pend = have - hlen - cl;
		if (c->n_pend > sizeof c->pend) {
			snprintf(err, errlen, "too much data after the response");
			return -1;
		}
		memcpy(c->pend, r->buf + hlen + cl, c->n_pend);
	}
	r->buf[hlen + cl] = '\0';
	return 0;
}

const char *httpc_header(const struct httpc_response *r, const char *name)
{
	for (size_t i = 0; i < r->n_headers; i++)
		if (strcasecmp(r->name[i], name) == 0)
			return r->value[i];
	return NULL;
}

size_t httpc_header_count(const struct httpc_response *r, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_headers; i++)
		n += strcasecmp(r->name[i], name) == 0;
	return n;
}
