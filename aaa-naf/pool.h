/*
 * pool: home addresses assigned by the AAA when a mobile node asks for one
 * (RRQ home address 0.0.0.0, or Mobile-Node-Home-Address-Requested).  An owner
 * (the IMPI for GBA nodes, whose B-TID changes at every bootstrap; the NAI
 * otherwise) keeps the address it was first given: for the life of the
 * process, or for good with a state file (pool_state_open), so that a
 * restarted AAA never hands a registered node's address to another node.
 * Thread-safe.
 */
#ifndef AAA_POOL_H
#define AAA_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "aaa-naf/conf.h"

#define POOL_MAX_ADDRESSES (1u << 20) /* per range: larger ranges are refused */

enum pool_result {
	POOL_OK,
	POOL_EXHAUSTED,
	POOL_NOT_CONFIGURED,
	POOL_NO_MEMORY,
	POOL_STATE_ERROR, /* the new assignment could not be recorded: none made */
	POOL_BAD_OWNER,   /* with a state file: an owner holding blanks or control characters */
};

struct pool;

/* NULL on allocation failure or a range larger than POOL_MAX_ADDRESSES. */
struct pool *pool_new(const struct conf_pool *ranges, size_t n);
void pool_free(struct pool *p);

/* Loads the assignments recorded in path (one "OWNER ADDRESS" line each;
 * created with mode 0600 if missing) and records every new one there before
 * pool_assign returns it.  Call once, before any pool_assign.  Refuses a file
 * accessible by "other", a malformed line, an address outside the ranges or
 * given twice, an owner given twice.  A last line without its newline (a
 * record a crash cut short, never acknowledged) is cut off, its number in
 * *torn_line (else 0).  Returns the number of assignments loaded, or -1 with
 * a one-line message "FILE[:LINE]: ..." in err. */
long pool_state_open(struct pool *p, const char *path, int *torn_line, char *err, size_t errlen);

/* The owner's address (network byte order) in *addr, assigning the next free
 * one on first use. */
enum pool_result pool_assign(struct pool *p, const char *owner, size_t owner_len, uint32_t *addr);
/* Addresses handed out so far. */
size_t pool_used(struct pool *p);

#endif
