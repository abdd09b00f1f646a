# The IKEv2 side of the comparison: two Debian charon-systemd daemons (MN in
# $NS_MN, HA in $NS_HA) with kernel-libipsec (this kernel has no ESP) and the
# self-built eap-aka-3gpp / load-tester plugins preloaded.  Sourced by
# compare/compare.sh after net.sh and proc.sh.
#
#   ike_setup DIR                 PKI and both daemons' configuration under DIR
#   ike_start / ike_stop          the bootstrap daemons (every connection loaded)
#   ike_rows                      the connections the table compares
#   ike_sw ROLE ARGS...           swanctl against ROLE's daemon
#   ike_lt_start NAME ROLE-CONF   a load-tester daemon (see compare.sh)
#
# The subscriber is TS 35.208 test set 1 (K, OPc) under an IMSI-based NAI; the
# HA authenticates with an RSA-2048 or ECDSA P-256 certificate, with EAP only
# (RFC 5998), or with a PSK; IKE aes128-sha256-x25519, ESP aes128gcm16 in
# tunnel mode (all libipsec does); MOBIKE off (RFC 4877 does not use it); the
# AKA-Identity round skipped (request_identity = no), so EAP-AKA costs two
# IKE_AUTH exchanges, not three.

IKE_NAI=0001010123456789@nai.epc.mnc001.mcc001.3gppnetwork.org
IKE_PSK=cmp-lab-psk-0123456789abcdef0123
IKE_PROPOSAL=aes128-sha256-x25519
IKE_ESP=aes128gcm16
IKE_PLUGINS="random nonce openssl aes sha1 sha2 hmac gmp kdf pem pkcs1 pkcs8 x509 pubkey constraints"

# name | MN remote auth | HA id | HA local auth | row label
ike_rows() {
	cat <<-X
	ike-aka-rsa|pubkey|ha-rsa.cmp.test|pubkey ha-rsa|IKEv2 EAP-AKA, HA cert RSA-2048
	ike-aka-ecdsa|pubkey|ha-ec.cmp.test|pubkey ha-ec|IKEv2 EAP-AKA, HA cert ECDSA P-256
	ike-aka-eaponly|eap|ha-eap.cmp.test|eap|IKEv2 EAP-AKA, EAP-only (RFC 5998)
	ike-psk|psk|ha-psk.cmp.test|psk|IKEv2 PSK (floor)
	X
}

