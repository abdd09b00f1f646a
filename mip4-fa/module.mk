# mip4-fa: the Foreign Agent daemon.  FA_CORE_SRCS are the parts without I/O that
# the unit tests link directly; the daemon adds the loop, the sockets on the
# visited link and toward the home agents, and the control socket.
FA_CORE_SRCS := mip4-fa/conf.c agent/diameter_conf.c $(AGENT_CORE_SRCS) mip4-fa/advert.c mip4-fa/challenge.c mip4-fa/relay.c \
	mip4-fa/stats.c mip4-fa/forward.c
FA_SRCS := $(filter mip4-fa/%,$(FA_CORE_SRCS)) mip4-fa/main.c mip4-fa/dataplane.c mip4-fa/diameter.c
FA_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(FA_SRCS))

PROGRAMS += $(BUILD)/mip4-fa/mip4-fa
INSTALL_DATA += conf/mip4-fa.conf $(BUILD)/mip4-fa/mip4-fa.service
all: $(BUILD)/mip4-fa/mip4-fa.service

# The unit says Type=notify only when the daemon can notify.
$(BUILD)/mip4-fa/mip4-fa.service: conf/mip4-fa.service
	@mkdir -p $(@D)
	$(if $(SYSTEMD_CFLAGS),cp $< $@,sed 's/^Type=notify$$/Type=simple/' $< >$@)

$(BUILD)/mip4-fa/main.o: CPPFLAGS += $(SYSTEMD_CFLAGS)

$(BUILD)/mip4-fa/mip4-fa: $(FA_OBJS) $(LIBAGENT) $(LIBDICT) $(LIBMIP4)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(FA_OBJS) $(LIBAGENT) $(LIBDICT) $(LIBMIP4) $(EVENT_LIBS) $(CONFUSE_LIBS) $(FD_LIBS) $(SSL_LIBS) \
		$(SYSTEMD_LIBS) $(MNL_LIBS) -lpthread

$(eval $(call unit_test,test_fa_relay,tests/unit/test_fa_relay.c $(FA_CORE_SRCS),$(LIBMIP4) $(CONFUSE_LIBS)))
$(eval $(call unit_test,test_fa_forward,tests/unit/test_fa_forward.c tests/unit/test_ipv4_support.c $(FA_CORE_SRCS),$(LIBMIP4) $(CONFUSE_LIBS)))
# The packet thread's update ring (agent/, with I/O: not in AGENT_CORE_SRCS).
$(eval $(call unit_test,test_agent_pktring,tests/unit/test_agent_pktring.c agent/pktring.c,-lpthread))
$(eval $(call unit_test,test_fa_conf,tests/unit/test_fa_conf.c tests/unit/test_conf_support.c $(FA_CORE_SRCS),$(LIBMIP4) $(CONFUSE_LIBS)))

# Fuzzer of the relay decisions (not fuzz_*.c: lib/module.mk builds those with the
# library alone).  conf.c stays out: the decisions take a filled struct fa_conf.
$(eval $(call fuzzer,fa_fuzz_relay,tests/fuzz/fa_fuzz_relay.c $(LIB_FUZZ_SRCS) $(filter-out mip4-fa/conf.c agent/diameter_conf.c,$(FA_CORE_SRCS))))
# Fuzzer of the forwarding decisions (tunnel side and visited-link side).
$(eval $(call fuzzer,fa_fuzz_forward,tests/fuzz/fa_fuzz_forward.c $(LIB_FUZZ_SRCS) mip4-fa/forward.c $(AGENT_CORE_SRCS)))
