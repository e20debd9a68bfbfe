"""Real `hoso` processes without paying Python's start-up each time: `run(args)` is
``subprocess.run([sys.executable, "-m", "hoso", *args], ...)``, answered by a process forked from
one that has already imported hoso's and its libraries' modules (a "zygote", one per pytest
worker, started on first use).

What the test sees is a process of its own: its own pid, working directory, environment, stdin,
stdout and stderr (pipes, as with subprocess), ``python -m hoso``'s ``__main__`` run by runpy, the
interpreter's own exit (atexit, flushed streams, a traceback and exit 1 on an uncaught error),
and its exit status as the kernel reports it (a signal as a negative code). What it does not
redo is the interpreter's start and the imports every hoso command makes (about 0.3 s of CPU a
process, most of a short command's cost), nor compiling the project's procedure files (about
0.1 s more): hoso keeps a compiled procedure per process by the bytes it came from, so a child
whose repository holds the same files finds them compiled, as a second command in one process
would; a file that differs in a byte is compiled by the child. Modules a command imports beyond
those are imported by the child, as in a fresh process.

Where a fresh interpreter is the point (what a command imports, a terminal, settings read at
start-up such as PYTHON* or the locale variables), tests use subprocess directly; `run` itself
falls back to a fresh interpreter when the environment asked for differs from the zygote's in a
variable the interpreter reads at start. ``HOSO_TEST_FRESH=1 make test`` runs every one of them as
a fresh interpreter (to compare, or to rule the zygote out).

Protocol: the test's side sends the request (argv, cwd, environment) and four descriptors (stdin's
read end, stdout's and stderr's write ends, a status pipe's write end) on a Unix socket. The
zygote forks a waiter and goes back to listening; the waiter forks the child, writes the child's
pid to the status pipe, waits for it and writes its wait status; the zygote reaps its waiters, so
the children's CPU time is counted (`python -m tests.load_runs` reports it).
"""

from __future__ import annotations

import atexit
import json
import locale
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

# Imported once in the zygote: what `python -m hoso` imports for any command, and the libraries
# the record-checking commands load. Nothing here reads the environment or the working directory.
PRELOAD = ("hoso.cli", "hoso.repository", "hoso.checks", "hoso.reporters", "hoso.approval", "pydantic", "yaml")
# Read by the interpreter when it starts: a request that changes one gets a fresh interpreter.
STARTUP_VARS = ("PYTHON", "LC_", "LANG")  # (LANG covers LANGUAGE)


# ----------------------------------------------------------------------------- the zygote's side


def _recv_request(sock: socket.socket) -> tuple[dict[str, Any], list[int]] | None:
    head = b""
    while len(head) < 4:
        part = sock.recv(4 - len(head))
        if not part:
            return None
        head += part
    (size,) = struct.unpack("!I", head)
    msg, fds, _, _ = socket.recv_fds(sock, size, 4)
    while len(msg) < size:
        more = sock.recv(size - len(msg))
        if not more:
            return None
        msg += more
    return json.loads(msg), fds


def _child(request: dict[str, Any], fds: list[int], sock: socket.socket) -> NoReturn:
    """In the forked child: become the requested `python -m hoso` and run it. Never returns: it
    raises SystemExit (or any error) up to the interpreter, which ends the process as a real run
    ends."""
    import runpy

    sock.close()
    stdin, stdout, stderr, status = fds
    os.close(status)
    for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
        os.dup2(fd, target)
        os.close(fd)
    sys.path[:] = [p for p in sys.path if p != _ROOT]  # the zygote's own start needed the project root
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["-m", *request["argv"]]
    runpy.run_module("hoso", run_name="__main__", alter_sys=True)
    sys.exit(0)


