/* dict_avp: AVPs added with the right model, value and place; found again by
 * model; nothing attached (and nothing leaked) when adding fails. */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "dict/dict_avp.h"
#include "dict/dict_base.h"
#include "dict/dict_mip4.h"
#include "tests/unit/test_dict_support.h"

static struct dict_base base;
static struct dict_mip4 mip;

static void setup(void)
{
	dict_test_init();
	cr_assert_eq(dict_mip4_register(), 0);
	cr_assert_eq(dict_base_resolve(&base), 0);
	cr_assert_eq(dict_mip4_resolve(&mip), 0);
}

TestSuite(dict_avp, .init = setup);

static struct msg *new_amr(void)
{
	struct msg *m = NULL;
	cr_assert_eq(fd_msg_new(mip.cmd_amr, 0, &m), 0);
	return m;
}

Test(dict_avp, add_then_find)
{
	struct msg *m = new_amr();
	cr_assert_eq(dict_avp_add_u32(m, base.auth_application_id, 2), 0);
	cr_assert_eq(dict_avp_add_os(m, base.user_name, "mn@home.lab", 11), 0);
	cr_assert_eq(dict_avp_add_u32(m, mip.mip_feature_vector, 7), 0);
	cr_assert_eq(dict_avp_add_u32(m, mip.mip_feature_vector, 9), 0);
	cr_assert_eq(dict_avp_add_addr4(m, mip.mip_home_agent_address, inet_addr("10.1.2.3")), 0);

	struct avp_hdr *h = dict_avp_hdr(m, base.auth_application_id);
	cr_assert_not_null(h);
	cr_expect_eq(h->avp_code, 258);
	cr_expect_eq(h->avp_value->u32, 2);
	h = dict_avp_hdr(m, base.user_name);
	cr_assert_not_null(h);
	cr_expect_eq(h->avp_value->os.len, 11);
	cr_expect_eq(memcmp(h->avp_value->os.data, "mn@home.lab", 11), 0);
	h = dict_avp_hdr(m, mip.mip_feature_vector);
	cr_assert_not_null(h);
	cr_expect_eq(h->avp_value->u32, 7, "the first of two is found");
	h = dict_avp_hdr(m, mip.mip_home_agent_address);
	cr_assert_not_null(h);
	static const uint8_t addr[6] = { 0, 1, 10, 1, 2, 3 };
	cr_expect_eq(h->avp_value->os.len, 6);
	cr_expect_eq(memcmp(h->avp_value->os.data, addr, 6), 0);

	/* Appended in order: the last child is the address. */
	struct avp *last = NULL;
	cr_assert_eq(fd_msg_browse(m, MSG_BRW_LAST_CHILD, &last, NULL), 0);
	cr_expect_eq(last, dict_avp_find(m, mip.mip_home_agent_address));

	cr_expect_null(dict_avp_find(m, mip.mip_nonce));
	cr_expect_null(dict_avp_hdr(m, mip.mip_nonce));
	cr_expect_null(dict_avp_find(NULL, mip.mip_nonce));
	fd_msg_free(m);
}

Test(dict_avp, grouped_children)
{
	struct msg *m = new_amr();
	cr_assert_eq(dict_avp_add(m, mip.mip_mn_aaa_auth, NULL), 0);
	struct avp *g = dict_avp_find(m, mip.mip_mn_aaa_auth);
	cr_assert_not_null(g);
	cr_expect_null(dict_avp_hdr(m, mip.mip_mn_aaa_auth), "a grouped AVP has no value");
	cr_assert_eq(dict_avp_add_u32(g, mip.mip_mn_aaa_spi, 300), 0);
	cr_assert_eq(dict_avp_add_u32(g, mip.mip_authenticator_length, 16), 0);
	struct avp_hdr *h = dict_avp_hdr(g, mip.mip_authenticator_length);
	cr_assert_not_null(h);
	cr_expect_eq(h->avp_value->u32, 16);
	cr_expect_null(dict_avp_find(m, mip.mip_mn_aaa_spi), "children are not the message's");
	fd_msg_free(m);
}

Test(dict_avp, failed_add_attaches_nothing)
{
	struct msg *m = new_amr();
	cr_expect_eq(dict_avp_add_u32(NULL, base.auth_application_id, 2), EINVAL);
	cr_expect_neq(dict_avp_add_os(m, NULL, "x", 1), 0);
	struct avp *first = NULL;
	cr_assert_eq(fd_msg_browse(m, MSG_BRW_FIRST_CHILD, &first, NULL), 0);
	cr_expect_null(first);
	fd_msg_free(m);
}
