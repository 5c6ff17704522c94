"""The one harness for whole-suite child runs of the self-tests, and helpers of the live self-tests.

Every self-test that runs the suite as a user would (`python -m pytest ...` from the checkout, or the console
script `python -m eloqua_conformance ...` from some directory) starts it here, with `run_suite`, `run_cli`,
`run_pytest` or `start_suite`. A child is a fork of one warm Python process (the "zygote", started once per
self-test session) that has already imported the third-party packages a run needs (pytest, Hypothesis,
schemathesis, httpx, starlette, ...). So a child pays neither interpreter start-up nor those imports, and two
children run at once on this machine's two cores.

A forked child behaves as a separate process would: its own working directory, environment, argv, sys.path,
stdin/stdout/stderr, signal handlers and exit status. Of this project's modules the zygote imports only those
every suite run has imported before it draws its first input: Hypothesis mines the string and number literals
of the local (non-site-packages, non-test) modules in `sys.modules` at each draw as generation constants, so a
child that imports the rest itself, as a fresh process would, draws exactly the same inputs.
tests/test_variants_caught.py checks the equivalence on real runs; set SELFTEST_CHILDREN=process to run every
child as a process of its own instead.

The variant self-tests also load this module as a plugin (`start_early`), after test modules
imported it: PYTEST_DONT_REWRITE tells pytest not to expect to rewrite its few internal asserts.
"""

from __future__ import annotations

import atexit
import inspect
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eloqua_conformance.mock import Request, Response, SegmentService, default_config
from eloqua_conformance.profiles import PROFILES

__all__ = ["AUTH", "BACKGROUND_NICENESS", "FORBIDDEN", "ROOT", "SUBSET", "VARIANTS_PROFILE", "Batch", "Child",
           "Finished", "Recording", "Seen", "child_env", "launch", "run_cli", "run_pytest",
           "run_suite", "side_by_side", "start_early", "start_suite", "store", "wait_for"]  # fmt: skip

ROOT = Path(__file__).resolve().parents[1]
_ADMIN = next(identity for identity in default_config().identities if identity.can_create)
_READER = next(identity for identity in default_config().identities if not identity.can_create)
AUTH = f"basic:{_ADMIN.login}:{_ADMIN.password}"
FORBIDDEN = f"basic:{_READER.login}:{_READER.password}"
# A part of the suite that creates sources and copies and takes well under a second against the mock.
SUBSET = ("eloqua_conformance/suite/test_authn.py", "eloqua_conformance/suite/test_sem.py")
_ID = re.compile(r"/segment/([^/]+)(/copy)?$", re.IGNORECASE)
CHILDREN = os.environ.get("SELFTEST_CHILDREN", "fork" if hasattr(os, "fork") else "process")
BACKGROUND_NICENESS = 10  # a Batch's children: about a tenth of a core against a test's child that wants it all
# The budget of the broken and legitimate variants' runs: the smallest by default, so plain pytest stays quick;
# .ci/run runs them again at the default `ci` budget (SELFTEST_VARIANTS_PROFILE=ci).
VARIANTS_PROFILE = os.environ.get("SELFTEST_VARIANTS_PROFILE", "dev")
if VARIANTS_PROFILE not in PROFILES:
    raise ValueError(f"SELFTEST_VARIANTS_PROFILE (environment): unknown profile {VARIANTS_PROFILE!r}; "
                     f"choose one of {', '.join(PROFILES)}")  # fmt: skip

