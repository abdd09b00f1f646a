/*
 * The 3GPP Zn application (TS 29.109) as freeDiameter dictionary objects.  Names
 * and derived types follow freeDiameter's own 3GPP dictionary (1.5.0 defines
 * AVPs 400-410; "NAF-Id", "GBA-U-Awareness-Indicator", "Enumerated(3GPP/...)")
 * so that either may load first; AVPs are found by code and vendor first, so an
 * older or foreign name for the same definition is reused as it is.
 */
#include "dict/dict_zn.h"

#include <errno.h>

#include "dict/dict_util.h"

#define V AVP_FLAG_VENDOR
#define VM (AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY)

enum {
	B_USER_NAME = 1,
	B_VENDOR_SPECIFIC_APPLICATION_ID = 260,
	B_SESSION_ID = 263,
	B_ORIGIN_HOST = 264,
	B_RESULT_CODE = 268,
	B_ROUTE_RECORD = 282,
	B_DESTINATION_REALM = 283,
	B_PROXY_INFO = 284,
	B_DESTINATION_HOST = 293,
	B_ORIGIN_REALM = 296,
	B_EXPERIMENTAL_RESULT = 297,
	B_EXPERIMENTAL_RESULT_CODE = 298,
};

enum {
	Z_GBA_USERSECSETTINGS = 400,
	Z_TRANSACTION_IDENTIFIER = 401,
	Z_NAF_ID = 402,
	Z_GAA_SERVICE_IDENTIFIER = 403,
	Z_KEY_EXPIRYTIME = 404,
	Z_ME_KEY_MATERIAL = 405,
	Z_UICC_KEY_MATERIAL = 406,
	Z_GBA_U_AWARENESS_INDICATOR = 407,
	Z_BOOTSTRAPINFO_CREATIONTIME = 408,
	Z_GUSS_TIMESTAMP = 409,
	Z_GBA_TYPE = 410,
};

static const struct dict_util_enum zn_gba_u_awareness[] = {
	{ "NO", ZN_GBA_U_AWARE_NO },
	{ "YES", ZN_GBA_U_AWARE_YES },
};

static const struct dict_util_enum zn_gba_types[] = {
	{ "3G GBA", ZN_GBA_TYPE_3G },
	{ "2G GBA", ZN_GBA_TYPE_2G },
};

static const struct dict_util_enum zn_experimental_results[] = {
	{ "DIAMETER_ERROR_IMPI_UNKNOWN", ZN_ER_IMPI_UNKNOWN },
	{ "DIAMETER_ERROR_NOT_AUTHORIZED", ZN_ER_NOT_AUTHORIZED },
	{ "DIAMETER_ERROR_TRANSACTION_IDENTIFIER_INVALID", ZN_ER_TRANSACTION_IDENTIFIER_INVALID },
};

#define ENUMS(a) a, DICT_UTIL_N(a)
#define OS AVP_TYPE_OCTETSTRING
#define ZN ZN_VENDOR_3GPP

static const struct dict_util_avp zn_avps[] = {
	{ Z_GBA_USERSECSETTINGS, ZN, "GBA-UserSecSettings", OS, VM, VM, NULL, NULL, 0 },
	{ Z_TRANSACTION_IDENTIFIER, ZN, "Transaction-Identifier", OS, VM, VM, NULL, NULL, 0 },
	{ Z_NAF_ID, ZN, "NAF-Id", OS, VM, VM, NULL, NULL, 0 },
	{ Z_GAA_SERVICE_IDENTIFIER, ZN, "GAA-Service-Identifier", OS, VM, VM, NULL, NULL, 0 },
	{ Z_KEY_EXPIRYTIME, ZN, "Key-ExpiryTime", OS, VM, VM, "Time", NULL, 0 },
	{ Z_ME_KEY_MATERIAL, ZN, "ME-Key-Material", OS, VM, VM, NULL, NULL, 0 },
	{ Z_UICC_KEY_MATERIAL, ZN, "UICC-Key-Material", OS, VM, VM, NULL, NULL, 0 },
	{ Z_GBA_U_AWARENESS_INDICATOR, ZN, "GBA-U-Awareness-Indicator", AVP_TYPE_INTEGER32, VM, VM,
	  "Enumerated(3GPP/GBA-U-Awareness-Indicator)", ENUMS(zn_gba_u_awareness) },
	{ Z_BOOTSTRAPINFO_CREATIONTIME, ZN, "BootstrapInfoCreationTime", OS, VM, VM, "Time", NULL,
	  0 },
	{ Z_GUSS_TIMESTAMP, ZN, "GUSS-Timestamp", OS, VM, V, "Time", NULL, 0 },
	{ Z_GBA_TYPE, ZN, "GBA-Type", AVP_TYPE_INTEGER32, VM, VM, "Enumerated(3GPP/GBA-Type)",
	  ENUMS(zn_gba_types) },
};

