#include "dict/dict_util.h"

#include <errno.h>
#include <string.h>

static struct dictionary *dict_util_dict(void)
{
	return fd_g_config->cnf_dict;
}

int dict_util_find_vendor(uint32_t id, struct dict_object **out)
{
	vendor_id_t v = id;
	return fd_dict_search(dict_util_dict(), DICT_VENDOR, VENDOR_BY_ID, &v, out, ENOENT);
}

int dict_util_find_app(uint32_t id, struct dict_object **out)
{
	application_id_t a = id;
	return fd_dict_search(dict_util_dict(), DICT_APPLICATION, APPLICATION_BY_ID, &a, out, ENOENT);
}

int dict_util_find_avp(uint32_t code, uint32_t vendor, struct dict_object **out)
{
	struct dict_avp_request req = { .avp_vendor = vendor, .avp_code = code };
	return fd_dict_search(dict_util_dict(), DICT_AVP, AVP_BY_CODE_AND_VENDOR, &req, out, ENOENT);
}

int dict_util_find_cmds(uint32_t code, struct dict_object **req, struct dict_object **ans)
{
	command_code_t c = code;
	int ret = fd_dict_search(dict_util_dict(), DICT_COMMAND, CMD_BY_CODE_R, &c, req, ENOENT);
	if (ret == 0 && ans)
		ret = fd_dict_search(dict_util_dict(), DICT_COMMAND, CMD_ANSWER, *req, ans, ENOENT);
	return ret;
}

int dict_util_vendor(uint32_t id, const char *name, struct dict_object **out)
{
	struct dict_vendor_data data = { .vendor_id = id, .vendor_name = (char *)name };
	/* Another dictionary may know this vendor under another name: the id is what counts. */
	if (dict_util_find_vendor(id, out) == 0)
		return 0;
	int ret = fd_dict_new(dict_util_dict(), DICT_VENDOR, &data, NULL, out);
	if (ret)
		LOG_E("dictionary: cannot define vendor %u '%s': %s", id, name, strerror(ret));
	return ret;
}

int dict_util_app(uint32_t id, const char *name, struct dict_object **out)
{
	struct dict_application_data data = { .application_id = id, .application_name = (char *)name };
	if (dict_util_find_app(id, out) == 0)
		return 0;
	int ret = fd_dict_new(dict_util_dict(), DICT_APPLICATION, &data, NULL, out);
	if (ret)
		LOG_E("dictionary: cannot define application %u '%s': %s", id, name, strerror(ret));
	return ret;
}

static const char *dict_util_base_name(enum dict_avp_basetype b)
{
	static const char *const names[] = {
		[AVP_TYPE_GROUPED] = "Grouped",	    [AVP_TYPE_OCTETSTRING] = "OctetString",
		[AVP_TYPE_INTEGER32] = "Integer32", [AVP_TYPE_INTEGER64] = "Integer64",
		[AVP_TYPE_UNSIGNED32] = "Unsigned32", [AVP_TYPE_UNSIGNED64] = "Unsigned64",
		[AVP_TYPE_FLOAT32] = "Float32",	    [AVP_TYPE_FLOAT64] = "Float64",
	};
	return (unsigned)b < sizeof(names) / sizeof(names[0]) && names[b] ? names[b] : "?";
}

static void dict_util_set_value(union avp_value *v, enum dict_avp_basetype base, int64_t value)
{
	if (base == AVP_TYPE_UNSIGNED32)
		v->u32 = (uint32_t)value;
	else
		v->i32 = (int32_t)value;
}

