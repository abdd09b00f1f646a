/* mip4-mn-httpc: URLs, and responses from a canned server on loopback:
 * keep-alive, Content-Length bodies, bounds, what it refuses. */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mip4-mn/httpc.h"

Test(httpc, urls)
{
	struct httpc_url u;
	cr_assert(httpc_url_parse("http://127.0.0.1:8080/", &u));
	cr_expect(!u.tls);
	cr_expect_str_eq(u.host, "127.0.0.1");
	cr_expect_str_eq(u.port, "8080");
	cr_expect_str_eq(u.path, "/");
	cr_assert(httpc_url_parse("https://bsf.lab.example", &u));
	cr_expect(u.tls);
	cr_expect_str_eq(u.port, "443");
	cr_expect_str_eq(u.path, "/");
	cr_assert(httpc_url_parse("http://[::1]:81/ub/x", &u));
	cr_expect_str_eq(u.host, "::1");
	cr_expect_str_eq(u.path, "/ub/x");
	static const char *const bad[] = { "ftp://x/", "http://", "http://:80/", "http://h:0/", "http://h:65536/",
		                            "http://h:8x/", "http://[::1/", "http://h/a b" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect(!httpc_url_parse(bad[i], &u), "%s", bad[i]);
}

struct canned {
	int lfd;
	const char *reply;   /* sent after each request's blank line */
	int requests;
};

static void *serve(void *arg)
{
	struct canned *c = arg;
	int fd = accept(c->lfd, NULL, NULL);
	char buf[8192];
	size_t have = 0;
	for (int n = 0; n < c->requests && fd >= 0;) {
		ssize_t r = recv(fd, buf + have, sizeof buf - have - 1, 0);
		if (r <= 0)
			break;
		have += (size_t)r;
		buf[have] = '\0';
		char *end;
		while ((end = strstr(buf, "\r\n\r\n")) != NULL && n < c->requests) {
			size_t used = (size_t)(end + 4 - buf);
			memmove(buf, buf + used, have - used + 1);
			have -= used;
			send(fd, c->reply, strlen(c->reply), MSG_NOSIGNAL);
			n++;
		}
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static struct httpc *open_canned(struct canned *c, pthread_t *t)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	c->lfd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert_eq(bind(c->lfd, (struct sockaddr *)&a, sizeof a), 0);
	cr_assert_eq(listen(c->lfd, 1), 0);
	cr_assert_eq(getsockname(c->lfd, (struct sockaddr *)&a, &al), 0);
	pthread_create(t, NULL, serve, c);
	char url[64], err[256];
	struct httpc_url u;
	snprintf(url, sizeof url, "http://localhost:%u/", ntohs(a.sin_port));
	cr_assert(httpc_url_parse(url, &u));
	struct httpc *h = httpc_open(&u, "127.0.0.1", NULL, 2000, err, sizeof err);
	cr_assert_not_null(h, "%s", err);
	return h;
}

Test(httpc, keep_alive_and_headers)
{
	struct canned c = { .reply = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate:  Digest realm=\"r\"  \r\n"
	                             "X: 1\r\nx: 2\r\nContent-Length: 5\r\n\r\nhello",
		            .requests = 2 };
	pthread_t t;
	struct httpc *h = open_canned(&c, &t);
	static struct httpc_response r;
	char err[256];
	const char *hdr[] = { "Authorization: Digest username=\"a\"", NULL };
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(httpc_request(h, "GET", "/", hdr, NULL, 0, &r, err, sizeof err), 0, "%s", err);
		cr_expect_eq(r.status, 401);
		cr_expect_str_eq(httpc_header(&r, "www-authenticate"), "Digest realm=\"r\"");
		cr_expect_eq(httpc_header_count(&r, "X"), 2);
		cr_expect_eq(r.body_len, 5);
		cr_expect(memcmp(r.body, "hello", 5) == 0);
	}
	httpc_close(h);
	pthread_join(t, NULL);
	close(c.lfd);
}

Test(httpc, refused_responses)
{
	static const char *const replies[] = {
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 999999\r\n\r\n",
		"SMTP ready\r\n\r\n",
		"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
	};
	for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++) {
		struct canned c = { .reply = replies[i], .requests = 1 };
		pthread_t t;
		struct httpc *h = open_canned(&c, &t);
		static struct httpc_response r;
		char err[256] = "";
		cr_expect_eq(httpc_request(h, "GET", "/", NULL, NULL, 0, &r, err, sizeof err), -1, "reply %zu", i);
		cr_expect_neq(err[0], '\0');
		httpc_close(h);
		pthread_join(t, NULL);
		close(c.lfd);
	}
}
