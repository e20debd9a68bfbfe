"""The result cache of ``hoso validate``: a case file's findings, kept until anything they
depend on changes.

An entry is a record file's findings and case id, valid for the exact bytes of that file at
that path (sha256) under one *context*: the bytes of every procedure, the org files and
``hoso.yaml``, hoso's version and source code, the versions of the parsing libraries, and
``--today``. Any change to one of those is a different context, so a different cache file;
nothing is ever patched in place. A record's findings depend on other records only through
REC-DUPLICATE-CASE, which is computed after the cache from the cached case ids.

To skip reading files whose bytes did not change, an entry also keeps the file's size,
mtime, ctime and inode (as git's index does). A file changed within two seconds of a run's
start is never trusted by its stat alone (the timestamps may be too coarse to show a change
made just after it was read): the next run reads and hashes it.

The cache lives in ``.hoso-cache/`` at the repository root. Each file carries an HMAC made
with a key kept outside the repository (in the user's cache directory), so a cache file that
was committed, copied from elsewhere, truncated or written half-way is ignored, never
trusted: the worst a bad cache can do is cost a cold run. Files are written to a temporary
name and renamed, so concurrent runs each leave a whole file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import stat
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hoso import __version__
from hoso.findings import Finding
from hoso.messages import L
from hoso.source import Source, read_regular

DIRNAME = ".hoso-cache"
FORMAT = 1
KEEP = 4  # cache files (contexts) kept; older ones are removed
RACY_NS = 2_000_000_000

Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
CONTEXT_FILES = ("org/units.yaml", "org/officers.yaml", "hoso.yaml")
ORG_SHARDS = ("org/units", "org/officers")  # every shard of a sharded organisation (hoso.orgload)


def stat_key(st: os.stat_result) -> Stat:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def content_key(path: str, data: bytes) -> str:
    return hashlib.sha256(path.encode("utf-8") + b"\0" + data).hexdigest()


def _code_digest() -> str:
    """hoso's own code, so that a change to a rule never reuses an old result."""
    h = hashlib.sha256(__version__.encode())
    pkg = Path(__file__).resolve().parent
    for p in sorted(pkg.rglob("*.py")):
        h.update(p.relative_to(pkg).as_posix().encode() + b"\0")
        try:
            h.update(p.read_bytes())
        except OSError:
            h.update(b"?")
    h.update("\0".join(_library_versions()).encode())
    return h.hexdigest()


def _library_versions() -> list[str]:
    """The installed versions of the libraries that parse and validate (their dist-info names:
    importlib.metadata would cost more start-up time than a warm run takes)."""
    from importlib.util import find_spec

    wanted = ("pyyaml-", "yaml_rs-", "pydantic-", "pydantic_core-", "holidays-")
    dirs: set[str] = set()
    for mod in ("yaml", "yaml_rs", "pydantic", "pydantic_core", "holidays"):
        spec = find_spec(mod)
        if spec is not None and spec.origin:
            dirs.add(os.path.dirname(os.path.dirname(spec.origin)))
    out = []
    for d in sorted(dirs):
        try:
            out += [n for n in os.listdir(d) if n.endswith(".dist-info") and n.lower().startswith(wanted)]
        except OSError:
            pass
    return sorted(out)


def context_fingerprint(source: Source, today: dt.date, procedure_paths: list[str]) -> str:
    h = hashlib.sha256(f"hoso-validate/{FORMAT}\0{today.isoformat()}\0{_code_digest()}\0".encode())
    shards = [*source.list(ORG_SHARDS[0]), *source.list(ORG_SHARDS[1])]
    for path in [*procedure_paths, *CONTEXT_FILES, *shards]:
        data = source.read(path)
        h.update(path.encode() + b"\0")
        h.update(b"-" if data is None else hashlib.sha256(data).digest())
    return h.hexdigest()


# ------------------------------------------------------------------ findings as JSON


