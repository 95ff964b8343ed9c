#!/usr/bin/env bash
# The kafka-init service (apache/kafka image, as root, before the broker starts): gives the
# broker's volume what the broker needs, and makes the TLS material when it is missing.
#
# - lgsp_broker.password, lgsp_admin.password: copied from the credentials the secrets service
#   keeps (the broker formats its storage with both, and logs in as the first);
# - a development certificate authority and the broker's key and certificate, signed by it for
#   the names kafka, localhost and 127.0.0.1 (broker.p12, with its password in
#   broker.p12.password); the authority's certificate goes to the public volume (ca.pem) that
#   every client reads as KAFKA_SSL_CA_FILE. The authority's private key exists only while
#   this script runs: nothing can sign another certificate with it afterwards.
#
# Existing TLS material is kept. To make new (a new authority too), delete broker.p12, e.g.
#   docker compose run --rm --entrypoint rm kafka-init /run/lgsp/broker/broker.p12
# then restart the stack: the services read ca.pem again when they start.
set -euo pipefail

RUN="${LGSP_RUN_DIR:-/run/lgsp}"
CREDENTIALS="$RUN/kafka-credentials"
BROKER_DIR="$RUN/broker"
CA_DIR="$RUN/ca"
OWNER="${LGSP_BROKER_USER:-appuser}"
CA_DAYS=3650
CERT_DAYS=825

say() { printf '[kafka-init] %s\n' "$*"; }

copy_passwords() {
  local name
  for name in lgsp_broker lgsp_admin; do
    [[ -s "$CREDENTIALS/$name.password" ]] ||
      {
        say "ERROR: $CREDENTIALS/$name.password is missing (the secrets service writes it)"
        exit 1
      }
    cp "$CREDENTIALS/$name.password" "$BROKER_DIR/$name.password"
  done
}

tls_complete() {
  [[ -s "$BROKER_DIR/broker.p12" && -s "$BROKER_DIR/broker.p12.password" && -s "$CA_DIR/ca.pem" ]]
}

make_tls() {
  local work pw
  work="$(mktemp -d)"
  # shellcheck disable=SC2064 # the path is fixed now
  trap "rm -rf '$work'" EXIT
  od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$work/ca.password"
  od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$work/broker.p12.password"
  pw=(-storetype PKCS12 -storepass:file "$work/broker.p12.password")

  keytool -genkeypair -alias ca -keyalg EC -groupname secp256r1 -validity "$CA_DAYS" \
    -dname 'CN=LGSP compose development CA' -ext bc:c -ext ku:c=keyCertSign,cRLSign \
    -keystore "$work/ca.p12" -storetype PKCS12 -storepass:file "$work/ca.password"
  keytool -exportcert -rfc -alias ca -file "$work/ca.pem" \
    -keystore "$work/ca.p12" -storetype PKCS12 -storepass:file "$work/ca.password"

  keytool -genkeypair -alias broker -keyalg EC -groupname secp256r1 -validity "$CERT_DAYS" \
    -dname 'CN=kafka' -keystore "$work/broker.p12" "${pw[@]}"
  keytool -certreq -alias broker -file "$work/broker.csr" -keystore "$work/broker.p12" "${pw[@]}"
  keytool -gencert -alias ca -rfc -validity "$CERT_DAYS" \
    -keystore "$work/ca.p12" -storetype PKCS12 -storepass:file "$work/ca.password" \
    -infile "$work/broker.csr" -outfile "$work/broker.pem" \
    -ext san=dns:kafka,dns:localhost,ip:127.0.0.1 \
    -ext ku:c=digitalSignature,keyAgreement -ext eku=serverAuth,clientAuth
  # The chain: the authority first, then the broker's certificate in reply to its request.
  keytool -importcert -noprompt -alias ca -file "$work/ca.pem" -keystore "$work/broker.p12" "${pw[@]}"
  keytool -importcert -alias broker -file "$work/broker.pem" -keystore "$work/broker.p12" "${pw[@]}"

  cp "$work/broker.p12" "$work/broker.p12.password" "$BROKER_DIR/"
  cp "$work/ca.pem" "$CA_DIR/ca.pem"
  say "made a development certificate authority and the broker's certificate (kafka, localhost)"
}

mkdir -p "$BROKER_DIR" "$CA_DIR"
copy_passwords
if tls_complete; then
  say "TLS material present; kept"
else
  make_tls
fi
# The broker runs as $OWNER and alone reads its volume; the authority's certificate is public.
chown -R "$OWNER" "$BROKER_DIR"
chmod 700 "$BROKER_DIR"
chmod 600 "$BROKER_DIR"/*
chmod 755 "$CA_DIR"
chmod 644 "$CA_DIR/ca.pem"
