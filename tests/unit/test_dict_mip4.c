/*
 * dict_mip4 against the spec (PROTOCOL.md §4, RFC 4004 §5-§9, RFC-NOTES §5.3):
 * the tables below ARE the expected dictionary, written from the spec, not
 * from dict/dict_mip4.c.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "dict/dict_base.h"
#include "dict/dict_mip4.h"
#include "tests/unit/test_dict_support.h"

#define M AVP_FLAG_MANDATORY
#define VM (AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY)
#define OS AVP_TYPE_OCTETSTRING
#define U32 AVP_TYPE_UNSIGNED32
#define I32 AVP_TYPE_INTEGER32
#define GR AVP_TYPE_GROUPED

/* Every RFC 4004 AVP: vendor 0, M set, V clear. */
static const struct spec_avp avps[] = {
	{ 318, 0, "MIP-FA-to-HA-SPI", U32, VM, M, NULL },
	{ 319, 0, "MIP-FA-to-MN-SPI", U32, VM, M, NULL },
	{ 320, 0, "MIP-Reg-Request", OS, VM, M, NULL },
	{ 321, 0, "MIP-Reg-Reply", OS, VM, M, NULL },
	{ 322, 0, "MIP-MN-AAA-Auth", GR, VM, M, NULL },
	{ 323, 0, "MIP-HA-to-FA-SPI", U32, VM, M, NULL },
	{ 325, 0, "MIP-MN-to-FA-MSA", GR, VM, M, NULL },
	{ 326, 0, "MIP-FA-to-MN-MSA", GR, VM, M, NULL },
	{ 328, 0, "MIP-FA-to-HA-MSA", GR, VM, M, NULL },
	{ 329, 0, "MIP-HA-to-FA-MSA", GR, VM, M, NULL },
	{ 331, 0, "MIP-MN-to-HA-MSA", GR, VM, M, NULL },
	{ 332, 0, "MIP-HA-to-MN-MSA", GR, VM, M, NULL },
	{ 333, 0, "MIP-Mobile-Node-Address", OS, VM, M, "Address" },
	{ 334, 0, "MIP-Home-Agent-Address", OS, VM, M, "Address" },
	{ 335, 0, "MIP-Nonce", OS, VM, M, NULL },
	{ 336, 0, "MIP-Candidate-Home-Agent-Host", OS, VM, M, "DiameterIdentity" },
	{ 337, 0, "MIP-Feature-Vector", U32, VM, M, "Enumerated*(MIP-Feature-Vector)" },
	{ 338, 0, "MIP-Auth-Input-Data-Length", U32, VM, M, NULL },
	{ 339, 0, "MIP-Authenticator-Length", U32, VM, M, NULL },
	{ 340, 0, "MIP-Authenticator-Offset", U32, VM, M, NULL },
	{ 341, 0, "MIP-MN-AAA-SPI", U32, VM, M, NULL },
	{ 342, 0, "MIP-Filter-Rule", OS, VM, M, "IPFilterRule" },
	{ 343, 0, "MIP-Session-Key", OS, VM, M, NULL },
	{ 344, 0, "MIP-FA-Challenge", OS, VM, M, NULL },
	{ 345, 0, "MIP-Algorithm-Type", I32, VM, M, "Enumerated(MIP-Algorithm-Type)" },
	{ 346, 0, "MIP-Replay-Mode", I32, VM, M, "Enumerated(MIP-Replay-Mode)" },
	{ 347, 0, "MIP-Originating-Foreign-AAA", GR, VM, M, NULL },
	{ 348, 0, "MIP-Home-Agent-Host", GR, VM, M, NULL },
	{ 367, 0, "MIP-MSA-Lifetime", U32, VM, M, NULL },
	{ 491, 0, "MIP-MN-HA-SPI", U32, VM, M, NULL },
};