def _enc(v: Any) -> Any:
    if isinstance(v, L):
        return {"L": [v.vi, v.en]}
    if isinstance(v, dt.date):
        return {"d": v.isoformat()}
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)  # rendered with str.format, so its text is all that matters


def _dec(v: Any) -> Any:
    if isinstance(v, dict):
        if "L" in v:
            return L(*v["L"])
        return dt.date.fromisoformat(v["d"])
    return v


def encode_findings(findings: list[Finding]) -> list[Any]:
    return [[f.line, f.column, f.rule, f.severity, [[k, _enc(v)] for k, v in f.args]] for f in findings]


def decode_findings(path: str, rows: list[Any]) -> list[Finding]:
    return [Finding(path, line, col, rule, sev, tuple((k, _dec(v)) for k, v in args))
            for line, col, rule, sev, args in rows]


# ----------------------------------------------------------------------------- store


def _key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hoso" / "cache-key"


def existing_key() -> bytes | None:
    """The signing key if one was made already (a reader of the cache never makes one)."""
    try:
        key = _key_file().read_bytes()
    except OSError:
        return None
    return key if len(key) >= 32 else None


def machine_key() -> bytes | None:
    """The secret that signs cache files; created on first use, outside any repository."""
    path = _key_file()
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        os.replace(tmp, path)  # two first runs at once: both keys are whole, one wins
        return path.read_bytes()
    except OSError:
        return None


@dataclass(slots=True)
class Entry:
    sha: str
    stat: Stat | None
    case: str | None
    findings: list[Any]  # encoded


@dataclass
class Store:
    """One context's cache file, loaded; written back whole by :meth:`save`."""

    directory: Path
    fingerprint: str
    key: bytes
    started_ns: int = field(default_factory=time.time_ns)
    entries: dict[str, Entry] = field(default_factory=dict)
    context_findings: list[Any] | None = None  # procedures' and org files' findings, by path
    loaded: bool = False
    dirty: bool = False

    @property
    def path(self) -> Path:
        return self.directory / f"validate-{self.fingerprint[:32]}.json"

    def trusted_stat(self, st: os.stat_result) -> Stat | None:
        if max(st.st_mtime_ns, st.st_ctime_ns) >= self.started_ns - RACY_NS:
            return None
        return stat_key(st)

    def put(self, path: str, entry: Entry) -> None:
        if self.entries.get(path) != entry:
            self.entries[path] = entry
            self.dirty = True

    def load(self) -> None:
        raw = read_regular(self.path)  # never through a symbolic link
        if raw is None:
            return
        mac, _, body = raw.partition(b"\n")
        if not hmac.compare_digest(mac, hmac.new(self.key, body, "sha256").hexdigest().encode()):
            return
        try:
            doc = json.loads(body)
            if doc.get("format") != FORMAT or doc.get("fingerprint") != self.fingerprint:
                return
            entries = {p: Entry(e[0], tuple(e[1]) if e[1] else None, e[2], e[3])
                       for p, e in doc["entries"].items()}
            self.context_findings = doc.get("context")
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return
        self.entries = entries
        self.loaded = True

    def save(self, keep: set[str]) -> None:
        """Write the entries of the paths in ``keep`` (the records that exist now)."""
        if not self.dirty and set(self.entries) == keep:
            return
        try:
            self.directory.mkdir(exist_ok=True)
            if unsafe_directory(self.directory) is not None:
                return  # replaced by a link since the run started: write nothing through it
            _create(self.directory / ".gitignore", b"*\n")
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "wb") as fh:
                    self._write(fh, keep)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
            self._prune()
        except OSError as exc:  # a read-only tree or a full disk costs speed, never a result
            from hoso.wording import os_error

            why = os_error(exc)
            print(f"hoso: bộ nhớ đệm không được lưu ({why.vi}) / cache not saved ({why.en})", file=sys.stderr)

    def _write(self, fh: Any, keep: set[str]) -> None:
        """The signature's line, then the JSON document, written entry by entry (a whole
        document in memory would grow with the repository); the signature is filled in last."""
        mac = hmac.new(self.key, digestmod="sha256")
        fh.write(b"0" * mac.digest_size * 2 + b"\n")
        dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        chunk: list[str] = [dump({"format": FORMAT, "fingerprint": self.fingerprint, "context": self.context_findings})[:-1],
                            ',"entries":{']
        first = True
        for p, e in self.entries.items():
            if p not in keep:
                continue
            chunk.append(("" if first else ",") + dump(p) + ":" + dump([e.sha, e.stat, e.case, e.findings]))
            first = False
            if len(chunk) >= 512:
                _emit(fh, mac, chunk)
        chunk.append("}}")
        _emit(fh, mac, chunk)
        fh.seek(0)
        fh.write(mac.hexdigest().encode())

    def _prune(self) -> None:
        files = sorted(self.directory.glob("validate-*.json"), key=lambda p: p.lstat().st_mtime_ns, reverse=True)
        for old in files[KEEP:]:
            try:
                old.unlink()
            except OSError:
                pass




