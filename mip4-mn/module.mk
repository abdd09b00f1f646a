# mip4-mn: lab mobile node and load generator (mip4-mn/*.c), its unit tests,
# and the lab targets (make demo / lab / lab-stop).
MN_SRCS := mip4-mn/opts.c mip4-mn/reg.c mip4-mn/stats.c mip4-mn/store.c \
	mip4-mn/table.c mip4-mn/load.c mip4-mn/agent.c mip4-mn/fa.c mip4-mn/datapath.c mip4-mn/say.c mip4-mn/httpc.c \
	mip4-mn/ub.c mip4-mn/boot.c
MN_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(MN_SRCS))

PROGRAMS += $(BUILD)/mip4-mn/mip4-mn

$(BUILD)/mip4-mn/mip4-mn: $(BUILD)/mip4-mn/main.o $(MN_OBJS) $(LIBAGENT) $(LIBMIP4)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBAGENT) $(LIBMIP4) $(EVENT_LIBS) $(SSL_LIBS) $(MNL_LIBS) -lm -lpthread

$(eval $(call unit_test,test_mn_reg,tests/unit/test_mn_reg.c mip4-mn/reg.c mip4-mn/say.c tests/unit/vectors.c,$(LIBMIP4)))
$(eval $(call unit_test,test_mn_agent,tests/unit/test_mn_agent.c mip4-mn/agent.c,$(LIBMIP4)))
$(eval $(call unit_test,test_mn_table,tests/unit/test_mn_table.c mip4-mn/table.c,))
$(eval $(call unit_test,test_mn_stats,tests/unit/test_mn_stats.c mip4-mn/stats.c,-lm))
$(eval $(call unit_test,test_mn_opts,tests/unit/test_mn_opts.c mip4-mn/opts.c mip4-mn/store.c mip4-mn/boot.c \
	mip4-mn/ub.c mip4-mn/httpc.c mip4-mn/say.c mip4-mn/stats.c tests/unit/vectors.c,$(LIBMIP4) -lm -lpthread))
$(eval $(call unit_test,test_mn_httpc,tests/unit/test_mn_httpc.c mip4-mn/httpc.c,-lpthread))
