/*
 * pktring: how a registration loop hands forwarding-state updates to its packet
 * thread without ever waiting for it.  A single-producer single-consumer ring
 * of fixed-size updates (the loop pushes, the thread drains before every batch)
 * with a loop-side overflow queue that keeps their order when the ring is full
 * (retried on the loop's tick), and an eventfd that wakes the thread.  Also
 * the counters a packet thread keeps: single-writer atomics any thread may
 * read.
 */
#ifndef MIP4_AGENT_PKTRING_H
#define MIP4_AGENT_PKTRING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Written by the packet thread only (load + store, relaxed), read by the loop. */
typedef _Atomic uint64_t pktctr;

static inline void pktctr_add(pktctr *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n, memory_order_relaxed);
}

static inline uint64_t pktctr_get(const pktctr *c)
{
	return atomic_load_explicit((pktctr *)c, memory_order_relaxed);
}

struct pktring {
	uint8_t *slots;          /* cap updates of elem octets */
	size_t elem;
	uint32_t cap;            /* a power of two */
	int wake_fd;             /* eventfd: readable when updates wait */
	/* Loop side. */
	uint8_t *overflow;
	size_t n_overflow, cap_overflow;
	uint64_t submitted;      /* updates pushed so far */
	uint64_t ring_full;      /* pushes that found the ring full */
	/* Producer: loop; consumer: packet thread.  Apart, so that neither
	 * thread's writes evict the line the other one reads. */
	_Alignas(64) _Atomic uint64_t head;
	_Alignas(64) _Atomic uint64_t tail;
};

/* cap (a power of two) updates of elem octets.  0, or -1 with errno. */
int pktring_init(struct pktring *r, size_t elem, uint32_t cap);
void pktring_destroy(struct pktring *r);

/* Loop side.  Queue an update (into the overflow when the ring is full: the
 * thread's state must never diverge from the loop's, so an overflow that cannot
 * grow aborts) and wake the thread.  Returns the update's sequence number:
 * pktring_applied reaches it once the thread has applied it. */
uint64_t pktring_push(struct pktring *r, const void *update);
/* Move what overflowed into the ring, as far as it has room (on a tick). */
void pktring_retry(struct pktring *r);
/* Wake the thread (also to make it look at a stop flag). */
void pktring_wake(struct pktring *r);
/* How many updates the thread has applied. */
uint64_t pktring_applied(const struct pktring *r);

/* Thread side.  Apply every queued update in order; returns how many. */
size_t pktring_drain(struct pktring *r, void (*apply)(const void *update, void *arg), void *arg);
/* Consume the wake-up (its descriptor was readable).  -1 on a read error. */
int pktring_woken(struct pktring *r);

#endif