def _emit(fh: Any, mac: hmac.HMAC, chunk: list[str]) -> None:
    data = "".join(chunk).encode("utf-8")
    mac.update(data)
    fh.write(data)
    chunk.clear()


def _create(path: Path, data: bytes) -> None:
    """Write a new file unless something (a link included) already stands at ``path``."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def unsafe_directory(directory: Path) -> L | None:
    """Why the cache directory must not be used: it is a symbolic link."""
    try:
        mode = os.lstat(directory).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return L(f"không đọc được ({exc.strerror})", f"cannot be read ({exc.strerror})")
    if stat.S_ISLNK(mode):
        return L("là một liên kết tượng trưng (symlink)", "is a symbolic link")
    return None  # a plain file there: the run goes on and saving fails (a cold run, no harm)


def open_store(root: Path, fingerprint: str) -> Store | None:
    """The cache for this context (empty if there is none, or none to trust); ``None`` when
    there is no key to sign one with, or when ``.hoso-cache`` is not a plain folder (a link
    committed to the repository would make every run write and delete files elsewhere)."""
    why = unsafe_directory(root / DIRNAME)
    if why is not None:
        print(f"hoso: {DIRNAME} {why.en}: the result cache is not used / {DIRNAME} {why.vi}: không dùng bộ nhớ đệm",
              file=sys.stderr)
        return None
    key = machine_key()
    if key is None:
        return None
    store = Store(root / DIRNAME, fingerprint, key)
    store.load()
    return store


def write_signed(path: Path, doc: Any) -> None:
    """``doc`` as JSON under the machine key's signature (as a cache file is), written whole or
    not at all; a tree that cannot be written costs the next run its speed, never a result."""
    key = machine_key()
    if key is None:
        return
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    try:
        for d in (path.parent.parent, path.parent):
            if unsafe_directory(d) is not None:
                return
            d.mkdir(exist_ok=True)
        if path.parent.parent.name == DIRNAME:
            _create(path.parent.parent / ".gitignore", b"*\n")
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(hmac.new(key, body, "sha256").hexdigest().encode() + b"\n" + body)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return


def read_signed(path: Path) -> Any:
    """What :func:`write_signed` wrote at ``path`` on this machine, or ``None`` (no file, a link,
    another machine's or a hand-made file, a torn write)."""
    key = existing_key()
    if key is None or unsafe_directory(path.parent) is not None:
        return None
    raw = read_regular(path)
    if raw is None:
        return None
    mac, _, body = raw.partition(b"\n")
    if not hmac.compare_digest(mac, hmac.new(key, body, "sha256").hexdigest().encode()):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def open_for_reading(root: Path, fingerprint: str) -> Store | None:
    """The cache file of this context as ``hoso validate`` left it, for a command that only reads
    it (``hoso report``, the site): ``None``, silently, when there is none to trust."""
    if unsafe_directory(root / DIRNAME) is not None:
        return None
    key = existing_key()
    if key is None:
        return None
    store = Store(root / DIRNAME, fingerprint, key)
    store.load()
    return store if store.loaded else None
