/*
 * dict_zn against the spec (TS 29.109 §6, PROTOCOL.md §5): the tables below
 * are the expected dictionary.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "dict/dict_zn.h"
#include "tests/unit/test_dict_support.h"

#define V AVP_FLAG_VENDOR
#define VM (AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY)
#define OS AVP_TYPE_OCTETSTRING
#define I32 AVP_TYPE_INTEGER32
#define G 10415

static const struct spec_avp avps[] = {
	{ 400, G, "GBA-UserSecSettings", OS, VM, VM, NULL },
	{ 401, G, "Transaction-Identifier", OS, VM, VM, NULL },
	{ 402, G, "NAF-Id", OS, VM, VM, NULL },
	{ 403, G, "GAA-Service-Identifier", OS, VM, VM, NULL },
	{ 404, G, "Key-ExpiryTime", OS, VM, VM, "Time" },
	{ 405, G, "ME-Key-Material", OS, VM, VM, NULL },
	{ 406, G, "UICC-Key-Material", OS, VM, VM, NULL },
	{ 407, G, "GBA-U-Awareness-Indicator", I32, VM, VM,
	  "Enumerated(3GPP/GBA-U-Awareness-Indicator)" },
	{ 408, G, "BootstrapInfoCreationTime", OS, VM, VM, "Time" },
	{ 409, G, "GUSS-Timestamp", OS, VM, V, "Time" },
	{ 410, G, "GBA-Type", I32, VM, VM, "Enumerated(3GPP/GBA-Type)" },
};

static const struct spec_enum enums[] = {
	{ 407, G, 0, "NO" },
	{ 407, G, 1, "YES" },
	{ 410, G, 0, "3G GBA" },
	{ 410, G, 1, "2G GBA" },
	{ 298, 0, 5401, "DIAMETER_ERROR_IMPI_UNKNOWN" },
	{ 298, 0, 5402, "DIAMETER_ERROR_NOT_AUTHORIZED" },
	{ 298, 0, 5403, "DIAMETER_ERROR_TRANSACTION_IDENTIFIER_INVALID" },
};

#define FIX(c, v) { c, v, RULE_FIXED_HEAD, -1, 1 }
#define REQ(c, v) { c, v, RULE_REQUIRED, -1, 1 }
#define OPT(c, v) { c, v, RULE_OPTIONAL, -1, 1 }
#define ANY(c, v) { c, v, RULE_OPTIONAL, -1, -1 }

enum {
	USER_NAME = 1, VSAI = 260, SESSION_ID = 263, ORIGIN_HOST = 264, RESULT_CODE = 268,
	ROUTE_RECORD = 282, DEST_REALM = 283, PROXY_INFO = 284, DEST_HOST = 293,
	ORIGIN_REALM = 296, EXPERIMENTAL_RESULT = 297,
};

static const struct spec_rule r_bir[] = {
	FIX(SESSION_ID, 0), REQ(VSAI, 0), REQ(ORIGIN_HOST, 0), REQ(ORIGIN_REALM, 0),
	REQ(DEST_REALM, 0), OPT(DEST_HOST, 0), ANY(403, G), REQ(401, G), REQ(402, G), OPT(407, G),
	ANY(PROXY_INFO, 0), ANY(ROUTE_RECORD, 0),
};
static const struct spec_rule r_bia[] = {
	FIX(SESSION_ID, 0), REQ(VSAI, 0), OPT(RESULT_CODE, 0), OPT(EXPERIMENTAL_RESULT, 0),
	REQ(ORIGIN_HOST, 0), REQ(ORIGIN_REALM, 0), OPT(USER_NAME, 0), OPT(405, G), OPT(406, G),
	OPT(404, G), OPT(408, G), OPT(400, G), OPT(410, G), ANY(PROXY_INFO, 0),
	ANY(ROUTE_RECORD, 0),
};

#define RULES(what, r) { what, r, N_OF(r) }
#define RPE (CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE | CMD_FLAG_ERROR)
#define RP (CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE)

static const struct {
	const char *name;
	int request;
	uint8_t flag_mask, flag_val;
	struct spec_rules rules;
} cmds[] = {
	{ "Bootstrapping-Info-Request", 1, RPE, RP, RULES("BIR", r_bir) },
	{ "Bootstrapping-Info-Answer", 0, RP, CMD_FLAG_PROXIABLE, RULES("BIA", r_bia) },
};

static struct dict_object *find_cmd(int request)
{
	command_code_t code = 310;
	struct dict_object *o = NULL;
	cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND,
				    request ? CMD_BY_CODE_R : CMD_BY_CODE_A, &code, &o, ENOENT),
		     0, "command 310 %s missing", request ? "request" : "answer");
	return o;
}

/* The whole spec, except the name of AVP 407 and of its type, which may come
 * from a dictionary loaded before ours. */
