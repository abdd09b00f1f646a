/*
 * The Diameter Mobile IPv4 Application (RFC 4004) as freeDiameter dictionary
 * objects.  The objects dict_mip6i / dict_mip6a also define (333, 334, 341, 343,
 * 345, 346, 348, 367, 491) copy their definitions exactly, including the names
 * of the enumerated types and of their constants ("Timestamp", "HMAC-SHA-1
 * [HMAC]"), so that the dictionaries load in any order.
 */
#include "dict/dict_mip4.h"

#include <errno.h>

#include "dict/dict_util.h"

#define M AVP_FLAG_MANDATORY
#define VM (AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY)

/* Base protocol AVP codes (RFC 6733). */
enum {
	B_USER_NAME = 1,
	B_ACCT_MULTI_SESSION_ID = 50,
	B_AUTH_APPLICATION_ID = 258,
	B_SESSION_ID = 263,
	B_ORIGIN_HOST = 264,
	B_RESULT_CODE = 268,
	B_AUTH_SESSION_STATE = 277,
	B_ORIGIN_STATE_ID = 278,
	B_ERROR_MESSAGE = 281,
	B_ROUTE_RECORD = 282,
	B_DESTINATION_REALM = 283,
	B_PROXY_INFO = 284,
	B_RE_AUTH_REQUEST_TYPE = 285,
	B_AUTHORIZATION_LIFETIME = 291,
	B_DESTINATION_HOST = 293,
	B_ERROR_REPORTING_HOST = 294,
	B_ORIGIN_REALM = 296,
};

/* RFC 4004 AVP codes, plus MIP-MN-HA-SPI from RFC 5778. */
enum {
	A_FA_TO_HA_SPI = 318,
	A_FA_TO_MN_SPI = 319,
	A_REG_REQUEST = 320,
	A_REG_REPLY = 321,
	A_MN_AAA_AUTH = 322,
	A_HA_TO_FA_SPI = 323,
	A_MN_TO_FA_MSA = 325,
	A_FA_TO_MN_MSA = 326,
	A_FA_TO_HA_MSA = 328,
	A_HA_TO_FA_MSA = 329,
	A_MN_TO_HA_MSA = 331,
	A_HA_TO_MN_MSA = 332,
	A_MOBILE_NODE_ADDRESS = 333,
	A_HOME_AGENT_ADDRESS = 334,
	A_NONCE = 335,
	A_CANDIDATE_HOME_AGENT_HOST = 336,
	A_FEATURE_VECTOR = 337,
	A_AUTH_INPUT_DATA_LENGTH = 338,
	A_AUTHENTICATOR_LENGTH = 339,
	A_AUTHENTICATOR_OFFSET = 340,
	A_MN_AAA_SPI = 341,
	A_FILTER_RULE = 342,
	A_SESSION_KEY = 343,
	A_FA_CHALLENGE = 344,
	A_ALGORITHM_TYPE = 345,
	A_REPLAY_MODE = 346,
	A_ORIGINATING_FOREIGN_AAA = 347,
	A_HOME_AGENT_HOST = 348,
	A_MSA_LIFETIME = 367,
	A_MN_HA_SPI = 491,
};

static const struct dict_util_enum mip4_feature_bits[] = {
	{ "Mobile-Node-Home-Address-Requested", MIP4_FV_MN_HOME_ADDRESS_REQUESTED },
	{ "Home-Address-Allocatable-Only-in-Home-Realm", MIP4_FV_HOME_ADDRESS_ONLY_IN_HOME_REALM },
	{ "Home-Agent-Requested", MIP4_FV_HOME_AGENT_REQUESTED },
	{ "Foreign-Home-Agent-Available", MIP4_FV_FOREIGN_HOME_AGENT_AVAILABLE },
	{ "MN-HA-Key-Request", MIP4_FV_MN_HA_KEY_REQUEST },
	{ "MN-FA-Key-Request", MIP4_FV_MN_FA_KEY_REQUEST },
	{ "FA-HA-Key-Request", MIP4_FV_FA_HA_KEY_REQUEST },
	{ "Home-Agent-In-Foreign-Network", MIP4_FV_HOME_AGENT_IN_FOREIGN_NETWORK },
	{ "Co-Located-Mobile-Node", MIP4_FV_CO_LOCATED_MOBILE_NODE },
};

