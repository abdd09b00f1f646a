# bsf_lab.fdx: the lab BSF (Zn server) for freeDiameterd.
EXTENSIONS += $(BUILD)/gba-lab/bsf_lab.fdx
$(BUILD)/gba-lab/bsf_lab.fdx: $(BUILD)/gba-lab/bsf_lab.o $(LIBDICT) $(LIBMIP4)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -shared -o $@ $< $(LIBDICT) $(LIBMIP4) $(CONFUSE_LIBS) $(SSL_LIBS)

INSTALL_DATA += conf/bsf-lab.conf conf/freediameter-bsf.conf
