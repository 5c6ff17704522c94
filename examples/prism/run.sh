#!/usr/bin/env bash
# Stoplight Prism serving spec/openapi.yaml, run through the suite: examples/prism/run.sh [PYTEST-ARGS...]
#
# Prism checks only that the security scheme is satisfied (a well-formed Basic or Bearer header), so any
# credentials pass and no identity is told apart; the admin and reader below are the ones the other
# recipes use. Prism answers `Prefer: code=500` with the documented 500, hence --fault-injection.
source "$(dirname "$0")/../lib.sh"

recipe_init prism
need node "Prism runs on Node.js (>= 18.20)"
npm_install
port="$(free_port)"
start_tool "$NODE_DIR/prism/node_modules/.bin/prism" mock spec/openapi.yaml --host 127.0.0.1 --port "$port"
wait_ready "http://127.0.0.1:$port/"
run_suite "http://127.0.0.1:$port" --auth "$ADMIN_AUTH" --forbidden-auth "$READER_AUTH" --fault-injection "$@"
