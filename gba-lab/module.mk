# gba-lab/: the lab GBA network for freeDiameterd: bsf_lab.fdx (the BSF: Zn
# server, Ub HTTP Digest AKA server, Zh client) and hss_lab.fdx (the HSS: Zh
# server with a subscriber file).
EXTENSIONS += $(BUILD)/gba-lab/bsf_lab.fdx $(BUILD)/gba-lab/hss_lab.fdx
$(BUILD)/gba-lab/bsf_lab.fdx: $(BUILD)/gba-lab/bsf_lab.o $(LIBDICT) $(LIBMIP4)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -shared -o $@ $< $(LIBDICT) $(LIBMIP4) $(CONFUSE_LIBS) $(SSL_LIBS)

$(BUILD)/gba-lab/hss_lab.fdx: $(BUILD)/gba-lab/hss_lab.o $(LIBDICT) $(LIBMIP4)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -shared -o $@ $< $(LIBDICT) $(LIBMIP4) $(CONFUSE_LIBS) $(SSL_LIBS)

INSTALL_DATA += conf/bsf-lab.conf conf/freediameter-bsf.conf conf/hss-lab.conf conf/freediameter-hss.conf
