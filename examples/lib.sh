# Shared steps of the example recipes; sourced by examples/<tool>/run.sh, never run by itself.
#
# A recipe installs its tool into examples/.node/<tool> from the pinned package-lock.json beside it,
# starts the tool on a free loopback port in a process group of its own, waits for it to answer, runs
# the suite against it, and stops the whole group on exit, whatever happened (trap EXIT INT TERM).
#
# Exit status: the suite's own (0 no MUST failed, 1 one did, 2 the target could not be tested), or
# 125 when the tool could not be installed or did not start (pytest uses 3 to 5 for itself).

set -euo pipefail

EXAMPLES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(dirname "$EXAMPLES_DIR")"
NODE_DIR="$EXAMPLES_DIR/.node"
PYTHON="${PYTHON:-python}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"  # seconds a tool gets to answer its first request
# A fixed seed, so a recipe gives the same results as examples/README.md's table; --hypothesis-seed overrides it.
HYPOTHESIS_SEED="${HYPOTHESIS_SEED:-20261126}"
SETUP_FAILED=125

# The identities every recipe configures its tool with: an admin that may copy, a reader that may not.
ADMIN_AUTH='basic:TestSite\admin:admin-password'
READER_AUTH='basic:TestSite\reader:reader-password'

_tool=""
_tool_pgid=""
_tool_log=""

say() { printf 'examples: %s\n' "$*" >&2; }

die() {  # die MESSAGE: a set-up failure, with the end of the tool's log if there is one
    say "$1"
    if [[ -n "$_tool_log" && -s "$_tool_log" ]]; then
        say "last lines of $_tool_log:"
        tail -n 20 "$_tool_log" >&2
    fi
    exit "$SETUP_FAILED"
}

need() {  # need COMMAND WHY
    command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"
}

recipe_init() {  # recipe_init TOOL: work from the project root; reports (and the tool's log) in REPORT_DIR
    _tool="$1"
    cd "$ROOT_DIR"
    REPORT_DIR="${REPORT_DIR:-reports/$_tool}"  # relative paths are relative to the project root
    mkdir -p "$REPORT_DIR"
    _tool_log="$REPORT_DIR/$_tool.log"
    : >"$_tool_log"
}

npm_install() {  # install examples/TOOL/package-lock.json into examples/.node/TOOL, unless already there
    local lock="$EXAMPLES_DIR/$_tool/package-lock.json" dir="$NODE_DIR/$_tool"
    local stamp="$dir/installed-package-lock.json"  # written only after a complete install
    need npm "the $_tool recipe installs its tool from the npm registry"
    if [[ -d "$dir/node_modules" ]] && cmp -s "$lock" "$stamp"; then
        return 0
    fi
    say "installing $_tool into examples/.node/$_tool (npm ci, pinned by examples/$_tool/package-lock.json)"
    mkdir -p "$dir"
    rm -f "$stamp"
    cp "$EXAMPLES_DIR/$_tool/package.json" "$lock" "$dir/"
    # --ignore-scripts: none of these packages needs an install step, and some only send telemetry there.
    npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error >&2 || die "npm ci of $_tool failed"
    cp "$lock" "$stamp"
}

free_port() {  # a TCP port that nothing listens on at the moment, on 127.0.0.1
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_tool() {  # stop the tool's whole process group: TERM, then KILL after 10 s
    [[ -n "$_tool_pgid" ]] || return 0
    local pgid="$_tool_pgid"
    _tool_pgid=""
    kill -TERM -- "-$pgid" 2>/dev/null || return 0
    for _ in $(seq 1 100); do
        kill -0 -- "-$pgid" 2>/dev/null || return 0
        sleep 0.1
    done
    say "process group $pgid of $_tool did not stop within 10 s: killing it"
    kill -KILL -- "-$pgid" 2>/dev/null || true
}

start_tool() {  # start_tool COMMAND...: run COMMAND in a process group of its own, output to the log
    trap stop_tool EXIT
    trap 'stop_tool; exit 130' INT
    trap 'stop_tool; exit 143' TERM
    # With job control on, a background job gets a process group of its own whose id is its pid,
    # so stop_tool reaches every process the tool forks.
    set -m
    "$@" >>"$_tool_log" 2>&1 </dev/null &
    _tool_pgid=$!
    set +m
    say "started $_tool (process group $_tool_pgid), log in $_tool_log"
}

wait_ready() {  # wait_ready URL: until anything answers HTTP at URL; dies if the tool exits or READY_TIMEOUT passes
    local url="$1" deadline=$((SECONDS + READY_TIMEOUT))
    while ((SECONDS < deadline)); do
        kill -0 "$_tool_pgid" 2>/dev/null || die "$_tool exited before it answered at $url"
        if "$PYTHON" - "$url" <<'PY'
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass  # any status at all: the server is up
except OSError:
    sys.exit(1)
PY
        then
            return 0
        fi
        sleep 0.5
    done
    die "$_tool did not answer at $url within $READY_TIMEOUT s (READY_TIMEOUT)"
}

run_suite() {  # run_suite URL PYTEST-ARGS...: the suite against URL, then stop the tool; the suite's status
    local url="$1" status=0
    shift
    say "running the suite against $_tool at $url, reports in $REPORT_DIR"
    "$PYTHON" -m pytest --target-url "$url" --hypothesis-profile=dev "--hypothesis-seed=$HYPOTHESIS_SEED" \
        "--report-dir=$REPORT_DIR" "$@" || status=$?
    stop_tool
    return "$status"
}