/* Constant names as dict_mip6i/dict_mip6a spell them (an enum value with another
 * name would make those dictionaries fail to load after ours). */
static const struct dict_util_enum mip4_algorithms[] = {
	{ "HMAC-SHA-1 [HMAC]", MIP4_ALG_HMAC_SHA1 },
};

static const struct dict_util_enum mip4_replay_modes[] = {
	{ "None", MIP4_REPLAY_NONE },
	{ "Timestamp", MIP4_REPLAY_TIMESTAMPS },
	{ "Nonces", MIP4_REPLAY_NONCES },
};

static const struct dict_util_enum mip4_result_codes[] = {
	{ "DIAMETER_ERROR_MIP_REPLY_FAILURE", MIP4_RC_MIP_REPLY_FAILURE },
	{ "DIAMETER_ERROR_HA_NOT_AVAILABLE", MIP4_RC_HA_NOT_AVAILABLE },
	{ "DIAMETER_ERROR_BAD_KEY", MIP4_RC_BAD_KEY },
	{ "DIAMETER_ERROR_MIP_FILTER_NOT_SUPPORTED", MIP4_RC_MIP_FILTER_NOT_SUPPORTED },
	{ "DIAMETER_ERROR_NO_FOREIGN_HA_SERVICE", MIP4_RC_NO_FOREIGN_HA_SERVICE },
	{ "DIAMETER_ERROR_END_TO_END_MIP_KEY_ENCRYPTION", MIP4_RC_END_TO_END_MIP_KEY_ENCRYPTION },
};

#define ENUMS(a) a, DICT_UTIL_N(a)

/* Members before the grouped AVPs that name them. */
static const struct dict_util_avp mip4_avps[] = {
	{ A_FA_TO_HA_SPI, 0, "MIP-FA-to-HA-SPI", AVP_TYPE_UNSIGNED32, VM, M, NULL, NULL, 0 },
	{ A_FA_TO_MN_SPI, 0, "MIP-FA-to-MN-SPI", AVP_TYPE_UNSIGNED32, VM, M, NULL, NULL, 0 },
	{ A_REG_REQUEST, 0, "MIP-Reg-Request", AVP_TYPE_OCTETSTRING, VM, M, NULL, NULL, 0 },
	{ A_REG_REPLY, 0, "MIP-Reg-Reply", AVP_TYPE_OCTETSTRING, VM, M, NULL, NULL, 0 },
	{ A_HA_TO_FA_SPI, 0, "MIP-HA-to-FA-SPI", AVP_TYPE_UNSIGNED32, VM, M, NULL, NULL, 0 },
	{ A_MOBILE_NODE_ADDRESS, 0, "MIP-Mobile-Node-Address", AVP_TYPE_OCTETSTRING, VM, M,
	  "Address", NULL, 0 },
	{ A_HOME_AGENT_ADDRESS, 0, "MIP-Home-Agent-Address", AVP_TYPE_OCTETSTRING, VM, M,
	  "Address", NULL, 0 },
	{ A_NONCE, 0, "MIP-Nonce", AVP_TYPE_OCTETSTRING, VM, M, NULL, NULL, 0 },
	{ A_CANDIDATE_HOME_AGENT_HOST, 0, "MIP-Candidate-Home-Agent-Host", AVP_TYPE_OCTETSTRING, VM,
	  M, "DiameterIdentity", NULL, 0 },
	{ A_FEATURE_VECTOR, 0, "MIP-Feature-Vector", AVP_TYPE_UNSIGNED32, VM, M,
	  "Enumerated*(MIP-Feature-Vector)", ENUMS(mip4_feature_bits) },
	{ A_AUTH_INPUT_DATA_LENGTH, 0, "MIP-Auth-Input-Data-Length", AVP_TYPE_UNSIGNED32, VM, M,
	  NULL, NULL, 0 },
	{ A_AUTHENTICATOR_LENGTH, 0, "MIP-Authenticator-Length", AVP_TYPE_UNSIGNED32, VM, M, NULL,
	  NULL, 0 },
	{ A_AUTHENTICATOR_OFFSET, 0, "MIP-Authenticator-Offset", AVP_TYPE_UNSIGNED32, VM, M, NULL,
	  NULL, 0 },
	{ A_MN_AAA_SPI, 0, "MIP-MN-AAA-SPI", AVP_TYPE_UNSIGNED32, VM, M, NULL, NULL, 0 },
	{ A_FILTER_RULE, 0, "MIP-Filter-Rule", AVP_TYPE_OCTETSTRING, VM, M, "IPFilterRule", NULL, 0 },
	{ A_SESSION_KEY, 0, "MIP-Session-Key", AVP_TYPE_OCTETSTRING, VM, M, NULL, NULL, 0 },
	{ A_FA_CHALLENGE, 0, "MIP-FA-Challenge", AVP_TYPE_OCTETSTRING, VM, M, NULL, NULL, 0 },
	{ A_ALGORITHM_TYPE, 0, "MIP-Algorithm-Type", AVP_TYPE_INTEGER32, VM, M,
	  "Enumerated(MIP-Algorithm-Type)", ENUMS(mip4_algorithms) },
	{ A_REPLAY_MODE, 0, "MIP-Replay-Mode", AVP_TYPE_INTEGER32, VM, M,
	  "Enumerated(MIP-Replay-Mode)", ENUMS(mip4_replay_modes) },
	{ A_MSA_LIFETIME, 0, "MIP-MSA-Lifetime", AVP_TYPE_UNSIGNED32, VM, M, NULL, NULL, 0 },
	{ A_MN_HA_SPI, 0, "MIP-MN-HA-SPI", AVP_TYPE_UNSIGNED32, VM, M, NULL, NULL, 0 },
};

