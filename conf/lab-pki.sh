#!/bin/bash
# Make a throwaway lab PKI: one CA and one certificate per Diameter identity.
#   conf/lab-pki.sh DIR IDENTITY...
# Writes DIR/ca.pem, and DIR/IDENTITY.pem + DIR/IDENTITY.key for each identity
# (the certificate's CN and subjectAltName are the identity, which freeDiameter
# checks against the peer's Diameter identity).  Keys are mode 0600.
# For labs and tests only: the CA key is deleted once the certificates are made.
set -euo pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 DIR IDENTITY..." >&2
	exit 2
fi
dir=$1; shift
mkdir -p "$dir"
umask 077
cakey=$(mktemp "$dir/ca.key.XXXXXX")
trap 'rm -f "$cakey" "$dir"/*.csr "$dir"/*.ext' EXIT

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$cakey" 2>/dev/null
openssl req -x509 -new -key "$cakey" -subj "/CN=mip4-gba lab CA" -days 7 \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
	-out "$dir/ca.pem" 2>/dev/null
for id in "$@"; do
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$id.key" 2>/dev/null
	openssl req -new -key "$dir/$id.key" -subj "/CN=$id" -out "$dir/$id.csr" 2>/dev/null
	printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n' \
		"$id" >"$dir/$id.ext"
	openssl x509 -req -in "$dir/$id.csr" -CA "$dir/ca.pem" -CAkey "$cakey" -CAcreateserial \
		-days 7 -extfile "$dir/$id.ext" -out "$dir/$id.pem" 2>/dev/null
done
rm -f "$dir/ca.srl"
chmod 0644 "$dir/ca.pem" "$dir"/*.pem
