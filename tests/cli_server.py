"""A warm start for the suite's `roleplay` subprocesses (run_cli in tests/conftest.py).

Each `python -m roleplay ...` spends most of its time importing: Python, pydantic and the program's
own models take about 0.3 s of CPU before a command does anything, and the suite starts a few hundred
of them. This server imports the command line once, then forks a child per command. The child is a
separate process that sets up what a fresh start would have (its own argv, environment, working
folder, umask and standard streams) and then runs `roleplay/__main__.py` exactly as `python -m
roleplay` does, ending with the interpreter's normal shutdown (atexit, flushing, joining threads).

What a fork cannot give the child, and how the client (run_cli) deals with it:
- Whatever the interpreter or the program read from the environment while starting and importing. The
  server records every variable read during its imports and sends the list first; a command whose
  environment differs from the server's in one of those, or in any PYTHON*, LC_* or LANG variable, runs
  in a fresh interpreter instead.
- Modules imported here are not imported again, so tests about what a command imports start their own
  interpreter (tests/test_architecture.py, tests/test_startup_cost.py and others), as do tests that need a
  terminal or resource limits.
- Nothing is imported here that starts a thread (a fork copies only the forking thread): cv2, av and
  the UI are imported by the child that needs them. The server checks that it has one thread.

Linux only; run_cli elsewhere starts a fresh interpreter every time. The server ends when the socket
to its test worker closes.

Protocol (one SOCK_SEQPACKET socket): server -> {"import_time_env": [...]} (or {"error": why}); then per command, client ->
{"argv", "env", "cwd", "umask"} with three file descriptors (stdin, stdout, stderr); server ->
{"pid": N}, and when the child has ended, {"returncode": N}.
"""

from __future__ import annotations

import json
import os
import socket
import sys

PREIMPORTS = (
    "roleplay.cli",
    "roleplay.cli.parser",
    "roleplay.cli.play",
    "roleplay.cli.sessions",
    "roleplay.cli.scenarios",
    "roleplay.cli.course",
    "roleplay.cli.secrets",
    "roleplay.cli.session_arg",
    "roleplay.cli.checklist",
    "roleplay.cli.app",
    "roleplay.core.command_line",
    "roleplay.core.card_sheet",
    "roleplay.core.checks",
    "roleplay.core.course",
    "roleplay.core.graph",
    "roleplay.core.library",
    "roleplay.core.library_cache",
    "roleplay.core.loader",
    "roleplay.core.model_errors",
    "roleplay.core.names",
    "roleplay.core.participants",
    "roleplay.core.pre_session",
    "roleplay.core.safe_write",
    "roleplay.core.sealing",
    "roleplay.core.validate_cache",
    "roleplay.core.yamlsource",
    "roleplay.pages.report",
    "roleplay.pages.trainer_script",
    "platformdirs",
)
MAX_MESSAGE = 1 << 20


def _import_recording_environment(modules: list[str]) -> list[str]:
    """Import `modules`; the names of the environment variables read meanwhile."""
    read: set[str] = set()
    real = os.environ

    class Spy(type(real)):  # type: ignore[misc]
        def __getitem__(self, key):
            read.add(key)
            return super().__getitem__(key)

        def __contains__(self, key):
            read.add(key)
            return super().__contains__(key)

    os.environ = Spy(real._data, real.encodekey, real.decodekey, real.encodevalue, real.decodevalue)  # noqa: B003 - replaced, not cleared: the same variables, watched
    try:
        import importlib

        for name in modules:
            importlib.import_module(name)
    finally:
        os.environ = real  # noqa: B003
    return sorted(read)


