/*
 * amr_answer.fdx: a trivial Diameter Mobile IPv4 server for tests and benchmarks.
 * It answers every AMR with a fixed Result-Code and nothing else (no MSAs), or
 * never answers, so the HA's failure paths and the raw request/answer rate of
 * freeDiameter can be measured without the AAA's work.
 *   LoadExtension = "build/tests/peers/amr_answer.fdx" : "2001";    (any code)
 *   LoadExtension = "build/tests/peers/amr_answer.fdx" : "silent";  (drop requests)
 * Requires dict_mip4.fdx loaded before it.
 */
#include <freeDiameter/extension.h>

#include <stdlib.h>
#include <string.h>

#include "dict/dict_avp.h"
#include "dict/dict_base.h"
#include "dict/dict_mip4.h"

static struct dict_base amr_answer_base;
static struct dict_mip4 amr_answer_mip4;
static struct disp_hdl *amr_answer_hdl;
static uint32_t amr_answer_rc = MIP4_RC_SUCCESS;
static int amr_answer_silent;

static int amr_answer_cb(struct msg **msg, struct avp *avp, struct session *sess, void *opaque,
                         enum disp_action *act)
{
	(void)avp, (void)sess, (void)opaque;
	*act = DISP_ACT_CONT;
	if (amr_answer_silent) {
		fd_msg_free(*msg);
		*msg = NULL;
		return 0;
	}
	CHECK_FCT(fd_msg_new_answer_from_req(fd_g_config->cnf_dict, msg, 0));
	CHECK_FCT(dict_avp_add_u32(*msg, amr_answer_base.auth_application_id, MIP4_APP_ID));
	CHECK_FCT(dict_avp_add_u32(*msg, amr_answer_base.result_code, amr_answer_rc));
	CHECK_FCT(fd_msg_add_origin(*msg, 0));
	CHECK_FCT(fd_msg_send(msg, NULL, NULL));
	return 0;
}

static int amr_answer_entry(char *conf)
{
	if (conf && strcmp(conf, "silent") == 0) {
		amr_answer_silent = 1;
	} else if (conf) {
		char *end = NULL;
		unsigned long rc = strtoul(conf, &end, 10);
		if (*conf == '\0' || *end != '\0' || rc < 1000 || rc > 5999) {
			fd_log_error("amr_answer: argument must be a Result-Code (1000-5999) or \"silent\", not '%s'", conf);
			return EINVAL;
		}
		amr_answer_rc = (uint32_t)rc;
	}
	CHECK_FCT(dict_base_resolve(&amr_answer_base));
	CHECK_FCT(dict_mip4_resolve(&amr_answer_mip4));
	struct disp_when when = { .app = amr_answer_mip4.app, .command = amr_answer_mip4.cmd_amr };
	CHECK_FCT(fd_disp_register(amr_answer_cb, DISP_HOW_CC, &when, NULL, &amr_answer_hdl));
	CHECK_FCT(fd_disp_app_support(amr_answer_mip4.app, NULL, 1, 0));
	fd_log_notice("amr_answer: answering AMRs with %s", amr_answer_silent ? "nothing (silent)" : conf ? conf : "2001");
	return 0;
}

#pragma GCC visibility push(default)
EXTENSION_ENTRY("amr_answer", amr_answer_entry, "dict_mip4");

void fd_ext_fini(void)
{
	if (amr_answer_hdl)
		fd_disp_unregister(&amr_answer_hdl, NULL);
}
#pragma GCC visibility pop