# Modules a suite run imports (or pytest imports lazily), warmed in the zygote. Never a pytest plugin module or
# a conftest (pytest would warn it cannot rewrite it), and of this project only PROJECT_WARM.
WARM = (
    "pytest", "_pytest.pytester", "pluggy", "iniconfig", "packaging.version",
    "hypothesis", "hypothesis.stateful", "hypothesis.strategies", "hypothesis.extra._patching",
    "schemathesis", "schemathesis.openapi", "schemathesis.checks", "schemathesis.core.failures",
    "schemathesis.core.parameters", "schemathesis.specs.openapi.schemas", "schemathesis.specs.openapi.checks",
    "schemathesis.specs.openapi._hypothesis", "schemathesis.generation.case",
    "httpx", "starlette.applications", "starlette.requests", "starlette.responses", "starlette.routing",
    "uvicorn", "uvicorn.config", "uvicorn.server", "jsonschema", "referencing", "yaml", "json", "html", "shlex",
    "xml.etree.ElementTree", "email.utils", "secrets", "zoneinfo", "unittest.mock", "junitparser",
    "schemathesis.transport.asgi", "schemathesis.python.asgi", "schemathesis.generation.dictionaries",
    "schemathesis.python._constants.orchestrator", "hypothesis.strategies._internal.random", "anyio.from_thread",
    "harfile", "pdb", "code", "_pytest.skipping", "_pytest.unittest", "_pytest.unraisableexception",
)  # fmt: skip
# This project's modules that every suite run has imported once its collection is over (in-process against the
# mock or against a URL alike), so before its first draw (see the module docstring): not the mock (a run against
# a URL does not import it), the plugin module, or the suite's.
PROJECT_WARM = tuple(f"eloqua_conformance.{name}" for name in (
    "activation", "catalogue", "checks", "client", "credentials", "exchange", "failure", "fixtures", "lifecycle",
    "outcomes", "profiles", "resources", "run", "selection", "session", "settings", "strategies", "terminal",
    "verdicts",
))  # fmt: skip


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment without the suite's own variables or PYTEST_ADDOPTS, plus `extra`.

    PYTHONPATH is `extra`'s, then the checkout, then this one's: a child started from any directory runs this
    checkout's package (an editable install may point at another one).
    """
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CONFORMANCE_") and k != "PYTEST_ADDOPTS"}
    extra = dict(extra or {})
    given = [*extra.pop("PYTHONPATH", "").split(os.pathsep), str(ROOT), *clean.get("PYTHONPATH", "").split(os.pathsep)]
    clean["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(entry for entry in given if entry))
    # Hypothesis caches the literals it mines from this project's modules in .hypothesis/constants of the
    # working directory; one shared cache spares a child started in a fresh directory ~1 s of parsing them.
    clean.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(ROOT / ".hypothesis"))
    return {**clean, **extra}


# --- the zygote -------------------------------------------------------------------------------------------
def _zygote(warm: Sequence[str], pycache: str) -> None:  # pragma: no cover - runs in the zygote process
    """Import `warm`, then fork one child per job read from stdin; report each child's pid and exit status.

    The children write and read bytecode in the folder `pycache` (see below).

    A job is one JSON line: {"job", "module", "argv", "cwd", "env", "stdout", "stderr", "nice"}; the child runs
    `python -m MODULE ARGV` in `cwd` with environment `env` at niceness `nice`, its output going to the two files.
    Replies are JSON lines: {"job", "pid"} once forked, {"job", "exit"} once reaped (negative: killed by that
    signal). Stdin closing (the self-test session ended) kills the children still running.
    """
    import contextlib
    import gc
    import importlib
    import json
    import os
    import pathlib
    import select
    import signal
    import sys
    import traceback

    for name in warm:
        try:
            importlib.import_module(name)
        except Exception:
            continue  # a module missing here is imported (or not) by the child itself
    gc.collect()
    gc.freeze()  # the warm heap is shared with every child and never scanned by its collections
    # Where bytecode is not written (PYTHONDONTWRITEBYTECODE=1 on these machines), every child would compile this
    # project's modules from source, and pytest rewrite the suite's, again: about 0.13 s of each child's collection.
    # The first child writes them to the session's folder and the others read them, as they would read the files of
    # a checkout whose bytecode is written. Set after the warm imports, which read site-packages' compiled files.
    sys.pycache_prefix = pycache
    sys.dont_write_bytecode = False

    def reply(message: dict[str, object]) -> None:
        os.write(1, (json.dumps(message) + "\n").encode())

    def child(job: dict[str, Any]) -> None:
        code = 1
        try:
            os.nice(job["nice"])
            for fd, path, flags in ((0, os.devnull, os.O_RDONLY), (1, job["stdout"], os.O_WRONLY | os.O_CREAT),
                                    (2, job["stderr"], os.O_WRONLY | os.O_CREAT)):  # fmt: skip
                opened = os.open(path, flags, 0o600)
                os.dup2(opened, fd)
                os.close(opened)
            for fd in children.values():
                os.close(fd)
            sys.stdin = open(0, encoding=sys.stdin.encoding, closefd=False)  # noqa: SIM115
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.chdir(job["cwd"])
            os.environ.clear()
            os.environ.update(job["env"])
            # sys.path as `python -m` in that directory with that PYTHONPATH would have it.
            extra = [entry for entry in job["env"].get("PYTHONPATH", "").split(os.pathsep) if entry]
            sys.path[:] = [os.getcwd(), *extra, *(entry for entry in base_path if entry not in extra)]
            importlib.invalidate_caches()
            configuration = sys.modules.get("hypothesis.configuration")
            if configuration is not None:  # computed when Hypothesis was imported, from the zygote's directory
                vars(configuration)["__hypothesis_home_directory_default"] = pathlib.Path.cwd() / ".hypothesis"
            sys.argv = [job["module"], *job["argv"]]
            import runpy

            try:
                runpy.run_module(job["module"], run_name="__main__", alter_sys=True)
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
                if stop.code is not None and not isinstance(stop.code, int):
                    print(stop.code, file=sys.stderr)
            except KeyboardInterrupt:
                traceback.print_exc()
                code = -signal.SIGINT
            except BaseException:
                traceback.print_exc()
                code = 1
            import atexit

            atexit._run_exitfuncs()
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            if code < 0:  # as a process killed by that signal would end
                signal.signal(-code, signal.SIG_DFL)
                os.kill(os.getpid(), -code)
            os._exit(code & 0xFF)

    base_path = [entry for entry in sys.path if entry]
    children: dict[int, int] = {}  # pid -> pidfd
    jobs: dict[int, object] = {}  # pid -> job id
    pending = b""
    reply({"ready": os.getpid()})
    while True:
        readable, _, _ = select.select([0, *children.values()], [], [])
        for fd in readable:
            if fd != 0:
                pid = next(pid for pid, pidfd in children.items() if pidfd == fd)
                _, status = os.waitpid(pid, 0)
                os.close(children.pop(pid))
                reply({"job": jobs.pop(pid), "exit": os.waitstatus_to_exitcode(status)})
                continue
            chunk = os.read(0, 65536)
            if not chunk:
                for pid in children:
                    os.kill(pid, signal.SIGKILL)
                return
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                job = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    child(job)
                children[pid] = os.pidfd_open(pid)
                jobs[pid] = job["job"]
                reply({"job": job["job"], "pid": pid})


class _Zygote:
    """The parent's end of the zygote: submits jobs, and a reader thread hands each child its pid and exit."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="selftest-children-"))
        self._log = open(self.directory / "zygote.log", "w+b")  # noqa: SIM115 - kept open for the session
        source = "from __future__ import annotations\nfrom typing import Any\n" + inspect.getsource(_zygote)
        code = f"{source}\n_zygote({[*WARM, *PROJECT_WARM]!r}, {str(self.directory / 'pycache')!r})\n"
        self._process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=child_env(),
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log)  # fmt: skip
        self._lock = threading.Lock()
        self._children: dict[int, Child] = {}
        self._next = 0
        ready = self._process.stdout.readline() if self._process.stdout else b""
        if not ready:
            raise RuntimeError(f"the self-test zygote did not start: {self.log()}")
        self._reader = threading.Thread(target=self._read, name="selftest-zygote", daemon=True)
        self._reader.start()

    def log(self) -> str:
        self._log.flush()
        return (self.directory / "zygote.log").read_text(encoding="utf-8", errors="replace")[-3000:]

    def submit(self, module: str, argv: Sequence[str], cwd: Path, env: dict[str, str], niceness: int = 0) -> Child:
        with self._lock:
            self._next += 1
            number = self._next
            child = Child([sys.executable, "-m", module, *argv], self.directory / f"{number}.out",
                          self.directory / f"{number}.err")  # fmt: skip
            self._children[number] = child
            job = {"job": number, "module": module, "argv": list(argv), "cwd": str(cwd), "env": env,
                   "stdout": str(child.stdout_path), "stderr": str(child.stderr_path), "nice": niceness}  # fmt: skip
            assert self._process.stdin is not None
            self._process.stdin.write((json.dumps(job) + "\n").encode())
            self._process.stdin.flush()
        if not child.forked.wait(30):
            raise RuntimeError(f"the self-test zygote did not fork a child: {self.log()}")
        return child

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            message = json.loads(line)
            with self._lock:
                child = self._children[message["job"]]
                if "exit" in message:
                    del self._children[message["job"]]
            if "pid" in message:
                child.pid = message["pid"]
                child.forked.set()
            else:
                child.returncode = message["exit"]
                child.exited.set()
        with self._lock:  # the zygote is gone: no child will report again
            orphans, self._children = list(self._children.values()), {}
        for child in orphans:
            child.returncode = child.returncode if child.returncode is not None else -signal.SIGKILL
            child.exited.set()
            child.forked.set()

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._reader.join(5)  # it reads the zygote's stdout up to its end, which came with the exit
        if self._process.stdout:
            self._process.stdout.close()
        self._log.close()
        shutil.rmtree(self.directory, ignore_errors=True)