ike_pki() {
	local d=$IKE_DIR/pki
	mkdir -p "$d"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca-rsa.key" -out "$d/ca-rsa.pem" \
		-days 30 -subj "/O=cmp/CN=cmp lab RSA CA" 2>/dev/null || return 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/ca-ec.key" \
		-out "$d/ca-ec.pem" -days 30 -subj "/O=cmp/CN=cmp lab EC CA" 2>/dev/null || return 1
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/ha-rsa.key" 2>/dev/null || return 1
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/ha-ec.key" 2>/dev/null || return 1
	local k ca
	for k in rsa ec; do
		ca=ca-$k
		openssl req -new -key "$d/ha-$k.key" -subj "/O=cmp/CN=ha-$k.cmp.test" -out "$d/ha-$k.csr" 2>/dev/null &&
			printf 'subjectAltName=DNS:ha-%s.cmp.test\n' "$k" >"$d/ha-$k.ext" &&
			openssl x509 -req -in "$d/ha-$k.csr" -CA "$d/$ca.pem" -CAkey "$d/$ca.key" -CAcreateserial \
				-CAserial "$d/$ca.srl" -days 30 -extfile "$d/ha-$k.ext" -out "$d/ha-$k.pem" 2>/dev/null || return 1
	done
	chmod 600 "$d"/*.key
}

# ike_conf_daemon DIR LOAD EXTRA PLUGINS: DIR/strongswan.conf for one charon:
# the common plugins plus LOAD, EXTRA lines in its section, PLUGINS (settings
# of further plugins); its vici socket and log in DIR.
ike_conf_daemon() {
	local d=$1 load=$2 extra=$3 plugins=$4
	cat >"$d/strongswan.conf" <<-X
	charon-systemd {
	  load = $IKE_PLUGINS $load
	  journal { default = -1 }
	  filelog { main { path = $d/charon.log
	                   time_format = %s
	                   append = no
	                   default = ${IKE_LOGLEVEL:-0} } }
	  $extra
	  plugins {
	    vici { socket = unix://$d/charon.vici }
	    eap-aka { request_identity = no }
	    $plugins
	  }
	}
	swanctl { socket = unix://$d/charon.vici
	          load = random pem pkcs1 pkcs8 x509 pubkey openssl }
	X
}

# One connection as ROLE sees it.
ike_conn() {
	local role=$1 name=$2 mn_remote=$3 ha_id=$4 ha_local=$5 certs=
	local me peer local_auth local_id remote_auth remote_id ts extra
	if [ "$role" = mn ]; then
		me=$NET_MN_ADDR peer=$NET_HA_ADDR
		remote_auth=$mn_remote remote_id=$ha_id
		if [ "$mn_remote" = psk ]; then local_auth=psk local_id=mn@cmp.test; else local_auth=eap-aka local_id=$IKE_NAI; fi
		ts="remote_ts = $NET_HOME_NET"
		extra="vips = 0.0.0.0"
	else
		me=$NET_HA_ADDR peer=$NET_MN_ADDR
		local_auth=${ha_local%% *} local_id=$ha_id
		[ "$local_auth" = pubkey ] && certs="certs = ${ha_local#* }.pem"
		if [ "$mn_remote" = psk ]; then remote_auth=psk remote_id=mn@cmp.test; else remote_auth=eap-aka remote_id=%any; fi
		ts="local_ts = $NET_HOME_NET"
		extra="pools = home"
	fi
	cat <<-X
	  $name {
	    version = 2
	    local_addrs = $me
	    remote_addrs = $peer
	    proposals = $IKE_PROPOSAL
	    rekey_time = 0
	    mobike = no
	    $( [ "$mn_remote" = pubkey ] || echo "send_certreq = no" )
	    $extra
	    local { auth = $local_auth
	            id = $local_id
	            $certs }
	    remote { auth = $remote_auth
	             id = $remote_id }
	    children { $name { $ts
	                       esp_proposals = $IKE_ESP
	                       rekey_time = 0 } }
	  }
	X
}

ike_conf_swanctl() {
	local role=$1 d=$IKE_DIR/$1/swanctl name mn_remote ha_id ha_local label
	mkdir -p "$d"/{x509,x509ca,private,conf.d}
	{
		echo "connections {"
		while IFS='|' read -r name mn_remote ha_id ha_local label; do
			ike_conn "$role" "$name" "$mn_remote" "$ha_id" "$ha_local"
		done < <(ike_rows)
		echo "}"
		cat <<-X
		secrets {
		  ike-psk { id-1 = mn@cmp.test
		            id-2 = ha-psk.cmp.test
		            secret = "$IKE_PSK" }
		  eap-mn { id = $IKE_NAI
		           secret = 0x$CMP_K$CMP_OPC }
		}
		X
		[ "$role" = ha ] && echo "pools { home { addrs = $NET_IKE_POOL } }"
	} >"$d/swanctl.conf"
	chmod 600 "$d/swanctl.conf"
	if [ "$role" = mn ]; then
		cp "$IKE_DIR/pki/ca-rsa.pem" "$IKE_DIR/pki/ca-ec.pem" "$d/x509ca/"
	else
		cp "$IKE_DIR/pki/ha-rsa.pem" "$IKE_DIR/pki/ha-ec.pem" "$d/x509/"
		cp "$IKE_DIR/pki/ha-rsa.key" "$IKE_DIR/pki/ha-ec.key" "$d/private/"
	fi
}

ike_setup() {
	IKE_DIR=$1
	mkdir -p "$IKE_DIR/mn" "$IKE_DIR/ha"
	ike_pki || { echo "ike: PKI failed" >&2; return 1; }
	local r
	for r in mn ha; do
		ike_conf_daemon "$IKE_DIR/$r" "kernel-libipsec kernel-netlink socket-default vici fips-prf eap-aka eap-aka-3gpp attr counters" \
			"" "kernel-libipsec { load = yes }"
		ike_conf_swanctl "$r"
	done
}

ike_sw() {
	local role=$1; shift
	STRONGSWAN_CONF=$IKE_DIR/$role/strongswan.conf SWANCTL_DIR=$IKE_DIR/$role/swanctl swanctl "$@"
}

# ike_daemon NAME ROLE NS PRELOAD: start charon-systemd with ROLE's config in NS
# (proc_start records the PID), wait for its vici socket.
ike_daemon() {
	local name=$1 role=$2 ns=$3 preload=$4 d=$IKE_DIR/$2 i
	rm -f "$d/charon.vici"
	proc_start "$name" "$d/stdout.log" setsid ip netns exec "$ns" env STRONGSWAN_CONF="$d/strongswan.conf" \
		LD_PRELOAD="$preload" LD_LIBRARY_PATH=/usr/lib/ipsec /usr/sbin/charon-systemd
	for ((i = 0; i < 200; i++)); do
		[ -S "$d/charon.vici" ] && return 0
		proc_alive "$name" || break
		sleep 0.05
	done
	tail -n 20 "$d/stdout.log" "$d/charon.log" >&2 2>/dev/null
	echo "ike: charon $name did not start" >&2
	return 1
}

ike_start() {
	ike_daemon ike-ha ha "$NS_HA" "$PLUGIN_DIR/libstrongswan-eap-aka-3gpp.so" &&
		ike_daemon ike-mn mn "$NS_MN" "$PLUGIN_DIR/libstrongswan-eap-aka-3gpp.so" || return 1
	ike_sw ha --load-all --noprompt >"$IKE_DIR/ha/load.log" 2>&1 &&
		ike_sw mn --load-all --noprompt >"$IKE_DIR/mn/load.log" 2>&1 ||
		{ cat "$IKE_DIR"/*/load.log >&2; echo "ike: swanctl --load-all failed" >&2; return 1; }
}

