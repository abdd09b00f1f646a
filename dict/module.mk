# dict/: freeDiameter dictionaries for Diameter Mobile IPv4 (RFC 4004), Zn and
# Zh (TS 29.109).  The same objects make libdict.a (linked into mip4-ha,
# aaa-naf, the lab BSF and HSS) and the .fdx loaded by the stock freeDiameterd;
# dict_avp (adding and finding AVPs of a message) is only in libdict.a.
DICT_OBJS := $(patsubst %.c,$(BUILD)/%.o,dict/dict_base.c dict/dict_mip4.c dict/dict_zn.c dict/dict_zh.c \
	dict/dict_util.c dict/dict_avp.c)
LIBDICT := $(BUILD)/dict/libdict.a

$(LIBDICT): $(DICT_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

EXTENSIONS += $(BUILD)/dict/dict_mip4.fdx $(BUILD)/dict/dict_zn.fdx $(BUILD)/dict/dict_zh.fdx

# Every freeDiameter extension exports the same global fd_ext_depends; ASan's
# ODR check aborts freeDiameterd when two instrumented ones define it, so the
# entry files (nothing else in them) are built without ASan, keeping UBSan.
$(BUILD)/dict/dict_mip4_fdx.o $(BUILD)/dict/dict_zn_fdx.o $(BUILD)/dict/dict_zh_fdx.o: CFLAGS += -fno-sanitize=address

$(BUILD)/dict/dict_mip4.fdx: $(BUILD)/dict/dict_mip4_fdx.o $(LIBDICT)
	$(CC) $(LDFLAGS) -shared -o $@ $< $(LIBDICT)

$(BUILD)/dict/dict_zn.fdx: $(BUILD)/dict/dict_zn_fdx.o $(LIBDICT)
	$(CC) $(LDFLAGS) -shared -o $@ $< $(LIBDICT)

$(BUILD)/dict/dict_zh.fdx: $(BUILD)/dict/dict_zh_fdx.o $(LIBDICT)
	$(CC) $(LDFLAGS) -shared -o $@ $< $(LIBDICT)

$(eval $(call unit_test,test_dict_mip4,tests/unit/test_dict_mip4.c tests/unit/test_dict_support.c,$(LIBDICT) $(FD_LIBS)))
$(eval $(call unit_test,test_dict_zn,tests/unit/test_dict_zn.c tests/unit/test_dict_support.c,$(LIBDICT) $(FD_LIBS)))
$(eval $(call unit_test,test_dict_zh,tests/unit/test_dict_zh.c tests/unit/test_dict_support.c,$(LIBDICT) $(FD_LIBS)))
$(eval $(call unit_test,test_dict_avp,tests/unit/test_dict_avp.c tests/unit/test_dict_support.c,$(LIBDICT) $(FD_LIBS)))
