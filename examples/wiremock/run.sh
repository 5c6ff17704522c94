#!/usr/bin/env bash
# WireMock serving the stubs in mappings/ and __files/, run through the suite: examples/wiremock/run.sh [PYTEST-ARGS...]
#
# The npm package `wiremock` bundles WireMock's standalone jar; it runs here on the machine's Java (11 or
# later). The stubs match on the Authorization header (admin and reader below, anything else 401), the
# path id, the body (a JSON schema) and `Prefer: code=500`, and answer with response templates. WireMock
# keeps no state between requests, so a copy is never stored and a deleted segment is never missing.
source "$(dirname "$0")/../lib.sh"

recipe_init wiremock
need java "WireMock's standalone jar runs on Java 11 or later"
npm_install
jar="$(ls "$NODE_DIR"/wiremock/node_modules/wiremock/build/wiremock-standalone-*.jar)"
port="$(free_port)"
start_tool java -jar "$jar" --bind-address 127.0.0.1 --port "$port" --root-dir examples/wiremock --disable-banner
wait_ready "http://127.0.0.1:$port/__admin/health"
run_suite "http://127.0.0.1:$port" --auth "$ADMIN_AUTH" --forbidden-auth "$READER_AUTH" --fault-injection "$@"