def _threads() -> int:
    """This process's threads, native ones included where /proc shows them."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        import threading

        return threading.active_count()


def _send(sock: socket.socket, message: dict) -> None:
    sock.send(json.dumps(message).encode())


def _serve(sock: socket.socket) -> dict | None:
    """Fork a child per request; returns the request in the child, None when the client has gone."""
    while True:
        try:
            data, fds, _flags, _address = socket.recv_fds(sock, MAX_MESSAGE, 3)
        except (ConnectionError, OSError):
            return None
        if not data:
            return None
        request = json.loads(data)
        pid = os.fork()
        if pid == 0:
            sock.close()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            for fd in fds:
                if fd > 2:
                    os.close(fd)
            return request
        for fd in fds:
            os.close(fd)
        try:
            _send(sock, {"pid": pid})
        except OSError:
            os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
        try:
            _send(sock, {"returncode": os.waitstatus_to_exitcode(status)})
        except OSError:
            return None


def _become(request: dict) -> None:
    """In the child: the state a fresh `python -m roleplay ARGV` would start with."""
    os.chdir(request["cwd"])
    os.umask(request["umask"])
    os.environ.clear()
    os.environ.update(request["env"])
    import roleplay

    main = os.path.join(os.path.dirname(roleplay.__file__), "__main__.py")
    sys.argv = [main, *request["argv"]]
    sys.path[0] = os.getcwd()  # `python -m` puts the working folder first


def main() -> None:
    sock = socket.socket(fileno=int(sys.argv[1]))
    try:
        import_time_env = _import_recording_environment(sys.argv[2:])
        if _threads() != 1:
            raise RuntimeError(f"{_threads()} threads after importing {' '.join(sys.argv[2:])}; a fork keeps only one")
    except Exception as exc:  # noqa: BLE001 - the client says why and runs its commands afresh
        _send(sock, {"error": f"{type(exc).__name__}: {exc}"})
        return
    import gc

    gc.collect()
    gc.freeze()  # what the imports made lives as long as each child: its collector need not walk it
    _send(sock, {"import_time_env": import_time_env})
    request = _serve(sock)
    if request is None:
        return
    _become(request)
    import runpy

    runpy.run_module("roleplay", run_name="__main__", alter_sys=True)


class Client:
    """The test process's end: start the server, run commands through it (run_cli in tests/conftest.py)."""

    def __init__(self, sock: socket.socket, process, env: dict[str, str], import_time_env: list[str]) -> None:
        import threading

        self.sock = sock
        self.process = process
        self.env = env
        self.import_time_env = set(import_time_env)
        self.lock = threading.Lock()  # one command at a time; a second one meanwhile starts afresh

    @classmethod
    def start(cls, env: dict[str, str], cwd, preimports: tuple[str, ...] = PREIMPORTS) -> Client:
        import atexit
        import subprocess

        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        process = subprocess.Popen([sys.executable, __file__, str(theirs.fileno()), *preimports], pass_fds=[theirs.fileno()],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, cwd=cwd, env=env,
                                   start_new_session=True)  # no controlling terminal, on a laptop as in CI
        theirs.close()
        atexit.register(_stop, ours, process)
        hello = ours.recv(MAX_MESSAGE)
        if not hello:
            raise RuntimeError(f"tests/cli_server.py did not start (exit code {process.wait()}; its error is above)")
        answer = json.loads(hello)
        if "error" in answer:
            raise RuntimeError(f"tests/cli_server.py: {answer['error']}")
        return cls(ours, process, dict(env), answer["import_time_env"])

    def serves(self, env: dict[str, str]) -> bool:
        """Whether a fork of the server starts as a fresh interpreter with `env` would."""
        startup = {k for k in (*env, *self.env) if k.startswith(("PYTHON", "LC_", "LANG"))}
        return all(env.get(k) == self.env.get(k) for k in startup | self.import_time_env)

    def run(self, argv: list[str], args: list[str], stdin: str | None, cwd: str, env: dict[str, str], timeout: float):
        """As `subprocess.run(argv, input=stdin, capture_output=True, text=True, cwd, env, timeout)`."""
        import locale
        import selectors
        import subprocess
        import time

        umask = os.umask(0o077)
        os.umask(umask)
        stdin_r, stdin_w = os.pipe() if stdin is not None else (None, None)
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        request = {"argv": args, "env": env, "cwd": cwd, "umask": umask}
        socket.send_fds(self.sock, [json.dumps(request).encode()], [0 if stdin_r is None else stdin_r, out_w, err_w])
        for fd in (stdin_r, out_w, err_w):
            if fd is not None:
                os.close(fd)
        pid = self._receive()["pid"]
        encoding = locale.getpreferredencoding(False)
        pending = (stdin or "").encode(encoding)
        output: dict[int, list[bytes]] = {out_r: [], err_r: []}
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(out_r, selectors.EVENT_READ)
            selector.register(err_r, selectors.EVENT_READ)
            if stdin_w is not None:
                if pending:
                    selector.register(stdin_w, selectors.EVENT_WRITE)
                else:
                    os.close(stdin_w)
            timed_out = False
            while selector.get_map():
                left = deadline - time.monotonic()
                if left <= 0:
                    timed_out = True
                    break
                for key, _ in selector.select(left):
                    if key.fd == stdin_w:
                        try:
                            pending = pending[os.write(stdin_w, pending[:65536]):]
                        except BrokenPipeError:  # the command stopped reading: as subprocess.run
                            pending = b""
                        if not pending:
                            selector.unregister(stdin_w)
                            os.close(stdin_w)
                    else:
                        chunk = os.read(key.fd, 65536)
                        if chunk:
                            output[key.fd].append(chunk)
                        else:
                            selector.unregister(key.fd)
                            os.close(key.fd)
            for key in list(selector.get_map().values()):
                os.close(key.fd)
        if timed_out:
            os.kill(pid, 9)  # not reaped yet (the server waits for it): the pid is still this child's
        returncode = self._receive()["returncode"]
        stdout, stderr = (_text(b"".join(output[fd]), encoding) for fd in (out_r, err_r))
        if timed_out:
            raise subprocess.TimeoutExpired(argv, timeout, stdout, stderr)
        return subprocess.CompletedProcess(argv, returncode, stdout, stderr)

    def _receive(self) -> dict:
        data = self.sock.recv(MAX_MESSAGE)
        if not data:
            raise RuntimeError(f"tests/cli_server.py ended (exit code {self.process.poll()})")
        return json.loads(data)


def _stop(sock: socket.socket, process) -> None:
    """At the test process's exit: the server sees its socket close, ends, and is waited for."""
    sock.close()
    try:
        process.wait(timeout=30)
    except Exception:  # noqa: BLE001 - a stuck server must not hang the run's end
        process.kill()


def _text(data: bytes, encoding: str) -> str:
    """As subprocess.run(text=True) decodes: the locale's encoding, universal newlines."""
    return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")


if __name__ == "__main__":
    main()
