#include "agent/pktring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

int pktring_init(struct pktring *r, size_t elem, uint32_t cap)
{
	memset(r, 0, sizeof *r);
	r->wake_fd = -1;
	if (elem == 0 || cap == 0 || (cap & (cap - 1)) != 0) {
		errno = EINVAL;
		return -1;
	}
	r->elem = elem;
	r->cap = cap;
	r->slots = calloc(cap, elem);
	if (!r->slots)
		return -1;
	r->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (r->wake_fd < 0) {
		int e = errno;
		pktring_destroy(r);
		errno = e;
		return -1;
	}
	return 0;
}

void pktring_destroy(struct pktring *r)
{
	if (r->wake_fd >= 0)
		close(r->wake_fd);
	r->wake_fd = -1;
	free(r->slots);
	free(r->overflow);
	r->slots = r->overflow = NULL;
	r->n_overflow = r->cap_overflow = 0;
}

void pktring_wake(struct pktring *r)
{
	uint64_t one = 1;
	/* EAGAIN: the counter is saturated, the thread is awake anyway. */
	while (write(r->wake_fd, &one, sizeof one) < 0 && errno == EINTR)
		;
}

static bool pktring_put(struct pktring *r, const void *u)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	if (head - atomic_load_explicit(&r->tail, memory_order_acquire) >= r->cap)
		return false;
	memcpy(r->slots + (size_t)(head & (r->cap - 1)) * r->elem, u, r->elem);
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return true;
}

void pktring_retry(struct pktring *r)
{
	size_t i = 0;
	while (i < r->n_overflow && pktring_put(r, r->overflow + i * r->elem))
		i++;
	if (i) {
		memmove(r->overflow, r->overflow + i * r->elem, (r->n_overflow - i) * r->elem);
		r->n_overflow -= i;
		pktring_wake(r);
	}
}

uint64_t pktring_push(struct pktring *r, const void *u)
{
	r->submitted++;
	if (r->n_overflow == 0 && pktring_put(r, u)) {
		pktring_wake(r);
		return r->submitted;
	}
	r->ring_full++;
	if (r->n_overflow == r->cap_overflow) {
		size_t c = r->cap_overflow ? r->cap_overflow * 2 : 256;
		uint8_t *p = realloc(r->overflow, c * r->elem);
		if (!p)
			abort(); /* the forwarding state would silently diverge from the loop's */
		r->overflow = p;
		r->cap_overflow = c;
	}
	memcpy(r->overflow + r->n_overflow++ * r->elem, u, r->elem);
	pktring_retry(r);
	return r->submitted;
}

uint64_t pktring_applied(const struct pktring *r)
{
	return atomic_load_explicit((_Atomic uint64_t *)&r->tail, memory_order_acquire);
}

size_t pktring_drain(struct pktring *r, void (*apply)(const void *update, void *arg), void *arg)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	for (uint64_t i = tail; i < head; i++)
		apply(r->slots + (size_t)(i & (r->cap - 1)) * r->elem, arg);
	if (head != tail)
		atomic_store_explicit(&r->tail, head, memory_order_release);
	return (size_t)(head - tail);
}

int pktring_woken(struct pktring *r)
{
	uint64_t v;
	if (read(r->wake_fd, &v, sizeof v) < 0 && errno != EAGAIN && errno != EINTR)
		return -1;
	return 0;
}