static int dict_util_enums(struct dict_object *type, const char *owner,
			   const struct dict_util_enum *enums, size_t n)
{
	struct dict_type_data tdata;
	int ret = fd_dict_getval(type, &tdata);
	if (ret)
		return ret;
	for (size_t i = 0; i < n; i++) {
		struct dict_enumval_request req = { .type_obj = type };
		dict_util_set_value(&req.search.enum_value, tdata.type_base, enums[i].value);
		struct dict_object *found = NULL;
		/* Same value already named (maybe differently) by another dictionary: keep it. */
		if (fd_dict_search(dict_util_dict(), DICT_ENUMVAL, ENUMVAL_BY_STRUCT, &req, &found,
				   ENOENT) == 0)
			continue;
		struct dict_enumval_data data = { .enum_name = (char *)enums[i].name };
		dict_util_set_value(&data.enum_value, tdata.type_base, enums[i].value);
		ret = fd_dict_new(dict_util_dict(), DICT_ENUMVAL, &data, type, NULL);
		if (ret) {
			LOG_E("dictionary: cannot define constant %s = %lld of %s (type '%s'): %s",
			      enums[i].name, (long long)enums[i].value, owner, tdata.type_name,
			      strerror(ret));
			return ret;
		}
	}
	return 0;
}

int dict_util_avp_enums(uint32_t code, uint32_t vendor, const struct dict_util_enum *enums,
			size_t n)
{
	struct dict_object *avp, *type;
	struct dict_avp_data adata;
	int ret = dict_util_find_avp(code, vendor, &avp);
	if (ret) {
		LOG_E("dictionary: AVP %u (vendor %u) missing, cannot name its values", code, vendor);
		return ret;
	}
	CHECK_FCT(fd_dict_getval(avp, &adata));
	ret = fd_dict_search(dict_util_dict(), DICT_TYPE, TYPE_OF_AVP, avp, &type, ENOENT);
	if (ret) {
		LOG_E("dictionary: AVP %s has no enumerated type, cannot name its values",
		      adata.avp_name);
		return ret;
	}
	return dict_util_enums(type, adata.avp_name, enums, n);
}

static int dict_util_avp_create(const struct dict_util_avp *def, struct dict_object **out)
{
	struct dict_object *type = NULL;
	int ret;
	if (def->type_name && def->enums) {
		struct dict_type_data tdata = { .type_base = def->base,
						.type_name = (char *)def->type_name };
		ret = fd_dict_new(dict_util_dict(), DICT_TYPE, &tdata, NULL, &type);
		if (ret) {
			LOG_E("dictionary: cannot define type '%s' of AVP %s: %s", def->type_name,
			      def->name, strerror(ret));
			return ret;
		}
	} else if (def->type_name) {
		ret = fd_dict_search(dict_util_dict(), DICT_TYPE, TYPE_BY_NAME, def->type_name, &type,
				     ENOENT);
		if (ret) {
			LOG_E("dictionary: type '%s' of AVP %s is not defined", def->type_name,
			      def->name);
			return ret;
		}
	}
	struct dict_avp_data data = {
		.avp_code = def->code,
		.avp_vendor = def->vendor,
		.avp_name = (char *)def->name,
		.avp_flag_mask = def->flag_mask,
		.avp_flag_val = def->flag_val,
		.avp_basetype = def->base,
	};
	ret = fd_dict_new(dict_util_dict(), DICT_AVP, &data, type, out);
	if (ret)
		LOG_E("dictionary: cannot define AVP %u (vendor %u) %s: %s%s", def->code, def->vendor,
		      def->name, strerror(ret),
		      ret == EEXIST ? " (the name is taken by another AVP)" : "");
	return ret;
}

