/*
 * pool: home addresses assigned by the AAA when a mobile node asks for one
 * (RRQ home address 0.0.0.0, or Mobile-Node-Home-Address-Requested).  An owner
 * (the IMPI for GBA nodes, whose B-TID changes at every bootstrap; the NAI
 * otherwise) keeps the address it was first given for the life of the process.
 * Thread-safe.
 */
#ifndef AAA_POOL_H
#define AAA_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "aaa-naf/conf.h"

#define POOL_MAX_ADDRESSES (1u << 20) /* per range: larger ranges are refused */

enum pool_result { POOL_OK, POOL_EXHAUSTED, POOL_NOT_CONFIGURED, POOL_NO_MEMORY };

struct pool;

/* NULL on allocation failure or a range larger than POOL_MAX_ADDRESSES. */
struct pool *pool_new(const struct conf_pool *ranges, size_t n);
void pool_free(struct pool *p);

/* The owner's address (network byte order) in *addr, assigning the next free
 * one on first use. */
enum pool_result pool_assign(struct pool *p, const char *owner, size_t owner_len, uint32_t *addr);
/* Addresses handed out so far. */
size_t pool_used(struct pool *p);

#endif
