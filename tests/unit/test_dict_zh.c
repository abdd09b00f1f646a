/*
 * dict_zh against the spec (TS 29.109 §6.1, TS 29.229 §6.3): the tables below
 * are the expected dictionary; it loads beside freeDiameter's dict_dcca_3gpp
 * (same AVPs) and dict_sip (RFC 4740 namesakes, vendor 0), in either order.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "dict/dict_zh.h"
#include "dict/dict_zn.h"
#include "tests/unit/test_dict_support.h"

#define VM (AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY)
#define OS AVP_TYPE_OCTETSTRING
#define U32 AVP_TYPE_UNSIGNED32
#define G 10415

static const struct spec_avp avps[] = {
	{ 601, G, "Public-Identity", OS, VM, VM, "UTF8String" },
	{ 602, G, "Server-Name", OS, VM, VM, "UTF8String" },
	{ 607, G, "SIP-Number-Auth-Items", U32, VM, VM, NULL },
	{ 608, G, "SIP-Authentication-Scheme", OS, VM, VM, "UTF8String" },
	{ 609, G, "SIP-Authenticate", OS, VM, VM, NULL },
	{ 610, G, "SIP-Authorization", OS, VM, VM, NULL },
	{ 611, G, "SIP-Authentication-Context", OS, VM, VM, NULL },
	{ 612, G, "SIP-Auth-Data-Item", AVP_TYPE_GROUPED, VM, VM, NULL },
	{ 613, G, "SIP-Item-Number", U32, VM, VM, NULL },
	{ 625, G, "Confidentiality-Key", OS, VM, VM, NULL },
	{ 626, G, "Integrity-Key", OS, VM, VM, NULL },
	{ 400, G, "GBA-UserSecSettings", OS, VM, VM, NULL },
	{ 409, G, "GUSS-Timestamp", OS, VM, AVP_FLAG_VENDOR, "Time" },
};

static const struct spec_enum enums[] = {
	{ 298, 0, 5001, "DIAMETER_ERROR_USER_UNKNOWN" },
	{ 298, 0, 5006, "DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED" },
};

#define FIX(c, v) { c, v, RULE_FIXED_HEAD, -1, 1 }
#define REQ(c, v) { c, v, RULE_REQUIRED, -1, 1 }
#define OPT(c, v) { c, v, RULE_OPTIONAL, -1, 1 }
#define ANY(c, v) { c, v, RULE_OPTIONAL, -1, -1 }

enum {
	USER_NAME = 1, VSAI = 260, SESSION_ID = 263, ORIGIN_HOST = 264, RESULT_CODE = 268,
	AUTH_SESSION_STATE = 277, ROUTE_RECORD = 282, DEST_REALM = 283, PROXY_INFO = 284,
	DEST_HOST = 293, ORIGIN_REALM = 296, EXPERIMENTAL_RESULT = 297,
};

static const struct spec_rule r_mar[] = {
	FIX(SESSION_ID, 0), REQ(VSAI, 0), REQ(AUTH_SESSION_STATE, 0), REQ(ORIGIN_HOST, 0),
	REQ(ORIGIN_REALM, 0), REQ(DEST_REALM, 0), OPT(DEST_HOST, 0), OPT(USER_NAME, 0), OPT(601, G),
	OPT(612, G), OPT(607, G), OPT(602, G), OPT(409, G), ANY(PROXY_INFO, 0), ANY(ROUTE_RECORD, 0),
};
static const struct spec_rule r_maa[] = {
	FIX(SESSION_ID, 0), REQ(VSAI, 0), OPT(RESULT_CODE, 0), OPT(EXPERIMENTAL_RESULT, 0),
	REQ(AUTH_SESSION_STATE, 0), REQ(ORIGIN_HOST, 0), REQ(ORIGIN_REALM, 0), OPT(USER_NAME, 0),
	OPT(601, G), OPT(607, G), ANY(612, G), OPT(400, G), ANY(PROXY_INFO, 0), ANY(ROUTE_RECORD, 0),
};
static const struct spec_rule r_item[] = {
	OPT(613, G), OPT(608, G), OPT(609, G), OPT(610, G), OPT(611, G), OPT(625, G), OPT(626, G),
};

#define RULES(what, r) { what, r, N_OF(r) }
#define RPE (CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE | CMD_FLAG_ERROR)
#define RP (CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE)

static struct dict_object *find_cmd(int request)
{
	command_code_t code = 303;
	struct dict_object *o = NULL;
	cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND, request ? CMD_BY_CODE_R : CMD_BY_CODE_A,
				    &code, &o, ENOENT), 0, "command 303 %s missing", request ? "request" : "answer");
	return o;
}

static void check_all(void)
{
	for (size_t i = 0; i < N_OF(avps); i++)
		dict_test_check_avp(&avps[i]);
	for (size_t i = 0; i < N_OF(enums); i++)
		dict_test_check_enum(&enums[i]);
	struct spec_rules item = RULES("SIP-Auth-Data-Item", r_item);
	dict_test_check_rules(dict_test_avp(612, G), &item);

	struct dict_object *app, *appof;
	application_id_t id = 16777221;
	cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_APPLICATION, APPLICATION_BY_ID, &id, &app, ENOENT), 0,
		     "application 16777221 missing");
	const struct {
		const char *name;
		int request;
		uint8_t mask, val;
		struct spec_rules rules;
	} cmds[] = {
		{ "3GPP-Multimedia-Auth-Request", 1, RPE, RP, RULES("MAR", r_mar) },
		{ "3GPP-Multimedia-Auth-Answer", 0, RP, CMD_FLAG_PROXIABLE, RULES("MAA", r_maa) },
	};
	for (size_t i = 0; i < N_OF(cmds); i++) {
		struct dict_object *o = find_cmd(cmds[i].request);
		struct dict_cmd_data d;
		cr_assert_eq(fd_dict_getval(o, &d), 0);
		cr_expect_str_eq(d.cmd_name, cmds[i].name);
		cr_expect_eq(d.cmd_flag_mask, cmds[i].mask);
		cr_expect_eq(d.cmd_flag_val & d.cmd_flag_mask, cmds[i].val);
		cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_APPLICATION, APPLICATION_OF_COMMAND, o, &appof,
					    ENOENT), 0);
		cr_expect_eq(appof, app);
		dict_test_check_rules(o, &cmds[i].rules);
	}

	struct dict_zh h;
	memset(&h, 0, sizeof h);
	cr_assert_eq(dict_zh_resolve(&h), 0);
	struct dict_object **slot = (struct dict_object **)&h;
	for (size_t i = 0; i < sizeof h / sizeof *slot; i++)
		cr_expect_not_null(slot[i], "dict_zh handle %zu unset", i);
	cr_expect_eq(h.cmd_mar, find_cmd(1));
	cr_expect_eq(h.sip_auth_data_item, dict_test_avp(612, G));
	cr_expect_eq(h.integrity_key, dict_test_avp(626, G));
}

TestSuite(dict_zh, .init = dict_test_init);

Test(dict_zh, registers_the_whole_spec)
{
	cr_assert_eq(dict_zh_register(), 0);
	check_all();
}

Test(dict_zh, resolve_before_register_is_enoent)
{
	struct dict_zh h;
	cr_expect_eq(dict_zh_resolve(&h), ENOENT);
}

Test(dict_zh, register_twice_is_idempotent)
{
	cr_assert_eq(dict_zh_register(), 0);
	struct dict_object *parents[] = { find_cmd(1), find_cmd(0), dict_test_avp(612, G) };
	size_t before = dict_test_count_objects(parents, N_OF(parents));
	cr_assert_eq(dict_zh_register(), 0);
	cr_expect_eq(dict_test_count_objects(parents, N_OF(parents)), before);
	check_all();
}

/* freeDiameter's own definitions of 601-626 (dict_dcca_3gpp) and the RFC 4740
 * SIP dictionary (dict_sip, same names under vendor 0, its own MAR 286)
 * before and after ours, and Zn in between. */
Test(dict_zh, with_stock_dictionaries_either_order)
{
	cr_assert_eq(dict_zh_register(), 0);
	cr_assert_eq(dict_test_load_fdx("dict_sip"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_nasreq"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_dcca"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_dcca_3gpp"), 0);
	cr_assert_eq(dict_zn_register(), 0);
	cr_assert_eq(dict_zh_register(), 0);
	check_all();
}

Test(dict_zh, after_stock_dictionaries)
{
	cr_assert_eq(dict_test_load_fdx("dict_nasreq"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_dcca"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_dcca_3gpp"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_sip"), 0);
	cr_assert_eq(dict_zh_register(), 0);
	check_all();
	cr_assert_eq(dict_zn_register(), 0);
}

Test(dict_zh, conflicting_sip_authenticate_type_is_eexist)
{
	struct dict_vendor_data v = { G, "3GPP" };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_VENDOR, &v, NULL, NULL), 0);
	struct dict_avp_data d = { 609, G, "SIP-Authenticate", VM, VM, U32 };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, NULL, NULL), 0);
	cr_expect_eq(dict_zh_register(), EEXIST);
}
