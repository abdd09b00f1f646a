#include "dict/dict_avp.h"

#include <string.h>

int dict_avp_add(msg_or_avp *parent, struct dict_object *model, union avp_value *v)
{
	struct avp *a = NULL;
	int rc = fd_msg_avp_new(model, 0, &a);
	if (rc)
		return rc;
	if ((v && (rc = fd_msg_avp_setvalue(a, v))) || (rc = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a))) {
		fd_msg_free((struct msg *)a);
		return rc;
	}
	return 0;
}

int dict_avp_add_u32(msg_or_avp *parent, struct dict_object *model, uint32_t u)
{
	union avp_value v = { .u32 = u };
	return dict_avp_add(parent, model, &v);
}

int dict_avp_add_i32(msg_or_avp *parent, struct dict_object *model, int32_t i)
{
	union avp_value v = { .i32 = i };
	return dict_avp_add(parent, model, &v);
}

int dict_avp_add_os(msg_or_avp *parent, struct dict_object *model, const void *p, size_t len)
{
	/* freeDiameter copies the octets: the cast only drops const. */
	union avp_value v = { .os = { .data = (uint8_t *)(uintptr_t)p, .len = len } };
	return dict_avp_add(parent, model, &v);
}

int dict_avp_add_addr4(msg_or_avp *parent, struct dict_object *model, uint32_t addr_nbo)
{
	uint8_t b[6] = { 0, 1 };
	memcpy(b + 2, &addr_nbo, 4);
	return dict_avp_add_os(parent, model, b, sizeof(b));
}

/* A grouped AVP of model holding two Unsigned32 members. */
static int dict_avp_add_pair(msg_or_avp *parent, struct dict_object *model, struct dict_object *m1, uint32_t v1,
                             struct dict_object *m2, uint32_t v2)
{
	struct avp *g = NULL;
	int rc = fd_msg_avp_new(model, 0, &g);
	if (rc == 0)
		rc = dict_avp_add_u32(g, m1, v1);
	if (rc == 0)
		rc = dict_avp_add_u32(g, m2, v2);
	if (rc == 0)
		rc = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, g);
	if (rc && g)
		fd_msg_free((struct msg *)g);
	return rc;
}

int dict_avp_add_vsai(msg_or_avp *parent, const struct dict_base *db, uint32_t vendor, uint32_t app)
{
	return dict_avp_add_pair(parent, db->vendor_specific_application_id, db->vendor_id, vendor,
	                         db->auth_application_id, app);
}

int dict_avp_add_experimental(msg_or_avp *parent, const struct dict_base *db, uint32_t vendor, uint32_t code)
{
	return dict_avp_add_pair(parent, db->experimental_result, db->vendor_id, vendor, db->experimental_result_code,
	                         code);
}

struct avp *dict_avp_find(msg_or_avp *parent, struct dict_object *model)
{
	struct avp *c = NULL;
	if (!parent || fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &c, NULL) != 0)
		return NULL;
	while (c) {
		struct dict_object *m = NULL;
		if (fd_msg_model(c, &m) == 0 && m == model)
			return c;
		if (fd_msg_browse(c, MSG_BRW_NEXT, &c, NULL) != 0)
			return NULL;
	}
	return NULL;
}

struct avp_hdr *dict_avp_hdr(msg_or_avp *parent, struct dict_object *model)
{
	struct avp *a = dict_avp_find(parent, model);
	struct avp_hdr *h = NULL;
	if (!a || fd_msg_avp_hdr(a, &h) != 0 || !h->avp_value)
		return NULL;
	return h;
}

/* A copy of src (for Failed-AVP), or an empty instance of model when src is
 * NULL (a missing AVP: RFC 6733 §7.5 wants an example of it). */
struct avp *dict_avp_example(struct dict_object *model, struct avp *src)
{
	struct dict_avp_data d;
	struct avp *dst = NULL;
	if (!model || fd_dict_getval(model, &d) || fd_msg_avp_new(model, 0, &dst))
		return NULL;
	if (d.avp_basetype == AVP_TYPE_GROUPED) {
		struct avp *c = NULL;
		if (src && fd_msg_browse(src, MSG_BRW_FIRST_CHILD, &c, NULL) == 0) {
			while (c) {
				struct dict_object *cm = NULL;
				struct avp *cc;
				if (fd_msg_model(c, &cm) == 0 && cm && (cc = dict_avp_example(cm, c)))
					fd_msg_avp_add(dst, MSG_BRW_LAST_CHILD, cc);
				if (fd_msg_browse(c, MSG_BRW_NEXT, &c, NULL) != 0)
					break;
			}
		}
		return dst;
	}
	union avp_value zero;
	static uint8_t none[1];
	memset(&zero, 0, sizeof(zero));
	zero.os.data = none;
	zero.os.len = 0;
	if (d.avp_basetype != AVP_TYPE_OCTETSTRING)
		memset(&zero, 0, sizeof(zero));
	struct avp_hdr *h = NULL;
	union avp_value *v = &zero;
	if (src && fd_msg_avp_hdr(src, &h) == 0 && h->avp_value)
		v = h->avp_value;
	if (fd_msg_avp_setvalue(dst, v)) {
		fd_msg_free((struct msg *)dst);
		return NULL;
	}
	return dst;
}