static const struct spec_enum enums[] = {
	{ 345, 0, 2, "HMAC-SHA-1 [HMAC]" },
	{ 346, 0, 1, "None" },
	{ 346, 0, 2, "Timestamp" },
	{ 346, 0, 3, "Nonces" },
	{ 337, 0, 1, "Mobile-Node-Home-Address-Requested" },
	{ 337, 0, 2, "Home-Address-Allocatable-Only-in-Home-Realm" },
	{ 337, 0, 4, "Home-Agent-Requested" },
	{ 337, 0, 8, "Foreign-Home-Agent-Available" },
	{ 337, 0, 16, "MN-HA-Key-Request" },
	{ 337, 0, 32, "MN-FA-Key-Request" },
	{ 337, 0, 64, "FA-HA-Key-Request" },
	{ 337, 0, 128, "Home-Agent-In-Foreign-Network" },
	{ 337, 0, 256, "Co-Located-Mobile-Node" },
	{ 268, 0, 4005, "DIAMETER_ERROR_MIP_REPLY_FAILURE" },
	{ 268, 0, 4006, "DIAMETER_ERROR_HA_NOT_AVAILABLE" },
	{ 268, 0, 4007, "DIAMETER_ERROR_BAD_KEY" },
	{ 268, 0, 4008, "DIAMETER_ERROR_MIP_FILTER_NOT_SUPPORTED" },
	{ 268, 0, 5024, "DIAMETER_ERROR_NO_FOREIGN_HA_SERVICE" },
	{ 268, 0, 5025, "DIAMETER_ERROR_END_TO_END_MIP_KEY_ENCRYPTION" },
};

/* < X > fixed head, { X } required, [ X ] optional, *[ X ] any number. */
#define FIX(c) { c, 0, RULE_FIXED_HEAD, -1, 1 }
#define REQ(c) { c, 0, RULE_REQUIRED, -1, 1 }
#define OPT(c) { c, 0, RULE_OPTIONAL, -1, 1 }
#define ANY(c) { c, 0, RULE_OPTIONAL, -1, -1 }

/* Base AVP codes */
enum {
	USER_NAME = 1, ACCT_MULTI_SESSION_ID = 50, AUTH_APP_ID = 258, SESSION_ID = 263,
	ORIGIN_HOST = 264, RESULT_CODE = 268, AUTH_SESSION_STATE = 277, ORIGIN_STATE_ID = 278,
	ERROR_MESSAGE = 281, ROUTE_RECORD = 282, DEST_REALM = 283, PROXY_INFO = 284,
	RE_AUTH_REQUEST_TYPE = 285, AUTHZ_LIFETIME = 291, DEST_HOST = 293, ERROR_REPORTING_HOST = 294,
	ORIGIN_REALM = 296,
};

static const struct spec_rule r_amr[] = {
	FIX(SESSION_ID), REQ(AUTH_APP_ID), REQ(USER_NAME), REQ(DEST_REALM), REQ(ORIGIN_HOST),
	REQ(ORIGIN_REALM), REQ(320), REQ(322), OPT(ACCT_MULTI_SESSION_ID), OPT(DEST_HOST),
	OPT(ORIGIN_STATE_ID), OPT(333), OPT(334), OPT(337), OPT(347), OPT(AUTHZ_LIFETIME),
	OPT(AUTH_SESSION_STATE), OPT(344), OPT(336), OPT(348), OPT(323), ANY(PROXY_INFO),
	ANY(ROUTE_RECORD),
};
static const struct spec_rule r_ama[] = {
	FIX(SESSION_ID), REQ(AUTH_APP_ID), REQ(RESULT_CODE), REQ(ORIGIN_HOST), REQ(ORIGIN_REALM),
	OPT(ACCT_MULTI_SESSION_ID), OPT(USER_NAME), OPT(AUTHZ_LIFETIME), OPT(AUTH_SESSION_STATE),
	OPT(ERROR_MESSAGE), OPT(ERROR_REPORTING_HOST), OPT(RE_AUTH_REQUEST_TYPE), OPT(337),
	OPT(321), OPT(325), OPT(331), OPT(326), OPT(328), OPT(332), OPT(367), OPT(334), OPT(333),
	ANY(342), OPT(ORIGIN_STATE_ID), ANY(PROXY_INFO),
};
static const struct spec_rule r_har[] = {
	FIX(SESSION_ID), REQ(AUTH_APP_ID), REQ(AUTHZ_LIFETIME), REQ(AUTH_SESSION_STATE), REQ(320),
	REQ(ORIGIN_HOST), REQ(ORIGIN_REALM), REQ(USER_NAME), REQ(DEST_REALM), REQ(337),
	OPT(DEST_HOST), OPT(331), OPT(325), OPT(332), OPT(329), OPT(367), OPT(347), OPT(333),
	OPT(334), ANY(342), OPT(ORIGIN_STATE_ID), ANY(PROXY_INFO), ANY(ROUTE_RECORD),
};
static const struct spec_rule r_haa[] = {
	FIX(SESSION_ID), REQ(AUTH_APP_ID), REQ(RESULT_CODE), REQ(ORIGIN_HOST), REQ(ORIGIN_REALM),
	OPT(ACCT_MULTI_SESSION_ID), OPT(USER_NAME), OPT(ERROR_REPORTING_HOST), OPT(ERROR_MESSAGE),
	OPT(321), OPT(334), OPT(333), OPT(318), OPT(319), OPT(ORIGIN_STATE_ID), ANY(PROXY_INFO),
};