static void check_all(const char *name_407, const char *type_407)
{
	for (size_t i = 0; i < N_OF(avps); i++) {
		struct spec_avp s = avps[i];
		if (s.code == 407) {
			s.name = name_407;
			s.type_name = type_407;
		}
		dict_test_check_avp(&s);
	}
	for (size_t i = 0; i < N_OF(enums); i++)
		dict_test_check_enum(&enums[i]);

	struct dict_object *vendor, *app, *appof;
	vendor_id_t vid = G;
	cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_VENDOR, VENDOR_BY_ID, &vid, &vendor,
				    ENOENT), 0, "vendor 10415 missing");
	application_id_t id = 16777220;
	cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_APPLICATION, APPLICATION_BY_ID, &id,
				    &app, ENOENT), 0, "application 16777220 missing");
	for (size_t i = 0; i < N_OF(cmds); i++) {
		struct dict_object *o = find_cmd(cmds[i].request);
		struct dict_cmd_data d;
		cr_assert_eq(fd_dict_getval(o, &d), 0);
		cr_expect_str_eq(d.cmd_name, cmds[i].name);
		cr_expect_eq(d.cmd_code, 310);
		cr_expect_eq(d.cmd_flag_mask, cmds[i].flag_mask, "%s flag mask", cmds[i].name);
		cr_expect_eq(d.cmd_flag_val & d.cmd_flag_mask, cmds[i].flag_val, "%s flags",
			     cmds[i].name);
		cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_APPLICATION,
					    APPLICATION_OF_COMMAND, o, &appof, ENOENT), 0);
		cr_expect_eq(appof, app, "%s belongs to application 16777220", cmds[i].name);
		dict_test_check_rules(o, &cmds[i].rules);
	}

	struct dict_zn h;
	memset(&h, 0, sizeof(h));
	cr_assert_eq(dict_zn_resolve(&h), 0);
	struct dict_object **slot = (struct dict_object **)&h;
	for (size_t i = 0; i < sizeof(h) / sizeof(*slot); i++)
		cr_expect_not_null(slot[i], "dict_zn handle %zu unset", i);
	cr_expect_eq(h.vendor, vendor);
	cr_expect_eq(h.app, app);
	cr_expect_eq(h.cmd_bir, find_cmd(1));
	cr_expect_eq(h.cmd_bia, find_cmd(0));
	cr_expect_eq(h.gba_u_awareness_indicator, dict_test_avp(407, G));
	cr_expect_eq(h.naf_id, dict_test_avp(402, G));
	cr_expect_eq(h.guss_timestamp, dict_test_avp(409, G));
}

TestSuite(dict_zn, .init = dict_test_init);

Test(dict_zn, registers_the_whole_spec)
{
	cr_assert_eq(dict_zn_register(), 0);
	check_all("GBA-U-Awareness-Indicator", "Enumerated(3GPP/GBA-U-Awareness-Indicator)");
}

Test(dict_zn, resolve_before_register_is_enoent)
{
	struct dict_zn h;
	cr_expect_eq(dict_zn_resolve(&h), ENOENT);
}

Test(dict_zn, register_twice_is_idempotent)
{
	cr_assert_eq(dict_zn_register(), 0);
	struct dict_object *parents[] = { find_cmd(1), find_cmd(0) };
	size_t before = dict_test_count_objects(parents, N_OF(parents));
	cr_assert_eq(dict_zn_register(), 0);
	cr_expect_eq(dict_test_count_objects(parents, N_OF(parents)), before);
	check_all("GBA-U-Awareness-Indicator", "Enumerated(3GPP/GBA-U-Awareness-Indicator)");
}

