/*
 * dict_zh: the 3GPP Zh application (TS 29.109 §4-§6), Application-Id 16777221,
 * vendor 10415: Multimedia-Auth-Request/Answer (command 303, the Cx command of
 * TS 29.229 reused between BSF and HSS) and the TS 29.229 AVPs it carries
 * (601, 602, 607-613, 625, 626).  Same registration rules as dict_mip4.h:
 * every AVP is looked up by code and vendor first, so freeDiameter's
 * dict_dcca_3gpp (which defines 601-626 under the same names and types) may
 * load before or after it; dict_sip's RFC 4740 namesakes (vendor 0) do not
 * collide.  Command 303 is named "3GPP-Multimedia-Auth-Request/Answer":
 * dict_sip already names command 286 "Multimedia-Auth-Request".
 */
#ifndef MIP4_DICT_ZH_H
#define MIP4_DICT_ZH_H

#include <stdint.h>

struct dict_object;

#define ZH_APP_ID 16777221
#define ZH_CMD_MA 303
/* SIP-Authentication-Scheme of an AKA vector (TS 29.229 §6.3.9, TS 29.109). */
#define ZH_SCHEME_AKAV1 "Digest-AKAv1-MD5"

enum zh_experimental_result {
	ZH_ER_USER_UNKNOWN = 5001,
	ZH_ER_AUTH_SCHEME_NOT_SUPPORTED = 5006,
};

struct dict_zh {
	struct dict_object *vendor, *app, *cmd_mar, *cmd_maa;
	struct dict_object *public_identity, *server_name, *sip_number_auth_items,
		*sip_authentication_scheme, *sip_authenticate, *sip_authorization,
		*sip_authentication_context, *sip_auth_data_item, *sip_item_number,
		*confidentiality_key, *integrity_key;
};

int dict_zh_register(void);
int dict_zh_resolve(struct dict_zh *d);

#endif