struct spec_cmd {
	const char *name;
	uint32_t code;
	int request;
	uint8_t flag_mask, flag_val;
	struct spec_rules rules;
};

#define RULES(what, r) { what, r, N_OF(r) }
#define RPE (CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE | CMD_FLAG_ERROR)
#define RP (CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE)

static const struct spec_cmd cmds[] = {
	{ "AA-Mobile-Node-Request", 260, 1, RPE, RP, RULES("AMR", r_amr) },
	{ "AA-Mobile-Node-Answer", 260, 0, RP, CMD_FLAG_PROXIABLE, RULES("AMA", r_ama) },
	{ "Home-Agent-MIP-Request", 262, 1, RPE, RP, RULES("HAR", r_har) },
	{ "Home-Agent-MIP-Answer", 262, 0, RP, CMD_FLAG_PROXIABLE, RULES("HAA", r_haa) },
};

/* Grouped AVPs (RFC-NOTES §5.3: undefined SPI members left out, 491 optional). */
static const struct spec_rule g322[] = { REQ(341), REQ(338), REQ(339), REQ(340) };
static const struct spec_rule g325[] = { REQ(345), REQ(335) };
static const struct spec_rule g326[] = { REQ(319), REQ(345), REQ(343) };
static const struct spec_rule g328[] = { REQ(318), REQ(345), REQ(343) };
static const struct spec_rule g329[] = { REQ(323), REQ(345), REQ(343) };
static const struct spec_rule g331[] = { OPT(491), REQ(345), REQ(346), REQ(335) };
static const struct spec_rule g332[] = { REQ(345), REQ(346), REQ(343) };
static const struct spec_rule g347[] = { REQ(ORIGIN_REALM), REQ(ORIGIN_HOST) };
static const struct spec_rule g348[] = { REQ(DEST_REALM), REQ(DEST_HOST) };

static const struct {
	uint32_t code;
	struct spec_rules rules;
} groups[] = {
	{ 322, RULES("MIP-MN-AAA-Auth", g322) },   { 325, RULES("MIP-MN-to-FA-MSA", g325) },
	{ 326, RULES("MIP-FA-to-MN-MSA", g326) },  { 328, RULES("MIP-FA-to-HA-MSA", g328) },
	{ 329, RULES("MIP-HA-to-FA-MSA", g329) },  { 331, RULES("MIP-MN-to-HA-MSA", g331) },
	{ 332, RULES("MIP-HA-to-MN-MSA", g332) },  { 347, RULES("MIP-Originating-Foreign-AAA", g347) },
	{ 348, RULES("MIP-Home-Agent-Host", g348) },
};