_ZYGOTE: _Zygote | None = None
_ZYGOTE_LOCK = threading.Lock()


def _zygote_process() -> _Zygote:
    global _ZYGOTE
    with _ZYGOTE_LOCK:
        if _ZYGOTE is None:
            _ZYGOTE = _Zygote()
            atexit.register(_ZYGOTE.close)
        return _ZYGOTE


@dataclass(eq=False)
class Child:
    """A forked child, with the part of subprocess.Popen's interface the self-tests use."""

    args: list[str]
    stdout_path: Path
    stderr_path: Path
    pid: int = 0
    returncode: int | None = None
    forked: threading.Event = field(default_factory=threading.Event)
    exited: threading.Event = field(default_factory=threading.Event)

    def poll(self) -> int | None:
        return self.returncode if self.exited.is_set() else None

    def wait(self, timeout: float | None = None) -> int:
        if not self.exited.wait(timeout):
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        assert self.returncode is not None
        return self.returncode

    def communicate(self, timeout: float | None = None) -> tuple[str, str]:
        """Wait for the child to end; its stdout and stderr (the files are then removed)."""
        self.wait(timeout)
        outputs = []
        for path in (self.stdout_path, self.stderr_path):
            outputs.append(path.read_text(encoding="utf-8", errors="replace") if path.exists() else "")
            path.unlink(missing_ok=True)
        return outputs[0], outputs[1]

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