#define FIXED(c) { c, 0, RULE_FIXED_HEAD, -1, 1 }
#define REQ(c) { c, 0, RULE_REQUIRED, -1, 1 }
#define OPT(c) { c, 0, RULE_OPTIONAL, -1, 1 }
#define ANY(c) { c, 0, RULE_OPTIONAL, -1, -1 }

/* Grouped AVP rules (RFC 4004 §7, §9).  The SPI members RFC 4004 names but never
 * defines are left out, except MIP-MN-HA-SPI (RFC 5778), optional. */
static const struct dict_util_rule mip4_mn_aaa_auth[] = {
	REQ(A_MN_AAA_SPI), REQ(A_AUTH_INPUT_DATA_LENGTH), REQ(A_AUTHENTICATOR_LENGTH),
	REQ(A_AUTHENTICATOR_OFFSET),
};
static const struct dict_util_rule mip4_mn_to_fa_msa[] = {
	REQ(A_ALGORITHM_TYPE), REQ(A_NONCE),
};
static const struct dict_util_rule mip4_fa_to_mn_msa[] = {
	REQ(A_FA_TO_MN_SPI), REQ(A_ALGORITHM_TYPE), REQ(A_SESSION_KEY),
};
static const struct dict_util_rule mip4_fa_to_ha_msa[] = {
	REQ(A_FA_TO_HA_SPI), REQ(A_ALGORITHM_TYPE), REQ(A_SESSION_KEY),
};
static const struct dict_util_rule mip4_ha_to_fa_msa[] = {
	REQ(A_HA_TO_FA_SPI), REQ(A_ALGORITHM_TYPE), REQ(A_SESSION_KEY),
};
static const struct dict_util_rule mip4_mn_to_ha_msa[] = {
	OPT(A_MN_HA_SPI), REQ(A_ALGORITHM_TYPE), REQ(A_REPLAY_MODE), REQ(A_NONCE),
};
static const struct dict_util_rule mip4_ha_to_mn_msa[] = {
	REQ(A_ALGORITHM_TYPE), REQ(A_REPLAY_MODE), REQ(A_SESSION_KEY),
};
static const struct dict_util_rule mip4_originating_foreign_aaa[] = {
	REQ(B_ORIGIN_REALM), REQ(B_ORIGIN_HOST),
};
/* Identical to dict_mip6i's. */
static const struct dict_util_rule mip4_home_agent_host[] = {
	REQ(B_DESTINATION_REALM), REQ(B_DESTINATION_HOST),
};