static struct dict_object *find_cmd(const struct spec_cmd *c)
{
	command_code_t code = c->code;
	struct dict_object *o = NULL;
	cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND,
				    c->request ? CMD_BY_CODE_R : CMD_BY_CODE_A, &code, &o, ENOENT),
		     0, "command %s missing", c->name);
	return o;
}

/* The whole spec: every AVP, constant, grouped rule set and command. */
static void check_all(void)
{
	for (size_t i = 0; i < N_OF(avps); i++)
		dict_test_check_avp(&avps[i]);
	for (size_t i = 0; i < N_OF(enums); i++)
		dict_test_check_enum(&enums[i]);
	for (size_t i = 0; i < N_OF(groups); i++)
		dict_test_check_rules(dict_test_avp(groups[i].code, 0), &groups[i].rules);

	struct dict_object *app, *appof;
	application_id_t id = 2;
	cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_APPLICATION, APPLICATION_BY_ID, &id,
				    &app, ENOENT), 0, "application 2 missing");
	struct dict_application_data ad;
	cr_assert_eq(fd_dict_getval(app, &ad), 0);
	cr_expect_str_eq(ad.application_name, "Diameter Mobile IPv4 Application");
	for (size_t i = 0; i < N_OF(cmds); i++) {
		struct dict_object *o = find_cmd(&cmds[i]);
		struct dict_cmd_data d;
		cr_assert_eq(fd_dict_getval(o, &d), 0);
		cr_expect_str_eq(d.cmd_name, cmds[i].name);
		cr_expect_eq(d.cmd_code, cmds[i].code);
		cr_expect_eq(d.cmd_flag_mask, cmds[i].flag_mask, "%s flag mask", cmds[i].name);
		cr_expect_eq(d.cmd_flag_val & d.cmd_flag_mask, cmds[i].flag_val, "%s flags",
			     cmds[i].name);
		cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_APPLICATION,
					    APPLICATION_OF_COMMAND, o, &appof, ENOENT), 0);
		cr_expect_eq(appof, app, "%s belongs to application 2", cmds[i].name);
		dict_test_check_rules(o, &cmds[i].rules);
	}
}

static void check_resolve(void)
{
	struct dict_mip4 h;
	struct dict_base b;
	memset(&h, 0, sizeof(h));
	cr_assert_eq(dict_mip4_resolve(&h), 0);
	cr_assert_eq(dict_base_resolve(&b), 0);
	struct dict_object **slot = (struct dict_object **)&h;
	for (size_t i = 0; i < sizeof(h) / sizeof(*slot); i++)
		cr_expect_not_null(slot[i], "dict_mip4 handle %zu unset", i);
	cr_expect_eq(h.mip_mn_ha_spi, dict_test_avp(491, 0));
	cr_expect_eq(h.mip_nonce, dict_test_avp(335, 0));
	cr_expect_eq(h.cmd_amr, find_cmd(&cmds[0]));
	cr_expect_eq(h.cmd_ama, find_cmd(&cmds[1]));
	cr_expect_eq(h.cmd_har, find_cmd(&cmds[2]));
	cr_expect_eq(h.cmd_haa, find_cmd(&cmds[3]));
	cr_expect_eq(b.result_code, dict_test_avp(268, 0));
	cr_expect_eq(b.route_record, dict_test_avp(282, 0));
}

TestSuite(dict_mip4, .init = dict_test_init);

Test(dict_mip4, registers_the_whole_spec)
{
	cr_assert_eq(dict_mip4_register(), 0);
	check_all();
	check_resolve();
}

Test(dict_mip4, resolve_before_register_is_enoent)
{
	struct dict_mip4 h;
	cr_expect_eq(dict_mip4_resolve(&h), ENOENT);
}

