/*
 * dict_zn: the 3GPP Zn application (TS 29.109), Application-Id 16777220, vendor
 * 10415: Bootstrapping-Info-Request/Answer (command 310) and AVPs 400-410.
 * Same registration rules as dict_mip4.h; loads alone or after a dictionary that
 * already defines some of these AVPs (possibly under another name: AVP 407 is
 * "GBA-U-Awareness-Indicator" in freeDiameter's 3GPP dictionary).
 */
#ifndef MIP4_DICT_ZN_H
#define MIP4_DICT_ZN_H

#include <stdint.h>

struct dict_object;

#define ZN_VENDOR_3GPP 10415
#define ZN_APP_ID 16777220
#define ZN_CMD_BI 310

enum zn_experimental_result {
	ZN_ER_IMPI_UNKNOWN = 5401,
	ZN_ER_NOT_AUTHORIZED = 5402,
	ZN_ER_TRANSACTION_IDENTIFIER_INVALID = 5403,
};

enum zn_gba_type { ZN_GBA_TYPE_3G = 0, ZN_GBA_TYPE_2G = 1 };
enum zn_gba_u_awareness { ZN_GBA_U_AWARE_NO = 0, ZN_GBA_U_AWARE_YES = 1 };

struct dict_zn {
	struct dict_object *vendor, *app, *cmd_bir, *cmd_bia;
	struct dict_object *gba_usersecsettings, *transaction_identifier, *naf_id,
		*gaa_service_identifier, *key_expirytime, *me_key_material, *uicc_key_material,
		*gba_u_awareness_indicator, *bootstrapinfo_creationtime, *guss_timestamp, *gba_type;
};

int dict_zn_register(void);
/* Only the vendor and AVPs 400-410 (dict_zh's grammars name 400 and 409). */
int dict_zn_register_avps(void);
/* Handles are found by code and vendor, so whichever name a loaded dictionary
 * gave an AVP, the handle is the same object. */
int dict_zn_resolve(struct dict_zn *d);

#endif
