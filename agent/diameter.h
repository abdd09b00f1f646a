/*
 * diameter: libfdcore embedded in one of our daemons, and the bridge between
 * its threads and the daemon's libevent loop.
 *
 * freeDiameter's configuration is generated from the daemon's diameter
 * section (memfd), with no server at all (Port = 0, SecPort = 0, no SCTP): the
 * daemon only connects to the peers of its list, each over TLS unless its
 * configuration says tls = false.  Each peer has a role: Mobile IPv4 requests
 * go only to aaa peers, Zn requests only to bsf peers; among those,
 * Destination-Host and Destination-Realm rank them.
 *
 * Answers, expiries and requests served run on freeDiameter threads: they copy
 * what the loop needs into an item of the daemon's own (a plain struct of
 * item_size octets), push it on a mutex-protected queue and wake the loop,
 * never touching the daemon's state.  Items are wiped when they leave the
 * queue, so they may carry keys.
 */
#ifndef AGENT_DIAMETER_H
#define AGENT_DIAMETER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/diameter_conf.h"

struct event;

/* Initialise libfdcore, with its log going to ours, and define the RFC 4004
 * dictionary.  prog names the daemon in messages.  0, or -1 after printing
 * why on stderr. */
int diameter_init(const char *prog);
/* Load the configuration generated from d (path: the daemon's file, for
 * messages; own_addr, network order: the daemon's address, the CER's
 * Host-IP-Address of last resort), register the message hooks and the routing
 * by role.  0, or -1 after printing why. */
int diameter_configure(const struct conf_diameter *d, const char *path, uint32_t own_addr);
/* The queue: items of item_size octets; wake is made active (event_active)
 * whenever it gains one. */
void diameter_queue(size_t item_size, struct event *wake);
/* Start libfdcore and wait until it has.  0, or -1 after printing why. */
int diameter_run(void);
/* Copy item onto the queue (item_size octets) and wake the loop; the caller
 * wipes its own copy.  0, or -1 (no memory: the item is not queued). */
int diameter_push(const void *item);
/* Take one item; false when the queue is empty. */
bool diameter_pop(void *out);
/* True when every role with configured peers has one open; desc lists the open
 * peers ("aaa.example (aaa), bsf.example (bsf)"). */
bool diameter_ready(char *desc, size_t len);
/* Stop libfdcore (requests still in flight are dropped without callback).
 * Items left on the queue stay there for the caller to pop and free. */
void diameter_stop(void);

#endif
