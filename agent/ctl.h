/*
 * ctl: the control socket, a UNIX stream socket (mode 0600) that answers one
 * command line per connection: "stats" (JSON), "metrics" (Prometheus text) and
 * the daemon's tables ("bindings" at the HA, "visitors" at the FA).  The text
 * comes from a callback of the daemon; this module only does the socket work on
 * the loop.
 */
#ifndef MIP4_AGENT_CTL_H
#define MIP4_AGENT_CTL_H

#include "agent/textbuf.h"

struct event_base;
struct ctl;

/* Fill out for cmd; return 0, or -1 for an unknown command (an error line is sent). */
typedef int (*ctl_render_fn)(const char *cmd, struct textbuf *out, void *arg);

/* Bind path (an existing socket file is replaced).  commands lists the
 * commands the daemon knows, for the error line answering any other ("stats,
 * bindings, metrics").  NULL after printing why. */
struct ctl *ctl_open(struct event_base *base, const char *path, const char *commands, ctl_render_fn fn, void *arg);
/* Close every connection and unlink the socket. */
void ctl_close(struct ctl *c);

#endif