int dict_util_avp(const struct dict_util_avp *def, struct dict_object **out)
{
	struct dict_object *avp;
	int ret;
	if (dict_util_find_avp(def->code, def->vendor, &avp) == 0) {
		struct dict_avp_data have;
		CHECK_FCT(fd_dict_getval(avp, &have));
		if (have.avp_basetype != def->base || have.avp_flag_mask != def->flag_mask ||
		    (have.avp_flag_val & have.avp_flag_mask) != (def->flag_val & def->flag_mask)) {
			LOG_E("dictionary conflict: AVP %u (vendor %u) is already defined as '%s' "
			      "(%s, flags mask 0x%02x value 0x%02x); %s needs %s, "
			      "flags mask 0x%02x value 0x%02x",
			      def->code, def->vendor, have.avp_name,
			      dict_util_base_name(have.avp_basetype), have.avp_flag_mask,
			      have.avp_flag_val, def->name, dict_util_base_name(def->base),
			      def->flag_mask, def->flag_val);
			return EEXIST;
		}
	} else {
		ret = dict_util_avp_create(def, &avp);
		if (ret)
			return ret;
	}
	if (def->enums) {
		ret = dict_util_avp_enums(def->code, def->vendor, def->enums, def->n_enums);
		if (ret)
			return ret;
	}
	if (out)
		*out = avp;
	return 0;
}

int dict_util_rules(struct dict_object *parent, const char *parent_name,
		    const struct dict_util_rule *rules, size_t n)
{
	unsigned head = 0, tail = 0;
	for (size_t i = 0; i < n; i++) {
		struct dict_rule_data data = {
			.rule_position = rules[i].position,
			.rule_min = rules[i].min,
			.rule_max = rules[i].max,
		};
		if (rules[i].position == RULE_FIXED_HEAD)
			data.rule_order = ++head;
		else if (rules[i].position == RULE_FIXED_TAIL)
			data.rule_order = ++tail;
		int ret = dict_util_find_avp(rules[i].code, rules[i].vendor, &data.rule_avp);
		if (ret) {
			LOG_E("dictionary: rule of %s names AVP %u (vendor %u), which is not defined",
			      parent_name, rules[i].code, rules[i].vendor);
			return ret;
		}
		ret = fd_dict_new(dict_util_dict(), DICT_RULE, &data, parent, NULL);
		if (ret) {
			LOG_E("dictionary: cannot add the rule for AVP %u (vendor %u) to %s: %s%s",
			      rules[i].code, rules[i].vendor, parent_name, strerror(ret),
			      ret == EEXIST ? " (a different rule is already defined)" : "");
			return ret;
		}
	}
	return 0;
}

int dict_util_cmd(const struct dict_util_cmd *def, struct dict_object *app,
		  struct dict_object **out)
{
	struct dict_object *cmd = NULL;
	command_code_t code = def->code;
	int found;
	if (def->flag_val & CMD_FLAG_REQUEST) {
		found = fd_dict_search(dict_util_dict(), DICT_COMMAND, CMD_BY_CODE_R, &code, &cmd,
				       ENOENT) == 0;
	} else {
		found = fd_dict_search(dict_util_dict(), DICT_COMMAND, CMD_BY_CODE_A, &code, &cmd,
				       ENOENT) == 0;
	}
	if (found) {
		struct dict_cmd_data have;
		CHECK_FCT(fd_dict_getval(cmd, &have));
		if (have.cmd_flag_mask != def->flag_mask ||
		    (have.cmd_flag_val & have.cmd_flag_mask) != (def->flag_val & def->flag_mask)) {
			LOG_E("dictionary conflict: command %u is already defined as '%s' (flags mask "
			      "0x%02x value 0x%02x); %s needs mask 0x%02x value 0x%02x",
			      def->code, have.cmd_name, have.cmd_flag_mask, have.cmd_flag_val,
			      def->name, def->flag_mask, def->flag_val);
			return EEXIST;
		}
	} else {
		struct dict_cmd_data data = {
			.cmd_code = def->code,
			.cmd_name = (char *)def->name,
			.cmd_flag_mask = def->flag_mask,
			.cmd_flag_val = def->flag_val,
		};
		int ret = fd_dict_new(dict_util_dict(), DICT_COMMAND, &data, app, &cmd);
		if (ret) {
			LOG_E("dictionary: cannot define command %u %s: %s", def->code, def->name,
			      strerror(ret));
			return ret;
		}
	}
	int ret = dict_util_rules(cmd, def->name, def->rules, def->n_rules);
	if (ret == 0 && out)
		*out = cmd;
	return ret;
}
