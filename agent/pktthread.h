/*
 * pktthread: the packet thread an agent runs beside its registration loop.
 * One epoll set over the agent's packet sources and the update ring's eventfd.
 * A readable source is served in rounds of batches; before every wait and
 * between rounds the thread applies what the loop pushed on the ring, so that a
 * new care-of address or a removal takes effect within one batch, while the
 * loop only pushes and never waits on the thread.
 */
#ifndef MIP4_AGENT_PKTTHREAD_H
#define MIP4_AGENT_PKTTHREAD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/pktring.h"

#define PKTTHREAD_SOURCES 2
#define PKTTHREAD_ROUNDS 8 /* full batches from one source before the updates are looked at again */

/* Read one batch from the source and handle it (send what it queued too);
 * returns how many datagrams were read. */
typedef unsigned (*pktthread_read_fn)(void *arg);
/* Apply one update the loop pushed, on the packet thread. */
typedef void (*pktthread_apply_fn)(const void *update, void *arg);

struct pktthread_source {
	pktthread_read_fn read;
	unsigned batch; /* a read that returns fewer has emptied the source */
};

struct pktthread {
	struct pktring ring;   /* updates, loop -> packet thread */
	pktctr applied;        /* updates the thread has applied */
	int ep;
	atomic_bool stop;
	pthread_t thread;
	bool started;
	pktthread_apply_fn apply;
	void *arg;
	struct pktthread_source src[PKTTHREAD_SOURCES];
	unsigned n_src;
};

/* A ring of ring_cap (a power of two) updates of update_size octets and the
 * epoll set; apply(update, arg) on the thread.  0, or -1 with errno; either
 * way pktthread_destroy may follow. */
int pktthread_init(struct pktthread *t, size_t update_size, uint32_t ring_cap, pktthread_apply_fn apply, void *arg);
/* Serve fd with read(arg) once the thread runs.  0, or -1 with errno. */
int pktthread_watch(struct pktthread *t, int fd, pktthread_read_fn read, unsigned batch);
/* 0, or -1 with errno. */
int pktthread_start(struct pktthread *t);
/* Stop and join the thread if it runs, then release everything. */
void pktthread_destroy(struct pktthread *t);

#endif