struct mip4_grouped {
	struct dict_util_avp avp;
	const struct dict_util_rule *rules;
	size_t n_rules;
};

#define GROUPED(code, name, rules)                                                           \
	{ { code, 0, name, AVP_TYPE_GROUPED, VM, M, NULL, NULL, 0 }, rules, DICT_UTIL_N(rules) }

static const struct mip4_grouped mip4_groups[] = {
	GROUPED(A_MN_AAA_AUTH, "MIP-MN-AAA-Auth", mip4_mn_aaa_auth),
	GROUPED(A_MN_TO_FA_MSA, "MIP-MN-to-FA-MSA", mip4_mn_to_fa_msa),
	GROUPED(A_FA_TO_MN_MSA, "MIP-FA-to-MN-MSA", mip4_fa_to_mn_msa),
	GROUPED(A_FA_TO_HA_MSA, "MIP-FA-to-HA-MSA", mip4_fa_to_ha_msa),
	GROUPED(A_HA_TO_FA_MSA, "MIP-HA-to-FA-MSA", mip4_ha_to_fa_msa),
	GROUPED(A_MN_TO_HA_MSA, "MIP-MN-to-HA-MSA", mip4_mn_to_ha_msa),
	GROUPED(A_HA_TO_MN_MSA, "MIP-HA-to-MN-MSA", mip4_ha_to_mn_msa),
	GROUPED(A_ORIGINATING_FOREIGN_AAA, "MIP-Originating-Foreign-AAA",
		mip4_originating_foreign_aaa),
	GROUPED(A_HOME_AGENT_HOST, "MIP-Home-Agent-Host", mip4_home_agent_host),
};

