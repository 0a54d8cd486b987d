from __future__ import annotations

import atexit
import gc
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# The program's words in tests are English, whatever the developer's own default language is
# (tests that want another language set it themselves). Before any roleplay import: it is read then.
os.environ.pop("ROLEPLAY_LANGUAGE", None)

from roleplay.core.sealing import TEST_KEY_CACHE_ENV, TEST_KEY_CACHE_MARK  # noqa: E402

# Temporary files live in memory where the system has a tmpfs (/dev/shm): the session log syncs every
# event to disk (fsync), which on a disk made the suite wait seconds for nothing a test checks. Workers
# and subprocesses inherit TMPDIR; a TMPDIR set by the caller is kept.
if "PYTEST_XDIST_WORKER" not in os.environ and not os.environ.get("TMPDIR"):
    _shm = Path("/dev/shm")
    if _shm.is_dir() and os.access(_shm, os.W_OK | os.X_OK) and shutil.disk_usage(_shm).free > 2**30:
        os.environ["TMPDIR"] = str(_shm)
        tempfile.tempdir = None  # read TMPDIR again

# Tests never read or write the user's own cache of scenario summaries.
CACHE_HOME = tempfile.mkdtemp(prefix="roleplay-test-cache-")
os.environ["XDG_CACHE_HOME"] = CACHE_HOME
atexit.register(shutil.rmtree, CACHE_HOME, ignore_errors=True)

# One passphrase for every sealed session and recording of the suite whose test is not about the
# passphrase itself: with the shared key cache below, that is one real scrypt (about a second) per
# kind of key for the whole run instead of one per test file.
PASSPHRASE = "correct horse battery staple"

# Made once per run, by the main process (xdist workers and every `roleplay` subprocess inherit them):
if "PYTEST_XDIST_WORKER" not in os.environ:
    # Sealed sessions of one run share their passphrase-wrapped keys: each wrap or unwrap is about a
    # second of scrypt. Only this private, marked folder turns that on; what it does and what it
    # never does (a wrong passphrase always meets the real scrypt): roleplay/core/sealing.py, "Test
    # suite only"; tests/test_key_cache.py checks that without it every key costs the full scrypt.
    _keys = tempfile.mkdtemp(prefix="roleplay-test-keys-")  # 0700
    Path(_keys, TEST_KEY_CACHE_MARK).touch()
    os.environ[TEST_KEY_CACHE_ENV] = _keys
    atexit.register(shutil.rmtree, _keys, ignore_errors=True)
    # The xdist workers and the many `python -m roleplay` subprocesses compile our Python once, not once
    # each: with PYTHONDONTWRITEBYTECODE set (as on the CI machine) every process would compile the whole
    # program again (about 0.2 s of CPU per subprocess, 5 s per worker for the rewritten tests). So the
    # run writes bytecode in the usual __pycache__ folders (ignored by git and by the wheel). Not a
    # PYTHONPYCACHEPREFIX: a prefix ignores the bytecode pip and Python installed for the standard library
    # and the dependencies, and a fresh one cost each worker about 8 s of CPU to compile them again.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False

@pytest.fixture(autouse=True)
def _process_language_is_english():
    """Each test starts in English, and a test that ran a session in another language (play or report in
    this process switch the process's language) leaves nothing behind for the next one in its worker."""
    from roleplay.core.i18n import set_language

    set_language(None)
    yield
    set_language(None)


ROOT = Path(__file__).resolve().parent.parent


def plain_parts(log: bytes) -> bytes:
    """A sealed log without its ciphertext: a short name can turn up by chance in random base64 (a
    three-letter one in about every fortieth log of a few kilobytes), never in what is left."""
    import re

    return re.sub(rb'"sealed":"[A-Za-z0-9+/=]*"', b'"sealed":""', log)
DATA = Path(__file__).resolve().parent / "data"
SCENARIOS = ROOT / "scenarios"


@pytest.fixture
def branching():
    from roleplay.core.loader import load_scenario

    result = load_scenario(DATA / "valid" / "branching.yaml")
    assert result.ok, result.problems
    return result.scenario


@pytest.fixture
def clock():
    from roleplay.core.clock import FakeClock

    return FakeClock()


SHARED_SCOPES = ("module", "class", "package")


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (make test): two workers more than the cores this process may use. Much of the
    suite's time is spent waiting, not computing (real-time recordings, subprocesses, Chromium, the UI
    tests' idle checks), and the extra workers compute meanwhile. On 2 cores, 3 workers finished 10-15%
    sooner than 2, and 4 about 10% sooner than 3 (181 s against 202 s, run one after the other); 5
    were slower again (189 s), and later no faster (4 / 5 / 4 / 5 alternated: 124, 135, 133, 124 s)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores + 2