def _reap(block: bool) -> None:
    """Wait for the waiters that have ended (all of them when ``block``)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _warm() -> None:
    """Compile the project's procedures as any hoso command would, every event's model and the
    working-day calendar of the years the tests' records span: kept in this process by the bytes
    they came from (hoso.repository), a child whose repository holds the same procedure files
    finds them compiled, as a second command in one process does. Files that differ in a byte
    are compiled by the child itself; HOSO_NO_PROCEDURE_CACHE=1 (in the zygote's environment or
    the request's) compiles everything afresh."""
    if os.environ.get("HOSO_NO_PROCEDURE_CACHE"):
        return
    import datetime as dt
    from pathlib import Path

    from hoso.repository import load_procedures
    from hoso.source import WorkTree

    procedures, _ = load_procedures(WorkTree(Path(_ROOT)))
    for compiled in procedures.values():
        compiled.history_adapter  # noqa: B018 - builds every event's model
        for year in range(2019, 2029):
            compiled.calendar.add_working_days(dt.date(year, 1, 1), 1)


def serve(sock: socket.socket) -> None:
    for name in PRELOAD:
        __import__(name)
    from hoso.calendar import _holidays

    _holidays()  # the holidays package, as hoso imports it
    _warm()
    sock.sendall(b"R")  # ready
    while True:
        got = _recv_request(sock)
        _reap(block=got is None)  # (reaped, a waiter's CPU and its child's count as this process's children's)
        if got is None:
            return
        request, fds = got
        if os.fork() == 0:  # the waiter
            pid = os.fork()
            if pid == 0:
                _child(request, fds, sock)  # ends the process (raises to the interpreter)
            status = fds[3]
            for fd in fds[:3]:
                os.close(fd)
            os.write(status, struct.pack("!i", pid))
            _, wait_status = os.waitpid(pid, 0)
            os.write(status, struct.pack("!i", os.waitstatus_to_exitcode(wait_status)))
            os._exit(0)
        for fd in fds:
            os.close(fd)


# ----------------------------------------------------------------------------- the test's side


class _Zygote:
    def __init__(self) -> None:
        parent, child = socket.socketpair()
        self.env = dict(os.environ)
        self.proc = subprocess.Popen([sys.executable, "-c", "import sys, socket; from tests.hoso_proc import serve; "
                                      f"serve(socket.socket(fileno={child.fileno()}))"],
                                     pass_fds=[child.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     cwd=_ROOT,
                                     env={**os.environ, "PYTHONPATH": _ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")})
        child.close()
        self.sock = parent
        if self.sock.recv(1) != b"R":
            raise RuntimeError("the hoso zygote did not start")
        self.lock = threading.Lock()

    def close(self) -> None:
        self.sock.close()
        self.proc.wait()


_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_zygote: _Zygote | None = None
_zygote_pid = 0


def _get() -> _Zygote:
    global _zygote, _zygote_pid
    if _zygote is None or _zygote_pid != os.getpid():
        _zygote, _zygote_pid = _Zygote(), os.getpid()
        atexit.register(_zygote.close)
    return _zygote


def _startup_differs(env: Mapping[str, str], zygote_env: Mapping[str, str]) -> bool:
    keys = {k for k in (*env, *zygote_env) if k.startswith(STARTUP_VARS)}
    return any(env.get(k) != zygote_env.get(k) for k in keys)


def _read_all(fd: int, into: list[bytes]) -> None:
    with os.fdopen(fd, "rb") as f:
        into.append(f.read())


def run(args: Sequence[str], *, cwd: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None,
        input: str | bytes | None = None, capture_output: bool = True, text: bool = False,
        timeout: float | None = None, check: bool = False) -> subprocess.CompletedProcess[Any]:
    """``subprocess.run([sys.executable, "-m", "hoso", *args], capture_output=True, ...)``, the
    process forked from this worker's zygote. Its stdin is ``input`` (or empty)."""
    assert capture_output, "hoso_proc.run always captures stdout and stderr"
    env = dict(os.environ if env is None else env)
    argv = [str(a) for a in args]
    zygote = None if os.environ.get("HOSO_TEST_FRESH") else _get()
    if zygote is None or _startup_differs(env, zygote.env):
        return subprocess.run([sys.executable, "-m", "hoso", *argv], cwd=cwd, env=env, input=input,
                              capture_output=True, text=text, timeout=timeout, check=check)
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    st_r, st_w = os.pipe()
    msg = json.dumps({"argv": argv, "cwd": os.fspath(cwd) if cwd is not None else os.getcwd(), "env": env}).encode()
    with zygote.lock:
        zygote.sock.sendall(struct.pack("!I", len(msg)))
        socket.send_fds(zygote.sock, [msg], [in_r, out_w, err_w, st_w])
    for fd in (in_r, out_w, err_w, st_w):
        os.close(fd)
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [threading.Thread(target=_read_all, args=(out_r, out)), threading.Thread(target=_read_all, args=(err_r, err))]
    for t in readers:
        t.start()
    data = input.encode() if isinstance(input, str) else (input or b"")

    def feed() -> None:
        try:
            _write_all(in_w, data)
        except BrokenPipeError:
            pass
        finally:
            os.close(in_w)

    feeder = threading.Thread(target=feed)
    feeder.start()
    with os.fdopen(st_r, "rb") as status_pipe:
        (pid,) = struct.unpack("!i", _exactly(status_pipe, 4))
        timer = threading.Timer(timeout, os.kill, (pid, signal.SIGKILL)) if timeout else None
        if timer:
            timer.start()
        try:
            raw = _exactly(status_pipe, 4)
        finally:
            if timer:
                timer.cancel()
    for t in (*readers, feeder):
        t.join()
    (code,) = struct.unpack("!i", raw)
    stdout, stderr = out[0], err[0]
    full = [sys.executable, "-m", "hoso", *argv]
    if timeout and code == -signal.SIGKILL:
        raise subprocess.TimeoutExpired(full, timeout, stdout, stderr)
    result: subprocess.CompletedProcess[Any] = subprocess.CompletedProcess(
        full, code, _text(stdout) if text else stdout, _text(stderr) if text else stderr)
    if check:
        result.check_returncode()
    return result


def _text(data: bytes) -> str:
    """As subprocess's text mode reads a pipe: the locale's encoding, universal newlines."""
    return data.decode(locale.getpreferredencoding(False)).replace("\r\n", "\n").replace("\r", "\n")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _exactly(f: Any, n: int) -> bytes:
    got = f.read(n)
    if len(got) != n:
        raise RuntimeError("the hoso zygote's waiter ended without a status")
    return got
