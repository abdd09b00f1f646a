# mip4-ha: the Home Agent daemon.  HA_CORE_SRCS are the parts without I/O that
# the unit tests link directly; the daemon adds the loop, sockets, Diameter and
# the control socket.
HA_CORE_SRCS := mip4-ha/conf.c agent/diameter_conf.c $(AGENT_CORE_SRCS) mip4-ha/binding.c \
	mip4-ha/pending.c mip4-ha/counters.c mip4-ha/reg_process.c mip4-ha/reg_zn.c mip4-ha/fwd.c
# The journal (records, files, sync thread): the daemon, its unit test and the
# journal bench; it needs libevent for its snapshot steps.
HA_JOURNAL_SRCS := mip4-ha/jrec.c mip4-ha/journal.c
HA_SRCS := $(filter mip4-ha/%,$(HA_CORE_SRCS)) mip4-ha/main.c mip4-ha/diameter.c mip4-ha/bindings_json.c \
	mip4-ha/dataplane.c $(HA_JOURNAL_SRCS)
HA_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(HA_SRCS))
HA_CORE_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(HA_CORE_SRCS))

PROGRAMS += $(BUILD)/mip4-ha/mip4-ha
INSTALL_DATA += conf/mip4-ha.conf $(BUILD)/mip4-ha/mip4-ha.service
all: $(BUILD)/mip4-ha/mip4-ha.service

# The unit says Type=notify only when the daemon can notify.
$(BUILD)/mip4-ha/mip4-ha.service: conf/mip4-ha.service
	@mkdir -p $(@D)
	$(if $(SYSTEMD_CFLAGS),cp $< $@,sed 's/^Type=notify$$/Type=simple/' $< >$@)

# libsystemd is optional: with it, sd_notify readiness (Type=notify).
$(BUILD)/mip4-ha/main.o: CPPFLAGS += $(SYSTEMD_CFLAGS)

$(BUILD)/mip4-ha/mip4-ha: $(HA_OBJS) $(LIBAGENT) $(LIBDICT) $(LIBMIP4)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(HA_OBJS) $(LIBAGENT) $(LIBDICT) $(LIBMIP4) $(EVENT_LIBS) $(CONFUSE_LIBS) $(FD_LIBS) \
		$(SSL_LIBS) $(SYSTEMD_LIBS) $(MNL_LIBS)

$(eval $(call unit_test,test_ha_reg,tests/unit/test_ha_reg.c tests/unit/test_ha_support.c $(HA_CORE_SRCS),$(LIBMIP4) $(CONFUSE_LIBS)))
$(eval $(call unit_test,test_ha_relay,tests/unit/test_ha_relay.c tests/unit/test_ha_support.c $(HA_CORE_SRCS),$(LIBMIP4) $(CONFUSE_LIBS)))
$(eval $(call unit_test,test_ha_tables,tests/unit/test_ha_tables.c $(HA_CORE_SRCS),$(LIBMIP4) $(CONFUSE_LIBS)))
$(eval $(call unit_test,test_ha_conf,tests/unit/test_ha_conf.c tests/unit/test_conf_support.c $(HA_CORE_SRCS),$(LIBMIP4) $(CONFUSE_LIBS)))
$(eval $(call unit_test,test_ha_fwd,tests/unit/test_ha_fwd.c $(HA_CORE_SRCS),$(LIBMIP4) $(CONFUSE_LIBS)))
$(eval $(call unit_test,test_ha_zn,tests/unit/test_ha_zn.c tests/unit/test_ha_support.c tests/unit/vectors.c $(HA_CORE_SRCS),$(LIBMIP4) $(CONFUSE_LIBS)))
$(eval $(call unit_test,test_ha_journal,tests/unit/test_ha_journal.c $(HA_CORE_SRCS) $(HA_JOURNAL_SRCS),$(LIBMIP4) $(CONFUSE_LIBS) $(EVENT_LIBS)))

# Fuzzer of the registration decisions (not fuzz_*.c: lib/module.mk builds those
# with the library alone).  conf.c stays out: the harness has its own
# conf_in_home_net, the only conf function the decisions use.
$(eval $(call fuzzer,ha_fuzz_reg,tests/fuzz/ha_fuzz_reg.c $(LIB_FUZZ_SRCS) $(filter-out mip4-ha/conf.c agent/diameter_conf.c,$(HA_CORE_SRCS))))
# Fuzzer of the forwarding decisions: arbitrary datagrams from either side
# against a small table.
$(eval $(call fuzzer,ha_fuzz_fwd,tests/fuzz/ha_fuzz_fwd.c $(LIB_FUZZ_SRCS) mip4-ha/fwd.c $(AGENT_CORE_SRCS)))

# Fuzzer of the journal's record reader (a damaged journal file).
$(eval $(call fuzzer,ha_fuzz_jrec,tests/fuzz/ha_fuzz_jrec.c mip4-ha/jrec.c lib/crc32c.c))