def pytest_collection_finish(session):
    """Everything imported for the run lives until its end: keep the garbage collector from walking
    it again and again (gc.freeze), and collect less often (the UI tests make many short-lived
    objects). Together this halves the time spent collecting garbage, about 4% of a UI test."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the xdist_group marks set here
def pytest_collection_modifyitems(config, items):
    """Mark tests by folder (tests/ui -> ui, tests/video -> video; `slow` is set by decorator), and
    arrange them for parallel runs (`--dist loadgroup`, set in pyproject.toml):

    - the tests of a module that use a module- or class-scoped fixture (a recording made once, say)
      form one xdist group, so that fixture is built on one worker only, not once per worker;
    - in a worker, slow tests are handed out first, then ui and video ones, so that the run does
      not end waiting for a long test that started last (order within each kind is kept).
    """
    folders = {ROOT / "tests" / "ui": pytest.mark.ui, ROOT / "tests" / "video": pytest.mark.video}
    for item in items:
        path = Path(str(item.path))
        for folder, mark in folders.items():
            if path.is_relative_to(folder):
                item.add_marker(mark)
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is not None and any(
            defs and defs[-1].scope in SHARED_SCOPES for defs in fixtures.name2fixturedefs.values()
        ):
            item.add_marker(pytest.mark.xdist_group(path.stem))
    if hasattr(config, "workerinput"):  # an xdist worker: every worker sorts the same way
        def weight(item) -> int:
            if item.get_closest_marker("slow"):
                return 0
            return 1 if item.get_closest_marker("ui") or item.get_closest_marker("video") else 2

        items.sort(key=weight)


def run_cli(*args: str, stdin: str | None = None, cwd: Path | None = None, env: dict | None = None,
            timeout: float = 120, fresh: bool = False) -> subprocess.CompletedProcess:
    """`python -m roleplay ARGS` in a subprocess, as a user would run it, with this process's environment
    changed by `env` (a variable set to None is removed), and without a controlling terminal (a command
    that would ask on /dev/tty says it cannot, on a laptop as in CI).

    On Linux the subprocess is forked from a server that has already imported the command line
    (tests/cli_server.py: about 0.3 s of CPU saved per command, a minute of the suite's CPU). A command
    whose environment changes what the program reads while starting, or one called while another runs,
    gets a fresh interpreter, as does every command with `fresh=True`, or every command of a run with
    $RUN_CLI_FRESH set (to rule the server out when a command's test fails).
    """
    full_env = {k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None}  # bytecode is written: see above
    argv = [sys.executable, "-m", "roleplay", *args]
    server = None if fresh or os.environ.get("RUN_CLI_FRESH") else _warm_server(full_env)
    if server is not None:
        try:
            return server.run(argv, list(args), stdin, str(cwd or ROOT), full_env, timeout=timeout)
        finally:
            server.lock.release()
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, cwd=cwd or ROOT, env=full_env, timeout=timeout,
                          start_new_session=True)  # no controlling terminal, as the server's children


def whole_environment(env: dict) -> dict:
    """run_cli's `env` for a command whose environment is exactly `env` (every other variable removed)."""
    return {**dict.fromkeys(os.environ), **env}


_WORKER_ENV = dict(os.environ)  # the environment this process started its tests with: the server's
_servers: list = []  # this process's one server, once started (an empty list: not yet; [None]: none here)


def _warm_server(full_env: dict):
    """This process's server, locked for one command; None when this command needs a fresh interpreter."""
    from tests.cli_server import Client

    if not _servers:
        server = None
        if sys.platform == "linux":
            try:
                server = Client.start(_WORKER_ENV, cwd=ROOT)
            except (OSError, RuntimeError) as exc:  # slower, not wrong: every command starts afresh
                import warnings

                warnings.warn(f"run_cli: no warm start in this worker, every command starts a fresh interpreter: {exc}",
                              RuntimeWarning, stacklevel=2)
        _servers.append(server)
    server = _servers[0]
    if server is None or not server.serves(full_env) or not server.lock.acquire(blocking=False):
        return None
    return server


def pytest_terminal_summary(terminalreporter):
    """Say plainly when the room's browser tests did not run (no Chromium here), and where their screenshots are."""
    from tests.room.browser.support import NO_PLAYWRIGHT, SKIP_REASON, artifacts_dir

    said = set()
    ran = False
    for report in terminalreporter.stats.get("skipped", []):
        text = str(getattr(report, "longrepr", ""))
        for reason in (SKIP_REASON, NO_PLAYWRIGHT):
            if reason in text:
                said.add(reason)
    for kind in ("passed", "failed"):
        ran = ran or any("tests/room/browser/" in getattr(r, "nodeid", "") for r in terminalreporter.stats.get(kind, []))
    for reason in sorted(said):
        terminalreporter.write_line(reason, yellow=True, bold=True)
    if ran:
        terminalreporter.write_line(f"room screenshots (375x667): {artifacts_dir()}")