# --- launching children -----------------------------------------------------------------------------------
def launch(module: str, argv: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None,
           children: str | None = None, niceness: int = 0) -> Child | subprocess.Popen[str]:  # fmt: skip
    """Start `python -m MODULE ARGV` in `cwd` with child_env(env) at `niceness`: forked (default) or as a process
    of its own."""
    environment = child_env(env)
    if (children or CHILDREN) == "process" or _own_configuration(module, argv):
        command = [sys.executable, "-m", module, *argv]
        process = subprocess.Popen(command, cwd=cwd, env=environment, text=True, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        if niceness:  # before the interpreter has started a thread of its own: they would keep niceness 0
            os.setpriority(os.PRIO_PROCESS, process.pid, niceness)
        return process
    return _zygote_process().submit(module, argv, cwd, environment, niceness)


def _own_configuration(module: str, argv: Sequence[str]) -> bool:
    """A pytest child given its own configuration file runs as a process of its own, unless its command line
    turns plugin autoloading off.

    Such a file may leave autoloading on; pytest then marks every installed plugin's package for assertion
    rewriting and warns (an error under `filterwarnings = error`) about those the zygote imported.
    """
    own_file = any(arg.startswith(("--config-file", "-c")) for arg in argv)
    return module == "pytest" and own_file and "--disable-plugin-autoload" not in argv


@dataclass
class Finished:
    """A finished child run: exit status, output, wall time."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def tail(self) -> str:
        return f"exit {self.returncode} after {self.seconds:.1f} s\n{self.stdout[-3000:]}\n{self.stderr[-2000:]}"


def _finish(child: Child | subprocess.Popen[str], started: float, timeout: float) -> Finished:
    """Wait for `child` like subprocess.run does: on a timeout, kill it and raise TimeoutExpired with its output."""
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        stdout, stderr = child.communicate()
        raise subprocess.TimeoutExpired(child.args, timeout, stdout, stderr) from None
    assert child.returncode is not None
    return Finished(child.returncode, stdout, stderr, time.monotonic() - started)


def run_pytest(args: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 120,
               children: str | None = None, niceness: int = 0) -> Finished:  # fmt: skip
    """`python -m pytest ARGS` in `cwd` (the checkout by default), as given, and wait for it."""
    started = time.monotonic()
    return _finish(launch("pytest", args, cwd, env, children, niceness), started, timeout)


def _suite_args(args: tuple[str, ...], profile: str | None = "dev") -> list[str]:
    chosen = [f"--hypothesis-profile={profile}"] if profile else []
    return ["-q", "-p", "no:cacheprovider", *chosen, *args]


def run_suite(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120, profile: str | None = "dev"
) -> Finished:
    """Run the suite in a child pytest from the project root (CONFORMANCE_* cleared) and wait for it.

    `profile` is passed as --hypothesis-profile (None: not passed, so PYTEST_ADDOPTS or addopts may set it).
    """
    return run_pytest(_suite_args(args, profile), env=env, timeout=timeout)


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> Finished:
    """Run `python -m eloqua_conformance ARGS` (the console script, dev profile) from `cwd` and wait for it."""
    started = time.monotonic()
    # After a subcommand's name (replay), before everything else: the profile goes to the run either way.
    at = 1 if args[:1] == ("replay",) else 0
    profiled = [*args[:at], "--hypothesis-profile=dev", *args[at:]]
    return _finish(launch("eloqua_conformance", profiled, cwd, env), started, timeout)


def start_suite(*args: str, env: dict[str, str] | None = None) -> Child | subprocess.Popen[str]:
    """Start the suite in a child pytest; read its output with communicate()."""
    return launch("pytest", _suite_args(args), ROOT, env)


# --- helpers of the live self-tests -----------------------------------------------------------------------
def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll `condition` until true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.005)


def store(service: SegmentService) -> dict[str, object]:
    """Every stored segment, by id: what "the store is as it was" compares."""
    return {segment_id: service.get(segment_id) for segment_id in service.segment_ids()}


@dataclass(frozen=True)
class Seen:
    """One request a server answered: when it arrived (monotonic), what it was, what it got."""

    at: float
    method: str
    path: str
    status: int
    body: bytes = b""

    @property
    def segment_id(self) -> str | None:
        """The id in the path of a segment request (retrieve, delete, copy), else None."""
        found = _ID.search(self.path)
        if not found:
            return None
        # The mock reads 0001 as segment 1; so must anything that checks which segment a request touched.
        return str(int(found.group(1))) if found.group(1).isdigit() else found.group(1)

    @property
    def is_copy(self) -> bool:
        return self.method == "POST" and self.path.lower().endswith("/copy")


@dataclass
class _Log:
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: list[Seen] = field(default_factory=list)


class Recording(SegmentService):
    """The reference mock, keeping every request it answered (a test reads `seen`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._log = _Log()

    def handle(self, request: Request) -> Response:
        arrived = time.monotonic()
        response = self.answer(request)
        with self._log.lock:
            self._log.seen.append(Seen(arrived, request.method, request.path, response.status, response.body))
        return response

    def answer(self, request: Request) -> Response:
        """The response; a variant overrides this, so the log holds what the client really got."""
        return super().handle(request)

    @property
    def seen(self) -> list[Seen]:
        with self._log.lock:
            return list(self._log.seen)

    def copies_created(self) -> int:
        return sum(1 for seen in self.seen if seen.is_copy and seen.status == 201)


class Batch:
    """Independent child runs started before the tests that read them, in the background of the session.

    Every batch of the session joins one queue, served in the order the batches started by one thread per core.
    Their children run at BACKGROUND_NICENESS: the tests running meanwhile (timing ones among them) keep the cores
    whenever they need them, and the batches take whatever those leave idle.
    """

    def __init__(self, jobs: dict[Any, Callable[[], Any]]) -> None:
        self._jobs = jobs
        self.results: dict[Any, Future[Any]] = {key: Future() for key in jobs}
        self.started: float | None = None

    def start(self) -> Batch:
        if self.started is None:
            self.started = time.monotonic()
            _BACKGROUND.submit([(self.results[key], job) for key, job in self._jobs.items()])
        return self

    def finish(self) -> dict[Any, Any]:
        """Every job's result, once all are done (started now if not before)."""
        self.start()
        return {key: future.result() for key, future in self.results.items()}


class _Queue:
    """The session's one queue of background jobs and its worker threads."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._pending: list[tuple[Future[Any], Callable[[], Any]]] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def submit(self, jobs: list[tuple[Future[Any], Callable[[], Any]]]) -> None:
        with self._lock:
            self._pending += jobs
            while len(self._threads) < self._workers:
                thread = threading.Thread(target=self._work, name="selftest-batch", daemon=True)
                self._threads.append(thread)
                thread.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._threads.remove(threading.current_thread())
                    return
                future, job = self._pending.pop(0)
            try:
                future.set_result(job())
            except BaseException as error:  # re-raised by result() in the test that reads it
                future.set_exception(error)


_BACKGROUND = _Queue(workers=min(2, os.cpu_count() or 1))  # each child is CPU-bound: more than the cores only queues


_AFTER_COLLECTION: list[Callable[[Any], None]] = []
Planned = tuple[Batch, Any]  # a Batch and what holds its reports (a TemporaryDirectory, left by the fixture)


def start_early(plan: Callable[[Any], Planned | None]) -> Callable[[Any], Planned]:
    """Start a test module's Batch once collection is over: `plan(session)` makes it (None: no selected test needs
    it). Returns what the module's fixture calls with the session to take that batch, made then if not before.

    The calling test module names this module in `pytest_plugins`, which makes `pytest_collection_finish`
    below a hook of the session.
    """
    started: list[Planned] = []

    def start(session: Any) -> None:
        if (planned := plan(session)) is not None:
            planned[0].start()
            started.append(planned)

    def take(session: Any) -> Planned:
        planned = started.pop() if started else plan(session)
        assert planned is not None, "a fixture asked for runs no selected test needs"
        return planned

    _AFTER_COLLECTION.append(start)
    return take


def pytest_collection_finish(session: Any) -> None:
    if not session.config.option.collectonly:
        for start in _AFTER_COLLECTION:
            start(session)


@contextmanager
def side_by_side(jobs: dict[str, Callable[[], object]], workers: int = 2) -> Iterator[dict[str, Future[Any]]]:
    """Start independent child runs at once; a test reads its own with `.result()` (which re-raises).

    Each child is CPU-bound; the machine has two cores.
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield {name: pool.submit(job) for name, job in jobs.items()}
