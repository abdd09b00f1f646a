#include "agent/pktthread.h"

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

/* The ring's eventfd is watched with this tag; sources with their index. */
#define PKTTHREAD_WAKE PKTTHREAD_SOURCES

int pktthread_init(struct pktthread *t, size_t update_size, uint32_t ring_cap, pktthread_apply_fn apply, void *arg)
{
	t->ep = t->ring.wake_fd = -1;
	t->started = false;
	t->n_src = 0;
	t->apply = apply;
	t->arg = arg;
	atomic_init(&t->stop, false);
	atomic_init(&t->applied, 0);
	if (pktring_init(&t->ring, update_size, ring_cap) != 0)
		return -1;
	t->ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = PKTTHREAD_WAKE };
	if (t->ep < 0 || epoll_ctl(t->ep, EPOLL_CTL_ADD, t->ring.wake_fd, &ev) != 0)
		return -1;
	return 0;
}

int pktthread_watch(struct pktthread *t, int fd, pktthread_read_fn read, unsigned batch)
{
	if (t->n_src == PKTTHREAD_SOURCES) {
		errno = ENOSPC;
		return -1;
	}
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = t->n_src };
	if (epoll_ctl(t->ep, EPOLL_CTL_ADD, fd, &ev) != 0)
		return -1;
	t->src[t->n_src++] = (struct pktthread_source){ .read = read, .batch = batch };
	return 0;
}

static void pktthread_drain(struct pktthread *t)
{
	size_t n = pktring_drain(&t->ring, t->apply, t->arg);
	if (n)
		pktctr_add(&t->applied, n);
}

static void pktthread_serve(struct pktthread *t, const struct pktthread_source *s)
{
	for (int round = 0; round < PKTTHREAD_ROUNDS; round++) {
		if (s->read(t->arg) < s->batch)
			return;
		pktthread_drain(t);
	}
}

static void *pktthread_main(void *arg)
{
	struct pktthread *t = arg;
	struct epoll_event ev[PKTTHREAD_SOURCES + 1];
	while (!atomic_load(&t->stop)) {
		int n = epoll_wait(t->ep, ev, PKTTHREAD_SOURCES + 1, -1);
		pktthread_drain(t);
		for (int i = 0; i < n; i++) {
			if (ev[i].data.u32 == PKTTHREAD_WAKE) {
				if (pktring_woken(&t->ring) != 0)
					return NULL;
			} else {
				pktthread_serve(t, &t->src[ev[i].data.u32]);
			}
		}
	}
	return NULL;
}

int pktthread_start(struct pktthread *t)
{
	int e = pthread_create(&t->thread, NULL, pktthread_main, t);
	if (e != 0) {
		errno = e;
		return -1;
	}
	t->started = true;
	return 0;
}

void pktthread_destroy(struct pktthread *t)
{
	if (t->started) {
		atomic_store(&t->stop, true);
		pktring_wake(&t->ring);
		pthread_join(t->thread, NULL);
		t->started = false;
	}
	if (t->ep >= 0)
		close(t->ep);
	t->ep = -1;
	pktring_destroy(&t->ring);
}
