/*
 * dict_util: the table-driven registration shared by dict_mip4 and dict_zn.
 * Every object is looked up by its numeric key (AVP code + vendor, application
 * id, command code) before it is created, so a definition another dictionary
 * already loaded (possibly under another name) is reused when its wire
 * properties (base type, flags) are the same, and refused loudly with EEXIST
 * when they differ.  Internal to dict/: not part of the public contract.
 */
#ifndef MIP4_DICT_UTIL_H
#define MIP4_DICT_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#define DICT_UTIL_N(a) (sizeof(a) / sizeof((a)[0]))

/* A named constant of an enumerated (Integer32 or Unsigned32) type. */
struct dict_util_enum {
	const char *name;
	int64_t value;
};

struct dict_util_avp {
	uint32_t code;
	uint32_t vendor;
	const char *name;
	enum dict_avp_basetype base;
	uint8_t flag_mask, flag_val;
	/* Derived type: an existing one ("Address", "Time", ...) when enums is
	 * NULL, otherwise the name of the enumerated type to create or reuse. */
	const char *type_name;
	const struct dict_util_enum *enums;
	size_t n_enums;
};

/* One rule of a command or grouped AVP; the AVP is named by code and vendor
 * because its name may differ between dictionaries. */
struct dict_util_rule {
	uint32_t code;
	uint32_t vendor;
	enum rule_position position;
	int min, max;
};

struct dict_util_cmd {
	uint32_t code;
	const char *name;
	uint8_t flag_mask, flag_val;
	const struct dict_util_rule *rules;
	size_t n_rules;
};

int dict_util_vendor(uint32_t id, const char *name, struct dict_object **out);
int dict_util_app(uint32_t id, const char *name, struct dict_object **out);
int dict_util_avp(const struct dict_util_avp *def, struct dict_object **out);
/* Rules of a grouped AVP (parent is its object). */
int dict_util_rules(struct dict_object *parent, const char *parent_name,
		    const struct dict_util_rule *rules, size_t n);
/* A request (flag_val has the R bit) or its answer, with their rules. */
int dict_util_cmd(const struct dict_util_cmd *def, struct dict_object *app,
		  struct dict_object **out);
/* Add named constants to the type of an existing AVP (Result-Code, ...). */
int dict_util_avp_enums(uint32_t code, uint32_t vendor, const struct dict_util_enum *enums,
			size_t n);

int dict_util_find_avp(uint32_t code, uint32_t vendor, struct dict_object **out);
int dict_util_find_app(uint32_t id, struct dict_object **out);
int dict_util_find_vendor(uint32_t id, struct dict_object **out);
/* The request with this code, and its answer. */
int dict_util_find_cmds(uint32_t code, struct dict_object **req, struct dict_object **ans);

#endif