/* Command grammars of RFC 4004 §5. */
static const struct dict_util_rule mip4_amr[] = {
	FIXED(B_SESSION_ID),
	REQ(B_AUTH_APPLICATION_ID), REQ(B_USER_NAME), REQ(B_DESTINATION_REALM), REQ(B_ORIGIN_HOST),
	REQ(B_ORIGIN_REALM), REQ(A_REG_REQUEST), REQ(A_MN_AAA_AUTH),
	OPT(B_ACCT_MULTI_SESSION_ID), OPT(B_DESTINATION_HOST), OPT(B_ORIGIN_STATE_ID),
	OPT(A_MOBILE_NODE_ADDRESS), OPT(A_HOME_AGENT_ADDRESS), OPT(A_FEATURE_VECTOR),
	OPT(A_ORIGINATING_FOREIGN_AAA), OPT(B_AUTHORIZATION_LIFETIME), OPT(B_AUTH_SESSION_STATE),
	OPT(A_FA_CHALLENGE), OPT(A_CANDIDATE_HOME_AGENT_HOST), OPT(A_HOME_AGENT_HOST),
	OPT(A_HA_TO_FA_SPI),
	ANY(B_PROXY_INFO), ANY(B_ROUTE_RECORD),
};
static const struct dict_util_rule mip4_ama[] = {
	FIXED(B_SESSION_ID),
	REQ(B_AUTH_APPLICATION_ID), REQ(B_RESULT_CODE), REQ(B_ORIGIN_HOST), REQ(B_ORIGIN_REALM),
	OPT(B_ACCT_MULTI_SESSION_ID), OPT(B_USER_NAME), OPT(B_AUTHORIZATION_LIFETIME),
	OPT(B_AUTH_SESSION_STATE), OPT(B_ERROR_MESSAGE), OPT(B_ERROR_REPORTING_HOST),
	OPT(B_RE_AUTH_REQUEST_TYPE), OPT(A_FEATURE_VECTOR), OPT(A_REG_REPLY), OPT(A_MN_TO_FA_MSA),
	OPT(A_MN_TO_HA_MSA), OPT(A_FA_TO_MN_MSA), OPT(A_FA_TO_HA_MSA), OPT(A_HA_TO_MN_MSA),
	OPT(A_MSA_LIFETIME), OPT(A_HOME_AGENT_ADDRESS), OPT(A_MOBILE_NODE_ADDRESS),
	ANY(A_FILTER_RULE), OPT(B_ORIGIN_STATE_ID),
	ANY(B_PROXY_INFO),
};
static const struct dict_util_rule mip4_har[] = {
	FIXED(B_SESSION_ID),
	REQ(B_AUTH_APPLICATION_ID), REQ(B_AUTHORIZATION_LIFETIME), REQ(B_AUTH_SESSION_STATE),
	REQ(A_REG_REQUEST), REQ(B_ORIGIN_HOST), REQ(B_ORIGIN_REALM), REQ(B_USER_NAME),
	REQ(B_DESTINATION_REALM), REQ(A_FEATURE_VECTOR),
	OPT(B_DESTINATION_HOST), OPT(A_MN_TO_HA_MSA), OPT(A_MN_TO_FA_MSA), OPT(A_HA_TO_MN_MSA),
	OPT(A_HA_TO_FA_MSA), OPT(A_MSA_LIFETIME), OPT(A_ORIGINATING_FOREIGN_AAA),
	OPT(A_MOBILE_NODE_ADDRESS), OPT(A_HOME_AGENT_ADDRESS), ANY(A_FILTER_RULE),
	OPT(B_ORIGIN_STATE_ID),
	ANY(B_PROXY_INFO), ANY(B_ROUTE_RECORD),
};
static const struct dict_util_rule mip4_haa[] = {
	FIXED(B_SESSION_ID),
	REQ(B_AUTH_APPLICATION_ID), REQ(B_RESULT_CODE), REQ(B_ORIGIN_HOST), REQ(B_ORIGIN_REALM),
	OPT(B_ACCT_MULTI_SESSION_ID), OPT(B_USER_NAME), OPT(B_ERROR_REPORTING_HOST),
	OPT(B_ERROR_MESSAGE), OPT(A_REG_REPLY), OPT(A_HOME_AGENT_ADDRESS),
	OPT(A_MOBILE_NODE_ADDRESS), OPT(A_FA_TO_HA_SPI), OPT(A_FA_TO_MN_SPI), OPT(B_ORIGIN_STATE_ID),
	ANY(B_PROXY_INFO),
};

#define REQ_MASK (CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE | CMD_FLAG_ERROR)
#define ANS_MASK (CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE)
#define CMD(code, name, mask, val, rules) { code, name, mask, val, rules, DICT_UTIL_N(rules) }

static const struct dict_util_cmd mip4_cmds[] = {
	CMD(MIP4_CMD_AMR, "AA-Mobile-Node-Request", REQ_MASK, CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE,
	    mip4_amr),
	CMD(MIP4_CMD_AMR, "AA-Mobile-Node-Answer", ANS_MASK, CMD_FLAG_PROXIABLE, mip4_ama),
	CMD(MIP4_CMD_HAR, "Home-Agent-MIP-Request", REQ_MASK, CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE,
	    mip4_har),
	CMD(MIP4_CMD_HAR, "Home-Agent-MIP-Answer", ANS_MASK, CMD_FLAG_PROXIABLE, mip4_haa),
};