ike_stop() {
	proc_stop ike-mn
	proc_stop ike-ha
}

# Load-tester daemons (strongSwan's load-tester plugin, open loop as in
# shared/notes/strongswan-lab.md: 2 initiator threads, 1 ms apart, no window,
# every IKE_SA deleted once established, SAs not installed: fake_kernel).
#
# The EAP-AKA key of these runs cannot be the subscriber's: the plugin's own
# credential set answers every EAP secret lookup with eap_password, matched as
# "any" on the peer's identity, and credential_manager_t.get_shared() prefers
# that to a swanctl secret (whose peer match is "none": the AKA plugins look
# the key up without a peer).  eap_password is a string, and the TS 35.208 set 1
# K||OPc is not printable (it holds a 0x0a), so the load runs use a 32-character
# ASCII K||OPc.  MILENAGE costs the same for any key; the sequential rows use
# the real set 1.
#
#   ike_lt_conf VARIANT   VARIANT: psk, aka-rsa, aka-eaponly, or rekey (PSK
#                         IKE_SAs kept and rekeyed every IKE_LT_REKEY_S seconds)
#   ike_lt_start / ike_lt_stop
IKE_LT_EAP_SECRET=TS35208-stand-in-K-and-OPc-32chr
ike_lt_conf() {
	local variant=$1 role d ia ra lt extra
	case $variant in
	psk | rekey) ia=psk ra=psk ;;
	aka-rsa) ia=eap-aka ra=pubkey ;;
	aka-eaponly) ia=eap-aka ra=eap ;;
	*) echo "ike: unknown load variant $variant" >&2; return 1 ;;
	esac
	for role in mn ha; do
		d=$IKE_DIR/lt-$role
		rm -rf "$d"
		mkdir -p "$d"
		lt="enable = yes
	      version = 2
	      proposal = $IKE_PROPOSAL
	      esp = $IKE_ESP
	      initiator_auth = $ia
	      responder_auth = $ra
	      digest = sha256
	      fake_kernel = yes
	      initiator = $NET_MN_ADDR
	      responder = $NET_HA_ADDR
	      eap_password = $IKE_LT_EAP_SECRET"
		[ "$ia" = eap-aka ] && lt="$lt
	      initiator_id = $IKE_NAI"
		[ "$ra" = pubkey ] && lt="$lt
	      issuer_key = $IKE_DIR/pki/ca-rsa.key
	      issuer_cert = $IKE_DIR/pki/ca-rsa.pem"
		if [ "$role" = ha ]; then
			lt="$lt
	      initiators = 0"
		elif [ "$variant" = rekey ]; then
			# One initiator: iterations counts per initiator thread.
			lt="$lt
	      initiators = 1
	      delay = 1
	      init_limit = 0
	      iterations = $IKE_LT_REKEY_SAS
	      delete_after_established = no
	      ike_rekey = $IKE_LT_REKEY_S"
		else
			lt="$lt
	      initiators = 2
	      delay = 1
	      init_limit = 0
	      iterations = 100000000
	      delete_after_established = yes"
		fi
		# reuse_ikesa = no: with the default, every initiate scans the IKE_SAs
		# for one of the same config to reuse and waits for each that is
		# checked out, which serialises the initiator threads.
		extra="dos_protection = no
	  install_routes = no
	  reuse_ikesa = no
	  retransmit_tries = 3"
		ike_conf_daemon "$d" "load-tester kernel-netlink socket-default vici fips-prf eap-aka eap-aka-3gpp counters" \
			"$extra" "load-tester {
	      $lt
	    }"
	done
}

# The responder first, then the initiator, whose threads start at once.
ike_lt_start() {
	local both=$PLUGIN_DIR/libstrongswan-eap-aka-3gpp.so:$PLUGIN_DIR/libstrongswan-load-tester.so
	ike_daemon lt-ha lt-ha "$NS_HA" "$both" && ike_daemon lt-mn lt-mn "$NS_MN" "$both"
}

# A charon running load-tester may ignore SIGTERM for long (its initiator
# threads): SIGKILL after 2 s.
ike_lt_stop() {
	proc_stop lt-mn 2
	proc_stop lt-ha 5
}

# IKE_SAs a load-tester initiator log established in [START, END) (epoch s).
ike_lt_established() {
	awk -v a="$2" -v b="$3" '$1 >= a && $1 < b && /IKE_SA load-test\[[0-9]+\] established/ { n++ } END { print n + 0 }' \
		"$IKE_DIR/lt-$1/charon.log"
}
