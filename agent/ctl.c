#include "agent/ctl.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/log.h"

#define CTL_LINE_MAX 256

struct ctl_conn {
	struct ctl_conn *next, *prev;
	struct bufferevent *bev;
	struct ctl *ctl;
	int answered;
};

struct ctl {
	struct evconnlistener *listener;
	char *path;
	const char *commands;
	ctl_render_fn fn;
	void *arg;
	struct ctl_conn conns; /* list head */
};

static void ctl_conn_free(struct ctl_conn *cc)
{
	cc->prev->next = cc->next;
	cc->next->prev = cc->prev;
	bufferevent_free(cc->bev);
	free(cc);
}

static void ctl_on_write(struct bufferevent *bev, void *arg)
{
	struct ctl_conn *cc = arg;
	if (cc->answered && evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		ctl_conn_free(cc);
}

static void ctl_on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		ctl_conn_free(arg);
}

static void ctl_on_read(struct bufferevent *bev, void *arg)
{
	struct ctl_conn *cc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	if (cc->answered) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	size_t n = 0;
	char *line = evbuffer_readln(in, &n, EVBUFFER_EOL_ANY);
	if (!line) {
		if (evbuffer_get_length(in) > CTL_LINE_MAX)
			ctl_conn_free(cc);
		return;
	}
	struct textbuf out = { 0 };
	if (cc->ctl->fn(line, &out, cc->ctl->arg) != 0) {
		free(out.p);
		out.p = NULL;
		out.len = out.cap = 0;
		textbuf_printf(&out, "error: unknown command (try %s)\n", cc->ctl->commands);
	}
	free(line);
	cc->answered = 1;
	bufferevent_write(bev, out.p ? out.p : "", out.len);
	free(out.p);
	bufferevent_disable(bev, EV_READ);
	bufferevent_enable(bev, EV_WRITE);
}

static void ctl_on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len, void *arg)
{
	(void)sa, (void)len;
	struct ctl *c = arg;
	struct ctl_conn *cc = calloc(1, sizeof *cc);
	struct bufferevent *bev = cc ? bufferevent_socket_new(evconnlistener_get_base(l), fd, BEV_OPT_CLOSE_ON_FREE)
	                             : NULL;
	if (!bev) {
		free(cc);
		close(fd);
		return;
	}
	cc->bev = bev;
	cc->ctl = c;
	cc->next = c->conns.next;
	cc->prev = &c->conns;
	c->conns.next->prev = cc;
	c->conns.next = cc;
	bufferevent_setcb(bev, ctl_on_read, ctl_on_write, ctl_on_event, cc);
	bufferevent_setwatermark(bev, EV_READ, 0, CTL_LINE_MAX + 1);
	bufferevent_enable(bev, EV_READ);
}

struct ctl *ctl_open(struct event_base *base, const char *path, const char *commands, ctl_render_fn fn, void *arg)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof sun.sun_path) {
		fprintf(stderr, "%s: control socket path '%s' is too long\n", program_invocation_short_name, path);
		return NULL;
	}
	strcpy(sun.sun_path, path);
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			fprintf(stderr, "%s: control socket path '%s' exists and is not a socket\n",
			        program_invocation_short_name, path);
			return NULL;
		}
		unlink(path);
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "%s: control socket: %s\n", program_invocation_short_name, strerror(errno));
		return NULL;
	}
	/* Created 0600 from the start: no window where others could connect. */
	mode_t old = umask(0177);
	int rc = bind(fd, (struct sockaddr *)&sun, sizeof sun);
	umask(old);
	if (rc != 0 || chmod(path, 0600) != 0 || listen(fd, 16) != 0) {
		fprintf(stderr, "%s: control socket '%s': %s\n", program_invocation_short_name, path, strerror(errno));
		close(fd);
		return NULL;
	}
	struct ctl *c = calloc(1, sizeof *c);
	if (!c) {
		close(fd);
		return NULL;
	}
	c->conns.next = c->conns.prev = &c->conns;
	c->commands = commands;
	c->fn = fn;
	c->arg = arg;
	c->path = strdup(path);
	c->listener = evconnlistener_new(base, ctl_on_accept, c, LEV_OPT_CLOSE_ON_FREE, -1, fd);
	if (!c->listener || !c->path) {
		fprintf(stderr, "%s: control socket: out of memory\n", program_invocation_short_name);
		if (!c->listener)
			close(fd);
		ctl_close(c);
		return NULL;
	}
	return c;
}

void ctl_close(struct ctl *c)
{
	if (!c)
		return;
	while (c->conns.next != &c->conns)
		ctl_conn_free(c->conns.next);
	if (c->listener)
		evconnlistener_free(c->listener);
	if (c->path)
		unlink(c->path);
	free(c->path);
	free(c);
}
