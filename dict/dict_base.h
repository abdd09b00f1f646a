/*
 * dict_base: handles of the RFC 6733 base objects our applications use, resolved
 * once after libfdcore has initialised its dictionary.
 */
#ifndef MIP4_DICT_BASE_H
#define MIP4_DICT_BASE_H

struct dict_object;

struct dict_base {
	struct dict_object *session_id, *auth_application_id, *vendor_specific_application_id,
		*vendor_id, *user_name, *destination_realm, *destination_host, *origin_host,
		*origin_realm, *origin_state_id, *result_code, *experimental_result,
		*experimental_result_code, *error_message, *error_reporting_host, *failed_avp,
		*auth_session_state, *authorization_lifetime, *acct_multi_session_id,
		*re_auth_request_type, *proxy_info, *route_record;
};

/* Returns 0, or an errno value (an object is missing: libfdcore not initialised). */
int dict_base_resolve(struct dict_base *d);

#endif
