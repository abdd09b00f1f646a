# gba-lab/: the lab GBA network for freeDiameterd: bsf_lab.fdx (the BSF: Zn
# server, Ub HTTP Digest AKA server, Zh client) and hss_lab.fdx (the HSS: Zh
# server with a subscriber file).
BSF_OBJS := $(patsubst %.c,$(BUILD)/%.o,gba-lab/bsf_lab.c gba-lab/bsf_zn.c gba-lab/bsf_ub.c gba-lab/bsf_zh.c \
	gba-lab/bsf_btable.c gba-lab/bsf_chal.c)
BSF_EVENT_LIBS = $(call pkg_libs,libevent libevent_pthreads libevent_openssl)

EXTENSIONS += $(BUILD)/gba-lab/bsf_lab.fdx $(BUILD)/gba-lab/hss_lab.fdx
$(BUILD)/gba-lab/bsf_lab.fdx: $(BSF_OBJS) $(LIBDICT) $(LIBMIP4)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -shared -o $@ $(BSF_OBJS) $(LIBDICT) $(LIBMIP4) $(CONFUSE_LIBS) $(BSF_EVENT_LIBS) $(SSL_LIBS) -lpthread

$(BUILD)/gba-lab/hss_lab.fdx: $(BUILD)/gba-lab/hss_lab.o $(LIBDICT) $(LIBMIP4)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -shared -o $@ $< $(LIBDICT) $(LIBMIP4) $(CONFUSE_LIBS) $(SSL_LIBS) -lpthread

$(eval $(call unit_test,test_bsf_btable,tests/unit/test_bsf_btable.c gba-lab/bsf_btable.c,$(LIBMIP4) -lpthread))
$(eval $(call unit_test,test_bsf_chal,tests/unit/test_bsf_chal.c gba-lab/bsf_chal.c,$(LIBMIP4)))

INSTALL_DATA += conf/bsf-lab.conf conf/freediameter-bsf.conf conf/hss-lab.conf conf/freediameter-hss.conf
