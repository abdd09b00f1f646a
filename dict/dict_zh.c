/*
 * The 3GPP Zh application (TS 29.109) as freeDiameter dictionary objects.  The
 * AVPs copy freeDiameter 1.2.1's dict_dcca_3gpp definitions exactly (names,
 * base types, flags, UTF8String where it has it), so that either may load
 * first.
 */
#include "dict/dict_zh.h"

#include <errno.h>

#include "dict/dict_util.h"
#include "dict/dict_zn.h"

#define VM (AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY)
#define G ZN_VENDOR_3GPP

enum {
	B_USER_NAME = 1,
	B_VENDOR_SPECIFIC_APPLICATION_ID = 260,
	B_SESSION_ID = 263,
	B_ORIGIN_HOST = 264,
	B_RESULT_CODE = 268,
	B_AUTH_SESSION_STATE = 277,
	B_ROUTE_RECORD = 282,
	B_DESTINATION_REALM = 283,
	B_PROXY_INFO = 284,
	B_DESTINATION_HOST = 293,
	B_ORIGIN_REALM = 296,
	B_EXPERIMENTAL_RESULT = 297,
	B_EXPERIMENTAL_RESULT_CODE = 298,
};

/* TS 29.229 §6.3 codes; 400 and 409 (TS 29.109) come from dict_zn. */
enum {
	C_PUBLIC_IDENTITY = 601,
	C_SERVER_NAME = 602,
	C_SIP_NUMBER_AUTH_ITEMS = 607,
	C_SIP_AUTHENTICATION_SCHEME = 608,
	C_SIP_AUTHENTICATE = 609,
	C_SIP_AUTHORIZATION = 610,
	C_SIP_AUTHENTICATION_CONTEXT = 611,
	C_SIP_AUTH_DATA_ITEM = 612,
	C_SIP_ITEM_NUMBER = 613,
	C_CONFIDENTIALITY_KEY = 625,
	C_INTEGRITY_KEY = 626,
	Z_GBA_USERSECSETTINGS = 400,
	Z_GUSS_TIMESTAMP = 409,
};

#define OS AVP_TYPE_OCTETSTRING
#define U32 AVP_TYPE_UNSIGNED32

static const struct dict_util_avp zh_avps[] = {
	{ C_PUBLIC_IDENTITY, G, "Public-Identity", OS, VM, VM, "UTF8String", NULL, 0 },
	{ C_SERVER_NAME, G, "Server-Name", OS, VM, VM, "UTF8String", NULL, 0 },
	{ C_SIP_NUMBER_AUTH_ITEMS, G, "SIP-Number-Auth-Items", U32, VM, VM, NULL, NULL, 0 },
	{ C_SIP_AUTHENTICATION_SCHEME, G, "SIP-Authentication-Scheme", OS, VM, VM, "UTF8String", NULL, 0 },
	{ C_SIP_AUTHENTICATE, G, "SIP-Authenticate", OS, VM, VM, NULL, NULL, 0 },
	{ C_SIP_AUTHORIZATION, G, "SIP-Authorization", OS, VM, VM, NULL, NULL, 0 },
	{ C_SIP_AUTHENTICATION_CONTEXT, G, "SIP-Authentication-Context", OS, VM, VM, NULL, NULL, 0 },
	{ C_SIP_ITEM_NUMBER, G, "SIP-Item-Number", U32, VM, VM, NULL, NULL, 0 },
	{ C_CONFIDENTIALITY_KEY, G, "Confidentiality-Key", OS, VM, VM, NULL, NULL, 0 },
	{ C_INTEGRITY_KEY, G, "Integrity-Key", OS, VM, VM, NULL, NULL, 0 },
};

static const struct dict_util_avp zh_auth_data_item = {
	C_SIP_AUTH_DATA_ITEM, G, "SIP-Auth-Data-Item", AVP_TYPE_GROUPED, VM, VM, NULL, NULL, 0
};

#define FIXED(c, v) { c, v, RULE_FIXED_HEAD, -1, 1 }
#define REQ(c, v) { c, v, RULE_REQUIRED, -1, 1 }
#define OPT(c, v) { c, v, RULE_OPTIONAL, -1, 1 }
#define ANY(c, v) { c, v, RULE_OPTIONAL, -1, -1 }

/* TS 29.229 §6.3.13 (the members an AKA vector uses; *[AVP] allows the rest). */
static const struct dict_util_rule zh_sip_auth_data_item[] = {
	OPT(C_SIP_ITEM_NUMBER, G), OPT(C_SIP_AUTHENTICATION_SCHEME, G), OPT(C_SIP_AUTHENTICATE, G),
	OPT(C_SIP_AUTHORIZATION, G), OPT(C_SIP_AUTHENTICATION_CONTEXT, G), OPT(C_CONFIDENTIALITY_KEY, G),
	OPT(C_INTEGRITY_KEY, G),
};

