/*
 * dict_avp: building and reading AVPs of a message with the models of our
 * dictionaries.  The add functions append a new AVP of model as the last child
 * of parent (a message or a grouped AVP); on failure nothing is attached (the
 * new AVP is freed) and the freeDiameter error code is returned, 0 on success.
 */
#ifndef MIP4_DICT_AVP_H
#define MIP4_DICT_AVP_H

#include <stddef.h>
#include <stdint.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "dict/dict_base.h"

/* v NULL: no value (a grouped AVP whose children come later). */
int dict_avp_add(msg_or_avp *parent, struct dict_object *model, union avp_value *v);
int dict_avp_add_u32(msg_or_avp *parent, struct dict_object *model, uint32_t u);
int dict_avp_add_i32(msg_or_avp *parent, struct dict_object *model, int32_t i);
int dict_avp_add_os(msg_or_avp *parent, struct dict_object *model, const void *p, size_t len);
/* An Address AVP holding an IPv4 address (network byte order): the 2-octet
 * family 1, then the 4 octets. */
int dict_avp_add_addr4(msg_or_avp *parent, struct dict_object *model, uint32_t addr_nbo);

/* Vendor-Specific-Application-Id {Vendor-Id, Auth-Application-Id}. */
int dict_avp_add_vsai(msg_or_avp *parent, const struct dict_base *db, uint32_t vendor, uint32_t app);
/* Experimental-Result {Vendor-Id, Experimental-Result-Code}. */
int dict_avp_add_experimental(msg_or_avp *parent, const struct dict_base *db, uint32_t vendor, uint32_t code);

/* The first child of parent whose model is model; NULL when there is none or
 * parent is NULL. */
struct avp *dict_avp_find(msg_or_avp *parent, struct dict_object *model);
/* The header of that child when it carries a value, else NULL. */
struct avp_hdr *dict_avp_hdr(msg_or_avp *parent, struct dict_object *model);

/* For Failed-AVP (RFC 6733 §7.5): a copy of src, grouped members included, or
 * an empty instance of model when src is NULL (an example of a missing AVP).
 * NULL on failure. */
struct avp *dict_avp_example(struct dict_object *model, struct avp *src);

#endif
