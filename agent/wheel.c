#include "agent/wheel.h"

#include <stddef.h>

void wheel_init(struct wheel *w, uint32_t now)
{
	for (unsigned i = 0; i < WHEEL_SLOTS; i++)
		w->slot[i].next = w->slot[i].prev = &w->slot[i];
	w->now = now;
}

void wheel_disarm(struct wheel_node *n)
{
	if (!n->next)
		return;
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = NULL;
	n->at = 0;
}

void wheel_arm(struct wheel *w, struct wheel_node *n, uint32_t at)
{
	wheel_disarm(n);
	if (at <= w->now)
		at = w->now + 1;
	struct wheel_node *head = &w->slot[at & (WHEEL_SLOTS - 1)];
	n->at = at;
	n->next = head;
	n->prev = head->prev;
	head->prev->next = n;
	head->prev = n;
}

void wheel_advance(struct wheel *w, uint32_t now, void (*fire)(struct wheel_node *n, void *arg), void *arg)
{
	if (now <= w->now)
		return;
	/* After a long stall one full turn visits every slot once. */
	uint32_t from = now - w->now > WHEEL_SLOTS ? now - WHEEL_SLOTS + 1 : w->now + 1;
	for (uint32_t t = from;; t++) {
		struct wheel_node *head = &w->slot[t & (WHEEL_SLOTS - 1)];
		/* Detach the slot first so fire() may re-arm into this same slot. */
		struct wheel_node pending = { 0 };
		if (head->next == head) {
			if (t == now)
				break;
			continue;
		}
		pending.next = head->next;
		pending.prev = head->prev;
		pending.next->prev = &pending;
		pending.prev->next = &pending;
		head->next = head->prev = head;
		while (pending.next != &pending) {
			struct wheel_node *n = pending.next;
			n->prev->next = n->next;
			n->next->prev = n->prev;
			if (n->at <= now) {
				n->next = n->prev = NULL;
				n->at = 0;
				fire(n, arg);
			} else {
				n->next = head;
				n->prev = head->prev;
				head->prev->next = n;
				head->prev = n;
			}
		}
		if (t == now)
			break;
	}
	w->now = now;
}