int dict_mip4_register(void)
{
	struct dict_object *app, *obj;
	int ret = dict_util_app(MIP4_APP_ID, "Diameter Mobile IPv4 Application", &app);
	if (ret)
		return ret;
	for (size_t i = 0; i < DICT_UTIL_N(mip4_avps); i++) {
		ret = dict_util_avp(&mip4_avps[i], NULL);
		if (ret)
			return ret;
	}
	for (size_t i = 0; i < DICT_UTIL_N(mip4_groups); i++) {
		const struct mip4_grouped *g = &mip4_groups[i];
		ret = dict_util_avp(&g->avp, &obj);
		if (ret == 0)
			ret = dict_util_rules(obj, g->avp.name, g->rules, g->n_rules);
		if (ret)
			return ret;
	}
	for (size_t i = 0; i < DICT_UTIL_N(mip4_cmds); i++) {
		ret = dict_util_cmd(&mip4_cmds[i], app, NULL);
		if (ret)
			return ret;
	}
	return dict_util_avp_enums(B_RESULT_CODE, 0, ENUMS(mip4_result_codes));
}

int dict_mip4_resolve(struct dict_mip4 *d)
{
	const struct {
		struct dict_object **slot;
		uint32_t code;
	} avps[] = {
		{ &d->mip_fa_to_ha_spi, A_FA_TO_HA_SPI },
		{ &d->mip_fa_to_mn_spi, A_FA_TO_MN_SPI },
		{ &d->mip_reg_request, A_REG_REQUEST },
		{ &d->mip_reg_reply, A_REG_REPLY },
		{ &d->mip_mn_aaa_auth, A_MN_AAA_AUTH },
		{ &d->mip_ha_to_fa_spi, A_HA_TO_FA_SPI },
		{ &d->mip_mn_to_fa_msa, A_MN_TO_FA_MSA },
		{ &d->mip_fa_to_mn_msa, A_FA_TO_MN_MSA },
		{ &d->mip_fa_to_ha_msa, A_FA_TO_HA_MSA },
		{ &d->mip_ha_to_fa_msa, A_HA_TO_FA_MSA },
		{ &d->mip_mn_to_ha_msa, A_MN_TO_HA_MSA },
		{ &d->mip_ha_to_mn_msa, A_HA_TO_MN_MSA },
		{ &d->mip_mobile_node_address, A_MOBILE_NODE_ADDRESS },
		{ &d->mip_home_agent_address, A_HOME_AGENT_ADDRESS },
		{ &d->mip_nonce, A_NONCE },
		{ &d->mip_candidate_home_agent_host, A_CANDIDATE_HOME_AGENT_HOST },
		{ &d->mip_feature_vector, A_FEATURE_VECTOR },
		{ &d->mip_auth_input_data_length, A_AUTH_INPUT_DATA_LENGTH },
		{ &d->mip_authenticator_length, A_AUTHENTICATOR_LENGTH },
		{ &d->mip_authenticator_offset, A_AUTHENTICATOR_OFFSET },
		{ &d->mip_mn_aaa_spi, A_MN_AAA_SPI },
		{ &d->mip_filter_rule, A_FILTER_RULE },
		{ &d->mip_session_key, A_SESSION_KEY },
		{ &d->mip_fa_challenge, A_FA_CHALLENGE },
		{ &d->mip_algorithm_type, A_ALGORITHM_TYPE },
		{ &d->mip_replay_mode, A_REPLAY_MODE },
		{ &d->mip_originating_foreign_aaa, A_ORIGINATING_FOREIGN_AAA },
		{ &d->mip_home_agent_host, A_HOME_AGENT_HOST },
		{ &d->mip_msa_lifetime, A_MSA_LIFETIME },
		{ &d->mip_mn_ha_spi, A_MN_HA_SPI },
	};
	if (dict_util_find_app(MIP4_APP_ID, &d->app) ||
	    dict_util_find_cmds(MIP4_CMD_AMR, &d->cmd_amr, &d->cmd_ama) ||
	    dict_util_find_cmds(MIP4_CMD_HAR, &d->cmd_har, &d->cmd_haa))
		return ENOENT;
	for (size_t i = 0; i < DICT_UTIL_N(avps); i++)
		if (dict_util_find_avp(avps[i].code, 0, avps[i].slot))
			return ENOENT;
	return 0;
}