Test(dict_mip4, register_twice_is_idempotent)
{
	cr_assert_eq(dict_mip4_register(), 0);
	struct dict_mip4 h;
	cr_assert_eq(dict_mip4_resolve(&h), 0);
	struct dict_object *parents[] = { h.cmd_amr, h.cmd_ama, h.cmd_har, h.cmd_haa,
					  h.mip_mn_to_ha_msa, h.mip_home_agent_host };
	size_t before = dict_test_count_objects(parents, N_OF(parents));
	cr_assert_eq(dict_mip4_register(), 0);
	cr_expect_eq(dict_test_count_objects(parents, N_OF(parents)), before);
	check_all();
}

/* dict_mip6i/dict_mip6a (with dict_rfc5777, which they need) loaded first: our
 * shared objects must be identical to theirs, or registration fails. */
Test(dict_mip4, after_stock_mip6_dictionaries)
{
	cr_assert_eq(dict_test_load_fdx("dict_nasreq"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_eap"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_rfc5777"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_mip6i"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_mip6a"), 0);
	cr_assert_eq(dict_mip4_register(), 0);
	check_all();
	check_resolve();
}

Test(dict_mip4, before_stock_mip6_dictionaries)
{
	cr_assert_eq(dict_mip4_register(), 0);
	cr_assert_eq(dict_test_load_fdx("dict_nasreq"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_eap"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_rfc5777"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_mip6i"), 0, "dict_mip6i refused our definitions");
	cr_assert_eq(dict_test_load_fdx("dict_mip6a"), 0, "dict_mip6a refused our definitions");
	check_all();
}

/* An identical definition under the same name, made by someone else first. */
Test(dict_mip4, reuses_identical_existing_avp)
{
	struct dict_avp_data d = { 343, 0, "MIP-Session-Key", VM, M, OS };
	struct dict_object *mine = NULL;
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, NULL, &mine), 0);
	cr_assert_eq(dict_mip4_register(), 0);
	cr_expect_eq(dict_test_avp(343, 0), mine);
	check_all();
}

Test(dict_mip4, conflicting_avp_type_is_eexist)
{
	struct dict_avp_data d = { 343, 0, "MIP-Session-Key", VM, M, U32 };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, NULL, NULL), 0);
	cr_expect_eq(dict_mip4_register(), EEXIST);
}

Test(dict_mip4, conflicting_avp_flags_is_eexist)
{
	struct dict_avp_data d = { 320, 0, "MIP-Reg-Request", VM, 0, OS };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, NULL, NULL), 0);
	cr_expect_eq(dict_mip4_register(), EEXIST);
}

Test(dict_mip4, avp_name_taken_by_another_code_is_eexist)
{
	struct dict_avp_data d = { 9999, 0, "MIP-Nonce", VM, M, OS };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, NULL, NULL), 0);
	cr_expect_eq(dict_mip4_register(), EEXIST);
}

Test(dict_mip4, conflicting_group_rule_is_eexist)
{
	struct dict_avp_data d = { 348, 0, "MIP-Home-Agent-Host", VM, M, GR };
	struct dict_object *g;
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, NULL, &g), 0);
	struct dict_rule_data r = { .rule_avp = dict_test_avp(DEST_HOST, 0),
				    .rule_position = RULE_OPTIONAL, .rule_min = -1, .rule_max = 1 };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_RULE, &r, g, NULL), 0);
	cr_expect_eq(dict_mip4_register(), EEXIST);
}

Test(dict_mip4, conflicting_enum_constant_is_eexist)
{
	struct dict_type_data t = { .type_base = I32, .type_name = "Enumerated(MIP-Replay-Mode)" };
	struct dict_object *type;
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_TYPE, &t, NULL, &type), 0);
	struct dict_enumval_data e = { .enum_name = "Nonces", .enum_value.i32 = 7 };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_ENUMVAL, &e, type, NULL), 0);
	cr_expect_eq(dict_mip4_register(), EEXIST);
}

Test(dict_mip4, conflicting_command_flags_is_eexist)
{
	struct dict_cmd_data c = { 262, "Home-Agent-MIP-Request", RPE, CMD_FLAG_REQUEST };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_COMMAND, &c, NULL, NULL), 0);
	cr_expect_eq(dict_mip4_register(), EEXIST);
}
