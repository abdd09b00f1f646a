# make compare: the side-by-side lab against IKEv2-bootstrapped Mobile IPv6
# security (strongSwan); see compare/compare.sh.  Root only; installs the
# strongSwan packages, iperf3 and gnuplot itself (compare/deps.sh).
.PHONY: compare
compare: deps
	$(MAKE) --no-print-directory $(JOBS) all
	BUILD=$(BUILD) compare/compare.sh --out $(BUILD)/compare --plugins $(BUILD)/compare/plugins
