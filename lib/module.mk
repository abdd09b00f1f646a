# libmip4: every lib/*.c into one static archive.
LIB_SRCS := $(wildcard lib/*.c)
LIBMIP4 := $(BUILD)/lib/libmip4.a

$(LIBMIP4): $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRCS))
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

# Unit tests of the library: every tests/unit/test_lib_*.c is one Criterion binary
# (libconfuse for conffile; the archive brings in only the objects a test uses).
$(foreach t,$(wildcard tests/unit/test_lib_*.c),\
  $(eval $(call unit_test,$(basename $(notdir $(t))),$(t) $(wildcard tests/unit/vectors.c),$(LIBMIP4) $(CONFUSE_LIBS))))

# Fuzzers: every tests/fuzz/fuzz_*.c, built with the library sources but
# conffile (it needs libconfuse, the fuzzers link only OpenSSL and read no
# configuration); other modules' fuzzers use LIB_FUZZ_SRCS too.
LIB_FUZZ_SRCS := $(filter-out lib/conffile.c,$(LIB_SRCS))
$(foreach f,$(wildcard tests/fuzz/fuzz_*.c),\
  $(eval $(call fuzzer,$(basename $(notdir $(f))),$(f) $(LIB_FUZZ_SRCS))))

# Test vectors: tests/data/vectors.json (the repo's copy of ../shared/spec/vectors.json)
# and the vectors this repository adds (tests/data/ts35208.json, digest.json) compiled into a
# header that only tests/unit/vectors.c includes.
VECTOR_FILES := tests/data/vectors.json tests/data/ts35208.json tests/data/digest.json
$(BUILD)/gen/vectors.h: $(VECTOR_FILES) tests/unit/gen-vectors.py
	@mkdir -p $(@D)
	python3 tests/unit/gen-vectors.py $(VECTOR_FILES) $@.tmp && mv $@.tmp $@
$(BUILD)/tests/unit/vectors.o: $(BUILD)/gen/vectors.h
$(BUILD)/tests/unit/vectors.o: CPPFLAGS += -I$(BUILD)