Test(dict_zn, with_stock_3gpp_dictionaries_either_order)
{
	cr_assert_eq(dict_zn_register(), 0);
	cr_assert_eq(dict_test_load_fdx("dict_nasreq"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_dcca"), 0);
	cr_assert_eq(dict_test_load_fdx("dict_dcca_3gpp"), 0);
	cr_assert_eq(dict_zn_register(), 0);
	check_all("GBA-U-Awareness-Indicator", "Enumerated(3GPP/GBA-U-Awareness-Indicator)");
}

/* 407 already defined under TS 29.109's own spelling (as Wireshark and older
 * dictionaries name it), with its own enumerated type: reused as it is. */
Test(dict_zn, reuses_407_under_another_name)
{
	struct dict_vendor_data v = { G, "3GPP" };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_VENDOR, &v, NULL, NULL), 0);
	struct dict_type_data t = { .type_base = I32,
				    .type_name = "Enumerated(GBA_U-Awareness-Indicator)" };
	struct dict_object *type, *theirs;
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_TYPE, &t, NULL, &type), 0);
	struct dict_avp_data d = { 407, G, "GBA_U-Awareness-Indicator", VM, VM, I32 };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, type, &theirs), 0);
	cr_assert_eq(dict_zn_register(), 0);
	cr_expect_eq(dict_test_avp(407, G), theirs);
	check_all("GBA_U-Awareness-Indicator", "Enumerated(GBA_U-Awareness-Indicator)");
	struct dict_object *rtype;
	cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_TYPE, TYPE_OF_AVP, theirs, &rtype,
				    ENOENT), 0);
	cr_expect_eq(rtype, type, "constants were added to the existing type");
}

/* Same, with freeDiameter 1.5's definition (no constants on its type). */
Test(dict_zn, reuses_freediameter_1_5_definition)
{
	struct dict_vendor_data v = { G, "3GPP" };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_VENDOR, &v, NULL, NULL), 0);
	struct dict_type_data t = { .type_base = I32,
				    .type_name = "Enumerated(3GPP/GBA-U-Awareness-Indicator)" };
	struct dict_object *type;
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_TYPE, &t, NULL, &type), 0);
	struct dict_avp_data d = { 407, G, "GBA-U-Awareness-Indicator", VM, VM, I32 };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, type, NULL), 0);
	cr_assert_eq(dict_zn_register(), 0);
	check_all("GBA-U-Awareness-Indicator", "Enumerated(3GPP/GBA-U-Awareness-Indicator)");
}

Test(dict_zn, conflicting_407_type_is_eexist)
{
	struct dict_vendor_data v = { G, "3GPP" };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_VENDOR, &v, NULL, NULL), 0);
	struct dict_avp_data d = { 407, G, "GBA_U-Awareness-Indicator", VM, VM, OS };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, NULL, NULL), 0);
	cr_expect_eq(dict_zn_register(), EEXIST);
}

Test(dict_zn, conflicting_guss_timestamp_flags_is_eexist)
{
	struct dict_vendor_data v = { G, "3GPP" };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_VENDOR, &v, NULL, NULL), 0);
	struct dict_avp_data d = { 409, G, "GUSS-Timestamp", VM, VM, OS };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, NULL, NULL), 0);
	cr_expect_eq(dict_zn_register(), EEXIST);
}

Test(dict_zn, conflicting_experimental_result_name_is_eexist)
{
	struct dict_object *avp = dict_test_avp(298, 0), *type;
	cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_TYPE, TYPE_OF_AVP, avp, &type,
				    ENOENT), 0);
	struct dict_enumval_data e = { .enum_name = "DIAMETER_ERROR_NOT_AUTHORIZED",
				       .enum_value.u32 = 5999 };
	cr_assert_eq(fd_dict_new(fd_g_config->cnf_dict, DICT_ENUMVAL, &e, type, NULL), 0);
	cr_expect_eq(dict_zn_register(), EEXIST);
}