/* TS 29.109 §6.1.1 (MAR) and §6.1.2 (MAA). */
static const struct dict_util_rule zh_mar[] = {
	FIXED(B_SESSION_ID, 0),
	REQ(B_VENDOR_SPECIFIC_APPLICATION_ID, 0), REQ(B_AUTH_SESSION_STATE, 0), REQ(B_ORIGIN_HOST, 0),
	REQ(B_ORIGIN_REALM, 0), REQ(B_DESTINATION_REALM, 0), OPT(B_DESTINATION_HOST, 0),
	OPT(B_USER_NAME, 0), OPT(C_PUBLIC_IDENTITY, G), OPT(C_SIP_AUTH_DATA_ITEM, G),
	OPT(C_SIP_NUMBER_AUTH_ITEMS, G), OPT(C_SERVER_NAME, G), OPT(Z_GUSS_TIMESTAMP, G),
	ANY(B_PROXY_INFO, 0), ANY(B_ROUTE_RECORD, 0),
};
static const struct dict_util_rule zh_maa[] = {
	FIXED(B_SESSION_ID, 0),
	REQ(B_VENDOR_SPECIFIC_APPLICATION_ID, 0), OPT(B_RESULT_CODE, 0), OPT(B_EXPERIMENTAL_RESULT, 0),
	REQ(B_AUTH_SESSION_STATE, 0), REQ(B_ORIGIN_HOST, 0), REQ(B_ORIGIN_REALM, 0), OPT(B_USER_NAME, 0),
	OPT(C_PUBLIC_IDENTITY, G), OPT(C_SIP_NUMBER_AUTH_ITEMS, G), ANY(C_SIP_AUTH_DATA_ITEM, G),
	OPT(Z_GBA_USERSECSETTINGS, G), ANY(B_PROXY_INFO, 0), ANY(B_ROUTE_RECORD, 0),
};

static const struct dict_util_cmd zh_cmds[] = {
	{ ZH_CMD_MA, "3GPP-Multimedia-Auth-Request", CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE | CMD_FLAG_ERROR,
	  CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE, zh_mar, DICT_UTIL_N(zh_mar) },
	{ ZH_CMD_MA, "3GPP-Multimedia-Auth-Answer", CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE, CMD_FLAG_PROXIABLE,
	  zh_maa, DICT_UTIL_N(zh_maa) },
};

static const struct dict_util_enum zh_experimental_results[] = {
	{ "DIAMETER_ERROR_USER_UNKNOWN", ZH_ER_USER_UNKNOWN },
	{ "DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED", ZH_ER_AUTH_SCHEME_NOT_SUPPORTED },
};

int dict_zh_register(void)
{
	struct dict_object *app, *item;
	int ret = dict_zn_register_avps();
	if (ret == 0)
		ret = dict_util_app(ZH_APP_ID, "3GPP Zh", &app);
	for (size_t i = 0; ret == 0 && i < DICT_UTIL_N(zh_avps); i++)
		ret = dict_util_avp(&zh_avps[i], NULL);
	if (ret == 0)
		ret = dict_util_avp(&zh_auth_data_item, &item);
	if (ret == 0)
		ret = dict_util_rules(item, zh_auth_data_item.name, zh_sip_auth_data_item,
		                      DICT_UTIL_N(zh_sip_auth_data_item));
	for (size_t i = 0; ret == 0 && i < DICT_UTIL_N(zh_cmds); i++)
		ret = dict_util_cmd(&zh_cmds[i], app, NULL);
	if (ret == 0)
		ret = dict_util_avp_enums(B_EXPERIMENTAL_RESULT_CODE, 0, zh_experimental_results,
		                          DICT_UTIL_N(zh_experimental_results));
	return ret;
}

int dict_zh_resolve(struct dict_zh *d)
{
	const struct {
		struct dict_object **slot;
		uint32_t code;
	} avps[] = {
		{ &d->public_identity, C_PUBLIC_IDENTITY },
		{ &d->server_name, C_SERVER_NAME },
		{ &d->sip_number_auth_items, C_SIP_NUMBER_AUTH_ITEMS },
		{ &d->sip_authentication_scheme, C_SIP_AUTHENTICATION_SCHEME },
		{ &d->sip_authenticate, C_SIP_AUTHENTICATE },
		{ &d->sip_authorization, C_SIP_AUTHORIZATION },
		{ &d->sip_authentication_context, C_SIP_AUTHENTICATION_CONTEXT },
		{ &d->sip_auth_data_item, C_SIP_AUTH_DATA_ITEM },
		{ &d->sip_item_number, C_SIP_ITEM_NUMBER },
		{ &d->confidentiality_key, C_CONFIDENTIALITY_KEY },
		{ &d->integrity_key, C_INTEGRITY_KEY },
	};
	if (dict_util_find_vendor(G, &d->vendor) || dict_util_find_app(ZH_APP_ID, &d->app) ||
	    dict_util_find_cmds(ZH_CMD_MA, &d->cmd_mar, &d->cmd_maa))
		return ENOENT;
	for (size_t i = 0; i < DICT_UTIL_N(avps); i++)
		if (dict_util_find_avp(avps[i].code, G, avps[i].slot))
			return ENOENT;
	return 0;
}
