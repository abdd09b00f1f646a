/*
 * Shared by the dictionary unit tests: libfdcore set-up, loading stock
 * freeDiameter dictionary extensions in-process, and checks of dictionary
 * objects against spec tables written from PROTOCOL.md / TS 29.109.
 */
#ifndef MIP4_TEST_DICT_SUPPORT_H
#define MIP4_TEST_DICT_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

struct spec_avp {
	uint32_t code, vendor;
	const char *name;
	enum dict_avp_basetype base;
	uint8_t flag_mask, flag_val;
	const char *type_name; /* derived type, NULL for none */
};

struct spec_rule {
	uint32_t code, vendor;
	enum rule_position position;
	int min, max;
};

struct spec_rules {
	const char *what;
	const struct spec_rule *rules;
	size_t n;
};

struct spec_enum {
	uint32_t avp_code, avp_vendor;
	int64_t value;
	const char *name;
};

/* libfdcore initialised, dictionary base loaded (Criterion .init). */
void dict_test_init(void);
/* dlopen a stock extension and run its fd_ext_init: its return value. */
int dict_test_load_fdx(const char *name);
struct dict_object *dict_test_avp(uint32_t code, uint32_t vendor);
void dict_test_check_avp(const struct spec_avp *s);
/* Exactly these rules, no others, on parent. */
void dict_test_check_rules(struct dict_object *parent, const struct spec_rules *s);
void dict_test_check_enum(const struct spec_enum *s);
/* Number of objects: AVPs of vendors 0 and 10415, commands, types and their
 * constants, rules of the given parents. */
size_t dict_test_count_objects(struct dict_object *const *parents, size_t n);

#endif
