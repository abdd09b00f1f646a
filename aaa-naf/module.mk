# aaa-naf/: aaa_naf.fdx, the Diameter Mobile IPv4 AAA server / GBA NAF loaded by
# freeDiameterd, and its unit tests.
AAA_SRCS := aaa-naf/aaa_naf.c aaa-naf/amr.c aaa-naf/har.c aaa-naf/conf.c aaa-naf/keysrc.c aaa-naf/pool.c \
	aaa-naf/verifier.c agent/zn.c
AAA_FDX := $(BUILD)/aaa-naf/aaa_naf.fdx
EXTENSIONS += $(AAA_FDX)

$(AAA_FDX): $(patsubst %.c,$(BUILD)/%.o,$(AAA_SRCS)) $(LIBDICT) $(LIBMIP4)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -shared -o $@ $(filter %.o,$^) $(LIBDICT) $(LIBMIP4) $(CONFUSE_LIBS) $(SSL_LIBS)

$(eval $(call unit_test,test_aaa_verifier,tests/unit/test_aaa_verifier.c aaa-naf/verifier.c tests/unit/vectors.c,$(LIBMIP4)))
$(eval $(call unit_test,test_aaa_conf,tests/unit/test_aaa_conf.c aaa-naf/conf.c aaa-naf/verifier.c,$(LIBMIP4) $(CONFUSE_LIBS)))
$(eval $(call unit_test,test_aaa_pool,tests/unit/test_aaa_pool.c aaa-naf/pool.c,$(LIBMIP4)))
$(eval $(call unit_test,test_aaa_keysrc,tests/unit/test_aaa_keysrc.c tests/unit/vectors.c aaa-naf/keysrc.c agent/zn.c aaa-naf/verifier.c,$(LIBDICT) $(LIBMIP4) $(FD_LIBS)))

# Example configurations for the AAA/NAF and the lab BSF (make install: share/mip4-gba).
INSTALL_DATA += conf/aaa-naf.conf conf/freediameter-aaa.conf conf/freediameter-relay.conf conf/relay-rt_default.conf \
	conf/aaa-naf-scaleout.conf
