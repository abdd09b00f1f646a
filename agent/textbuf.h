/*
 * textbuf: a growable string that the control socket's answers (JSON, Prometheus
 * text) are rendered into.
 */
#ifndef MIP4_AGENT_TEXTBUF_H
#define MIP4_AGENT_TEXTBUF_H

#include <stddef.h>

struct textbuf {
	char *p;
	size_t len, cap;
};

/* Append; returns -1 on allocation failure (what was there stays). */
int textbuf_printf(struct textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
