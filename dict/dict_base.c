#include "dict/dict_base.h"

#include <errno.h>

#include "dict/dict_util.h"

int dict_base_resolve(struct dict_base *d)
{
	/* Codes from RFC 6733 §4.5. */
	const struct {
		struct dict_object **slot;
		uint32_t code;
	} avps[] = {
		{ &d->session_id, 263 },
		{ &d->auth_application_id, 258 },
		{ &d->vendor_specific_application_id, 260 },
		{ &d->vendor_id, 266 },
		{ &d->user_name, 1 },
		{ &d->destination_realm, 283 },
		{ &d->destination_host, 293 },
		{ &d->origin_host, 264 },
		{ &d->origin_realm, 296 },
		{ &d->origin_state_id, 278 },
		{ &d->result_code, 268 },
		{ &d->experimental_result, 297 },
		{ &d->experimental_result_code, 298 },
		{ &d->error_message, 281 },
		{ &d->error_reporting_host, 294 },
		{ &d->failed_avp, 279 },
		{ &d->auth_session_state, 277 },
		{ &d->authorization_lifetime, 291 },
		{ &d->acct_multi_session_id, 50 },
		{ &d->re_auth_request_type, 285 },
		{ &d->proxy_info, 284 },
		{ &d->route_record, 282 },
	};
	for (size_t i = 0; i < DICT_UTIL_N(avps); i++)
		if (dict_util_find_avp(avps[i].code, 0, avps[i].slot))
			return ENOENT;
	return 0;
}
