#include "tests/unit/test_dict_support.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

void dict_test_init(void)
{
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	fd_g_debug_lvl = FD_LOG_ERROR;
	cr_assert_eq(fd_core_initialize(), 0, "fd_core_initialize failed");
}

int dict_test_load_fdx(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "/usr/lib/freeDiameter/%s.fdx", name);
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	cr_assert_not_null(h, "dlopen %s: %s", path, dlerror());
	int (*init)(int, int, char *) = (int (*)(int, int, char *))dlsym(h, "fd_ext_init");
	cr_assert_not_null(init, "%s has no fd_ext_init", path);
	return init(FD_PROJECT_VERSION_MAJOR, FD_PROJECT_VERSION_MINOR, NULL);
}

struct dict_object *dict_test_avp(uint32_t code, uint32_t vendor)
{
	struct dict_avp_request req = { .avp_vendor = vendor, .avp_code = code };
	struct dict_object *o = NULL;
	int ret = fd_dict_search(fd_g_config->cnf_dict, DICT_AVP, AVP_BY_CODE_AND_VENDOR, &req, &o,
				 ENOENT);
	cr_assert_eq(ret, 0, "AVP %u vendor %u not in the dictionary", code, vendor);
	return o;
}

void dict_test_check_avp(const struct spec_avp *s)
{
	struct dict_object *o = dict_test_avp(s->code, s->vendor), *type = NULL;
	struct dict_avp_data d;
	cr_assert_eq(fd_dict_getval(o, &d), 0);
	cr_expect_eq(d.avp_code, s->code);
	cr_expect_eq(d.avp_vendor, s->vendor, "AVP %u vendor", s->code);
	cr_expect_str_eq(d.avp_name, s->name, "AVP %u name", s->code);
	cr_expect_eq(d.avp_basetype, s->base, "AVP %s base type %d", s->name, d.avp_basetype);
	cr_expect_eq(d.avp_flag_mask, s->flag_mask, "AVP %s flag mask 0x%x", s->name,
		     d.avp_flag_mask);
	cr_expect_eq(d.avp_flag_val & d.avp_flag_mask, s->flag_val, "AVP %s flag value 0x%x",
		     s->name, d.avp_flag_val);
	int ret = fd_dict_search(fd_g_config->cnf_dict, DICT_TYPE, TYPE_OF_AVP, o, &type, ENOENT);
	if (s->type_name) {
		struct dict_type_data t;
		cr_assert_eq(ret, 0, "AVP %s has no derived type (want %s)", s->name, s->type_name);
		cr_assert_eq(fd_dict_getval(type, &t), 0);
		cr_expect_str_eq(t.type_name, s->type_name, "AVP %s type", s->name);
		cr_expect_eq(t.type_base, s->base, "AVP %s type base", s->name);
	} else {
		cr_expect_neq(ret, 0, "AVP %s should have no derived type", s->name);
	}
}

void dict_test_check_rules(struct dict_object *parent, const struct spec_rules *s)
{
	unsigned head = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct spec_rule *r = &s->rules[i];
		struct dict_rule_request req = { .rule_parent = parent,
						 .rule_avp = dict_test_avp(r->code, r->vendor) };
		struct dict_object *rule = NULL;
		int ret = fd_dict_search(fd_g_config->cnf_dict, DICT_RULE, RULE_BY_AVP_AND_PARENT, &req,
					 &rule, ENOENT);
		cr_assert_eq(ret, 0, "%s: no rule for AVP %u (vendor %u)", s->what, r->code, r->vendor);
		struct dict_rule_data d;
		cr_assert_eq(fd_dict_getval(rule, &d), 0);
		cr_expect_eq(d.rule_position, r->position, "%s: AVP %u position %d", s->what, r->code,
			     d.rule_position);
		cr_expect_eq(d.rule_min, r->min, "%s: AVP %u min %d", s->what, r->code, d.rule_min);
		cr_expect_eq(d.rule_max, r->max, "%s: AVP %u max %d", s->what, r->code, d.rule_max);
		if (r->position == RULE_FIXED_HEAD)
			cr_expect_eq(d.rule_order, ++head, "%s: AVP %u order %u", s->what, r->code,
				     d.rule_order);
	}
	struct fd_list *sentinel, *li;
	size_t n = 0;
	cr_assert_eq(fd_dict_getlistof(RULE_BY_AVP_AND_PARENT, parent, &sentinel), 0);
	for (li = sentinel->next; li != sentinel; li = li->next)
		n++;
	cr_expect_eq(n, s->n, "%s: %zu rules, want %zu", s->what, n, s->n);
}

void dict_test_check_enum(const struct spec_enum *s)
{
	struct dict_object *avp = dict_test_avp(s->avp_code, s->avp_vendor), *type, *val;
	struct dict_type_data t;
	cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_TYPE, TYPE_OF_AVP, avp, &type,
				    ENOENT), 0, "AVP %u has no type", s->avp_code);
	cr_assert_eq(fd_dict_getval(type, &t), 0);
	struct dict_enumval_request req = { .type_obj = type };
	if (t.type_base == AVP_TYPE_UNSIGNED32)
		req.search.enum_value.u32 = (uint32_t)s->value;
	else
		req.search.enum_value.i32 = (int32_t)s->value;
	cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_ENUMVAL, ENUMVAL_BY_STRUCT, &req,
				    &val, ENOENT), 0, "%s: no constant %lld", t.type_name,
		     (long long)s->value);
	struct dict_enumval_data d;
	cr_assert_eq(fd_dict_getval(val, &d), 0);
	cr_expect_str_eq(d.enum_name, s->name, "%s value %lld", t.type_name, (long long)s->value);
}

static size_t dict_test_list_len(int criteria, void *parent)
{
	struct fd_list *sentinel, *li;
	size_t n = 0;
	cr_assert_eq(fd_dict_getlistof(criteria, parent, &sentinel), 0);
	for (li = sentinel->next; li != sentinel; li = li->next)
		n++;
	return n;
}

size_t dict_test_count_objects(struct dict_object *const *parents, size_t n)
{
	struct dict_object *v0, *v3gpp = NULL;
	vendor_id_t id = 0;
	cr_assert_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_VENDOR, VENDOR_BY_ID, &id, &v0,
				    ENOENT), 0);
	id = 10415;
	fd_dict_search(fd_g_config->cnf_dict, DICT_VENDOR, VENDOR_BY_ID, &id, &v3gpp, ENOENT);
	size_t count = dict_test_list_len(AVP_BY_CODE, v0) +
		       dict_test_list_len(TYPE_BY_NAME, fd_g_config->cnf_dict) +
		       dict_test_list_len(CMD_BY_CODE_R, fd_g_config->cnf_dict);
	if (v3gpp)
		count += dict_test_list_len(AVP_BY_CODE, v3gpp);
	struct fd_list *types, *li;
	cr_assert_eq(fd_dict_getlistof(TYPE_BY_NAME, fd_g_config->cnf_dict, &types), 0);
	for (li = types->next; li != types; li = li->next)
		count += dict_test_list_len(ENUMVAL_BY_VALUE, li->o);
	for (size_t i = 0; i < n; i++)
		count += dict_test_list_len(RULE_BY_AVP_AND_PARENT, parents[i]);
	return count;
}