#define FIXED(c, v) { c, v, RULE_FIXED_HEAD, -1, 1 }
#define REQ(c, v) { c, v, RULE_REQUIRED, -1, 1 }
#define OPT(c, v) { c, v, RULE_OPTIONAL, -1, 1 }
#define ANY(c, v) { c, v, RULE_OPTIONAL, -1, -1 }

/* The BIR and BIA grammars of TS 29.109 (Zn). */
static const struct dict_util_rule zn_bir[] = {
	FIXED(B_SESSION_ID, 0),
	REQ(B_VENDOR_SPECIFIC_APPLICATION_ID, 0), REQ(B_ORIGIN_HOST, 0), REQ(B_ORIGIN_REALM, 0),
	REQ(B_DESTINATION_REALM, 0), OPT(B_DESTINATION_HOST, 0), ANY(Z_GAA_SERVICE_IDENTIFIER, ZN),
	REQ(Z_TRANSACTION_IDENTIFIER, ZN), REQ(Z_NAF_ID, ZN), OPT(Z_GBA_U_AWARENESS_INDICATOR, ZN),
	ANY(B_PROXY_INFO, 0), ANY(B_ROUTE_RECORD, 0),
};
static const struct dict_util_rule zn_bia[] = {
	FIXED(B_SESSION_ID, 0),
	REQ(B_VENDOR_SPECIFIC_APPLICATION_ID, 0), OPT(B_RESULT_CODE, 0),
	OPT(B_EXPERIMENTAL_RESULT, 0), REQ(B_ORIGIN_HOST, 0), REQ(B_ORIGIN_REALM, 0),
	OPT(B_USER_NAME, 0), OPT(Z_ME_KEY_MATERIAL, ZN), OPT(Z_UICC_KEY_MATERIAL, ZN),
	OPT(Z_KEY_EXPIRYTIME, ZN), OPT(Z_BOOTSTRAPINFO_CREATIONTIME, ZN),
	OPT(Z_GBA_USERSECSETTINGS, ZN), OPT(Z_GBA_TYPE, ZN),
	ANY(B_PROXY_INFO, 0), ANY(B_ROUTE_RECORD, 0),
};

static const struct dict_util_cmd zn_cmds[] = {
	{ ZN_CMD_BI, "Bootstrapping-Info-Request",
	  CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE | CMD_FLAG_ERROR,
	  CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE, zn_bir, DICT_UTIL_N(zn_bir) },
	{ ZN_CMD_BI, "Bootstrapping-Info-Answer", CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE,
	  CMD_FLAG_PROXIABLE, zn_bia, DICT_UTIL_N(zn_bia) },
};

int dict_zn_register_avps(void)
{
	struct dict_object *vendor;
	int ret = dict_util_vendor(ZN_VENDOR_3GPP, "3GPP", &vendor);
	for (size_t i = 0; ret == 0 && i < DICT_UTIL_N(zn_avps); i++)
		ret = dict_util_avp(&zn_avps[i], NULL);
	return ret;
}

int dict_zn_register(void)
{
	struct dict_object *app;
	int ret = dict_zn_register_avps();
	if (ret == 0)
		ret = dict_util_app(ZN_APP_ID, "3GPP Zn", &app);
	if (ret)
		return ret;
	for (size_t i = 0; i < DICT_UTIL_N(zn_cmds); i++) {
		ret = dict_util_cmd(&zn_cmds[i], app, NULL);
		if (ret)
			return ret;
	}
	return dict_util_avp_enums(B_EXPERIMENTAL_RESULT_CODE, 0, ENUMS(zn_experimental_results));
}

int dict_zn_resolve(struct dict_zn *d)
{
	const struct {
		struct dict_object **slot;
		uint32_t code;
	} avps[] = {
		{ &d->gba_usersecsettings, Z_GBA_USERSECSETTINGS },
		{ &d->transaction_identifier, Z_TRANSACTION_IDENTIFIER },
		{ &d->naf_id, Z_NAF_ID },
		{ &d->gaa_service_identifier, Z_GAA_SERVICE_IDENTIFIER },
		{ &d->key_expirytime, Z_KEY_EXPIRYTIME },
		{ &d->me_key_material, Z_ME_KEY_MATERIAL },
		{ &d->uicc_key_material, Z_UICC_KEY_MATERIAL },
		{ &d->gba_u_awareness_indicator, Z_GBA_U_AWARENESS_INDICATOR },
		{ &d->bootstrapinfo_creationtime, Z_BOOTSTRAPINFO_CREATIONTIME },
		{ &d->guss_timestamp, Z_GUSS_TIMESTAMP },
		{ &d->gba_type, Z_GBA_TYPE },
	};
	if (dict_util_find_vendor(ZN_VENDOR_3GPP, &d->vendor) ||
	    dict_util_find_app(ZN_APP_ID, &d->app) ||
	    dict_util_find_cmds(ZN_CMD_BI, &d->cmd_bir, &d->cmd_bia))
		return ENOENT;
	for (size_t i = 0; i < DICT_UTIL_N(avps); i++)
		if (dict_util_find_avp(avps[i].code, ZN_VENDOR_3GPP, avps[i].slot))
			return ENOENT;
	return 0;
}
