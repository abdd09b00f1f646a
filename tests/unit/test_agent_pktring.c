/* pktring: loop → packet thread updates, in order, never lost, never waited for. */
#include <criterion/criterion.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>

#include "agent/pktring.h"

struct upd {
	uint32_t seq;
	uint32_t check;
};

struct sink {
	uint32_t next;
	bool in_order;
};

static void apply(const void *u, void *arg)
{
	const struct upd *x = u;
	struct sink *s = arg;
	if (x->seq != s->next || x->check != ~x->seq)
		s->in_order = false;
	s->next++;
}

static void push(struct pktring *r, uint32_t seq)
{
	struct upd u = { seq, ~seq };
	pktring_push(r, &u);
}

static bool readable(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	return poll(&p, 1, 0) == 1;
}

Test(pktring, in_order_through_the_ring_and_its_overflow)
{
	struct pktring r;
	cr_assert_eq(pktring_init(&r, sizeof(struct upd), 8), 0);
	struct sink s = { 0, true };
	cr_assert_not(readable(r.wake_fd));
	for (uint32_t i = 0; i < 20; i++)
		push(&r, i);
	cr_expect(readable(r.wake_fd), "the thread is woken");
	cr_expect_eq(r.n_overflow, 12, "8 in the ring, the rest waits on the loop side");
	cr_expect_eq(r.ring_full, 12);
	cr_expect_eq(r.submitted, 20);
	cr_expect_eq(pktring_drain(&r, apply, &s), 8);
	cr_expect_eq(pktring_applied(&r), 8);
	push(&r, 20);
	cr_expect_eq(r.n_overflow, 5, "behind the overflow, which moved into the room there was");
	cr_expect_eq(pktring_drain(&r, apply, &s), 8);
	pktring_retry(&r);
	cr_expect_eq(r.n_overflow, 0);
	cr_expect_eq(pktring_drain(&r, apply, &s), 5);
	cr_expect_eq(pktring_drain(&r, apply, &s), 0);
	cr_expect(s.in_order);
	cr_expect_eq(s.next, 21);
	cr_expect_eq(pktring_applied(&r), 21);
	cr_expect_eq(pktring_woken(&r), 0);
	cr_expect_not(readable(r.wake_fd));
	pktring_destroy(&r);
}

Test(pktring, bad_sizes)
{
	struct pktring r;
	cr_expect_eq(pktring_init(&r, 8, 12), -1, "not a power of two");
	cr_expect_eq(pktring_init(&r, 0, 8), -1);
}

#define N_STRESS 200000u

static struct pktring stress;
static atomic_bool stress_done;
static struct sink stress_sink = { 0, true };

static void *consumer(void *arg)
{
	(void)arg;
	while (!atomic_load(&stress_done) || stress_sink.next < N_STRESS) {
		struct pollfd p = { stress.wake_fd, POLLIN, 0 };
		poll(&p, 1, 10);
		pktring_woken(&stress);
		pktring_drain(&stress, apply, &stress_sink);
	}
	return NULL;
}

Test(pktring, two_threads)
{
	cr_assert_eq(pktring_init(&stress, sizeof(struct upd), 64), 0);
	pthread_t t;
	cr_assert_eq(pthread_create(&t, NULL, consumer, NULL), 0);
	for (uint32_t i = 0; i < N_STRESS; i++) {
		push(&stress, i);
		if ((i & 1023) == 0)
			pktring_retry(&stress);
	}
	while (stress.n_overflow)
		pktring_retry(&stress);
	atomic_store(&stress_done, true);
	pktring_wake(&stress);
	pthread_join(t, NULL);
	cr_expect(stress_sink.in_order);
	cr_expect_eq(stress_sink.next, N_STRESS);
	cr_expect_eq(pktring_applied(&stress), N_STRESS);
	pktring_destroy(&stress);
}
