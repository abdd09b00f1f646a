/*
 * dict_mip4: the Diameter Mobile IPv4 Application (RFC 4004), Application-Id 2.
 * dict_mip4_register() defines every object in the current libfdcore dictionary;
 * it is idempotent and accepts identical existing definitions (dict_mip6i and
 * dict_mip6a define some of the same AVPs), failing with EEXIST on a real
 * conflict.  The same code is the body of dict_mip4.fdx and links into programs.
 */
#ifndef MIP4_DICT_MIP4_H
#define MIP4_DICT_MIP4_H

#include <stdint.h>

struct dict_object;

#define MIP4_APP_ID 2
#define MIP4_CMD_AMR 260
#define MIP4_CMD_HAR 262

/* MIP-Feature-Vector bits (RFC 4004 §7.5). */
enum mip4_feature {
	MIP4_FV_MN_HOME_ADDRESS_REQUESTED = 1,
	MIP4_FV_HOME_ADDRESS_ONLY_IN_HOME_REALM = 2,
	MIP4_FV_HOME_AGENT_REQUESTED = 4,
	MIP4_FV_FOREIGN_HOME_AGENT_AVAILABLE = 8,
	MIP4_FV_MN_HA_KEY_REQUEST = 16,
	MIP4_FV_MN_FA_KEY_REQUEST = 32,
	MIP4_FV_FA_HA_KEY_REQUEST = 64,
	MIP4_FV_HOME_AGENT_IN_FOREIGN_NETWORK = 128,
	MIP4_FV_CO_LOCATED_MOBILE_NODE = 256,
};

enum mip4_algorithm_type { MIP4_ALG_HMAC_SHA1 = 2 };
enum mip4_replay_mode { MIP4_REPLAY_NONE = 1, MIP4_REPLAY_TIMESTAMPS = 2, MIP4_REPLAY_NONCES = 3 };

/* Result-Code values (RFC 4004 §6; base codes from RFC 6733 for convenience). */
enum mip4_result {
	MIP4_RC_SUCCESS = 2001,
	MIP4_RC_UNABLE_TO_DELIVER = 3002,
	MIP4_RC_TOO_BUSY = 3004,
	MIP4_RC_AUTHENTICATION_REJECTED = 4001,
	MIP4_RC_OUT_OF_SPACE = 4002,
	MIP4_RC_MIP_REPLY_FAILURE = 4005,
	MIP4_RC_HA_NOT_AVAILABLE = 4006,
	MIP4_RC_BAD_KEY = 4007,
	MIP4_RC_MIP_FILTER_NOT_SUPPORTED = 4008,
	MIP4_RC_AVP_UNSUPPORTED = 5001,
	MIP4_RC_AUTHORIZATION_REJECTED = 5003,
	MIP4_RC_INVALID_AVP_VALUE = 5004,
	MIP4_RC_MISSING_AVP = 5005,
	MIP4_RC_RESOURCES_EXCEEDED = 5006,
	MIP4_RC_UNABLE_TO_COMPLY = 5012,
	MIP4_RC_NO_FOREIGN_HA_SERVICE = 5024,
	MIP4_RC_END_TO_END_MIP_KEY_ENCRYPTION = 5025,
};

struct dict_mip4 {
	struct dict_object *app, *cmd_amr, *cmd_ama, *cmd_har, *cmd_haa;
	struct dict_object *mip_fa_to_ha_spi, *mip_fa_to_mn_spi, *mip_reg_request, *mip_reg_reply,
		*mip_mn_aaa_auth, *mip_ha_to_fa_spi, *mip_mn_to_fa_msa, *mip_fa_to_mn_msa,
		*mip_fa_to_ha_msa, *mip_ha_to_fa_msa, *mip_mn_to_ha_msa, *mip_ha_to_mn_msa,
		*mip_mobile_node_address, *mip_home_agent_address, *mip_nonce,
		*mip_candidate_home_agent_host, *mip_feature_vector, *mip_auth_input_data_length,
		*mip_authenticator_length, *mip_authenticator_offset, *mip_mn_aaa_spi,
		*mip_filter_rule, *mip_session_key, *mip_fa_challenge, *mip_algorithm_type,
		*mip_replay_mode, *mip_originating_foreign_aaa, *mip_home_agent_host,
		*mip_msa_lifetime, *mip_mn_ha_spi;
};

/* Define every object.  Returns 0, or an errno value (EEXIST: a conflicting
 * definition is already loaded; the error is also logged with the object's name). */
int dict_mip4_register(void);
/* Fill every handle.  Returns 0, or ENOENT when the dictionary is not loaded. */
int dict_mip4_resolve(struct dict_mip4 *d);

#endif
