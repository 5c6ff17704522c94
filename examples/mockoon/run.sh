#!/usr/bin/env bash
# Mockoon serving environment.json, run through the suite: examples/mockoon/run.sh [PYTEST-ARGS...]
#
# environment.json imitates the endpoint with Mockoon's own means: response rules on the Authorization
# header (admin and reader below, anything else 401), the path id, the body (a JSON schema in a data
# bucket) and `Prefer: code=500`; segments live in a data bucket, so copies are stored, read back and
# deleted. Open it in Mockoon's desktop app to see or change it.
source "$(dirname "$0")/../lib.sh"

recipe_init mockoon
need node "Mockoon's CLI runs on Node.js (>= 18)"
npm_install
port="$(free_port)"
start_tool "$NODE_DIR/mockoon/node_modules/.bin/mockoon-cli" start --data examples/mockoon/environment.json \
    --hostname 127.0.0.1 --port "$port" --disable-log-to-file --disable-admin-api
wait_ready "http://127.0.0.1:$port/"
run_suite "http://127.0.0.1:$port" --auth "$ADMIN_AUTH" --forbidden-auth "$READER_AUTH" --fault-injection "$@"
