"""A case's summary: what ``hoso report`` and the site's status pages count, kept by
``hoso validate`` next to its result cache so that a warm run does not replay the case.

The summary is the case's :class:`~hoso.stats.CaseView` (its steps, stage, unit, whether it is
open, overdue and complete) and the unit its header names, as compact JSON text. ``hoso
validate`` writes every record's summary, with the sha256 of the record's bytes, into
``.hoso-cache/summaries-<context>.json`` beside the result cache of the same context
(:mod:`hoso.cache`: every procedure, the organisation, ``hoso.yaml``, hoso's code and
``--today``), signed with the same key kept outside the repository. A summary is used only when
the result cache holds the record's entry for its bytes as they are now and the summary was made
from those same bytes; anything else (no file, another machine's, a doctored or torn one, a
procedure or event rule the loaded procedures do not have) means the case is replayed. The
file is apart from the result cache so that a warm ``hoso validate`` does not read it.

:func:`record_views` gives every record's view and header unit, from the cache where an entry is
fresh, by replaying the record where it is not; the result is the same as replaying all.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hoso.cache import Entry, Store
    from hoso.findings import Finding
    from hoso.checks import CaseResult
    from hoso.recordmodel import Compiled
    from hoso.repository import RecordResult, Repo
    from hoso.source import Source
    from hoso.stats import CaseView, StepView


PROCEDURES = "procedures"


class Stale(Exception):
    """A summary that does not fit the loaded procedures."""


def encode(result: CaseResult | None) -> str:
    """The summary of a record's result, as JSON text (``[null,null]``: the file did not parse)."""
    from hoso.stats import case_views

    header = result.header if result is not None else None
    views = case_views([result]) if result is not None else []
    doc = [header.unit if header is not None else None, _encode_view(views[0]) if views else None]
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


# a step's fields after its event and date, and the value each has when it is left out (the
# trailing ones equal to it are): its unit (None: the unit of the step before, the case's unit
# for the first), the stage after it (0: the name of its event), its procedure (None: the
# case's), late (0), days from its anchor, its time rule (the index in the event's ``time``)
_DEFAULTS: tuple[Any, ...] = (None, 0, None, 0, None, None)


def _encode_view(v: CaseView) -> list[Any]:
    steps = []
    unit = v.unit
    for s in v.steps:
        moved = None if s.unit == unit else s.unit
        stage = 0 if s.stage_after == s.event else s.stage_after
        proc = None if s.proc is v.proc else s.proc.proc.id
        row: list[Any] = [s.event, s.date.isoformat() if s.date else None, moved, stage, proc, 1 if s.late else 0,
                          s.days, _rule_index(s)]
        # the trailing fields at their usual value are left out (see _DEFAULTS)
        if row[7] is None:
            if s.days is not None:
                del row[7:]
            elif s.late:
                del row[6:]
            elif proc is not None:
                del row[5:]
            elif stage != 0 or type(stage) is not int:
                del row[4:]
            elif moved is not None:
                del row[3:]
            else:
                del row[2:]
        steps.append(row)
        unit = s.unit
    return [v.stage, v.unit, v.open, v.overdue, v.complete, v.proc.proc.id, steps]


def _rule_index(s: StepView) -> int | None:
    if s.target is None:
        return None
    spec = s.proc.proc.events[s.event]
    return next(i for i, rule in enumerate(spec.time) if rule is s.target)


def decode(text: str, procedures: dict[str, Compiled]) -> tuple[str | None, CaseView | None]:
    """The header's unit and the case's view; :class:`Stale` if it names what is not loaded."""
    from hoso.stats import CaseView, StepView

    try:
        unit, view = json.loads(text)
        if view is None:
            return unit, None
        stage, vunit, open_, overdue, complete, proc, rows = view
        case_proc = procedures[proc]
        parts = []
        before = vunit
        for row in rows:
            event, date, rest = row[0], row[1], list(row[2:])
            sunit, stage_after, sproc, late, days, target = (*rest, *_DEFAULTS[len(rest):])
            sunit = before if sunit is None else sunit
            compiled = case_proc if sproc is None else procedures[sproc]
            rule = compiled.proc.events[event].time[target] if target is not None else None
            parts.append((event, dt.date.fromisoformat(date) if date else None, sunit,
                          event if stage_after == 0 and type(stage_after) is int else stage_after,
                          compiled, bool(late), days, rule))
            before = sunit
        steps = []
        for n, (event, day, sunit, stage_after, compiled, late, days, rule) in enumerate(parts):
            unit_after = parts[n + 1][2] if n + 1 < len(parts) else vunit  # the next step's unit
            steps.append(StepView(event, day, sunit, unit_after, stage_after, compiled, late, days, rule))
        return unit, CaseView(steps, stage, vunit, open_, overdue, complete, case_proc)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise Stale(str(exc)) from exc


def summaries_path(store: Store) -> Path:
    return store.directory / f"summaries-{store.fingerprint[:32]}.json"


class Writer:
    """The summaries file of one context, written as the records are checked (nothing is held
    in memory for a cold run), then completed with the previous file's summaries of the records
    the result cache answered; signed and renamed into place at :meth:`finish`."""

    def __init__(self, store: Store) -> None:
        from hoso import cache

        self.store = store
        self.path = summaries_path(store)
        store.directory.mkdir(exist_ok=True)
        if cache.unsafe_directory(store.directory) is not None:
            raise OSError("the cache folder is a link")
        fd, self.tmp = tempfile.mkstemp(dir=store.directory, prefix=".tmp-", suffix=".json")
        self.fh = os.fdopen(fd, "wb")
        self.mac = hmac.new(store.key, digestmod="sha256")
        self.fh.write(b"0" * self.mac.digest_size * 2 + b"\n")
        self.first = True
        self._put('{"fingerprint":' + json.dumps(store.fingerprint) + ',"entries":{')

    def _put(self, text: str) -> None:
        data = text.encode("utf-8")
        self.mac.update(data)
        self.fh.write(data)

    def add(self, path: str, sha: str, summary: str) -> None:
        self._put(("" if self.first else ",") + json.dumps(path, ensure_ascii=False) + ":"
                  + json.dumps([sha, summary], ensure_ascii=False, separators=(",", ":")))
        self.first = False

    def finish(self, cached: dict[str, str]) -> None:
        """``cached``: path -> sha of the records answered from the result cache this run."""
        old = load_summaries(self.store) if cached else None
        for path, sha in cached.items():
            kept = old.get(path) if old is not None else None
            if kept is not None and kept[0] == sha:
                self.add(path, sha, kept[1])
        self._put("}}")
        self.fh.seek(0)
        self.fh.write(self.mac.hexdigest().encode())
        self.fh.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.fh.close()
        try:
            os.unlink(self.tmp)
        except OSError:
            pass


def load_summaries(store: Store) -> dict[str, tuple[str, str]] | None:
    """Path -> (sha of the record's bytes, summary) from the context's signed summaries file."""
    from hoso import cache

    doc = cache.read_signed(summaries_path(store))
    if not isinstance(doc, dict) or doc.get("fingerprint") != store.fingerprint:
        return None
    entries = doc.get("entries")
    if not isinstance(entries, dict):
        return None
    return {p: (e[0], e[1]) for p, e in entries.items()
            if isinstance(e, list) and len(e) == 2 and isinstance(e[0], str) and isinstance(e[1], str)}


@dataclass
class Summary:
    """One record as the counting commands see it."""

    path: str
    unit: str | None  # the unit its header names (None: no header)
    view: CaseView | None  # None: no replayable history
    errors: int  # its findings of severity error


def fresh_entry(store: Store, source: Source, path: str) -> Entry | None:
    """The store's entry for ``path`` when it is for the file's bytes as they are now."""
    from hoso import cache
    from hoso.source import WorkTree

    entry = store.entries.get(path)
    if entry is None or not isinstance(source, WorkTree):
        return None
    st = source.stat(path)
    if st is None:
        return None
    if entry.stat is not None and entry.stat == cache.stat_key(st):
        return entry
    data = source.read(path)
    if data is None or cache.content_key(path, data) != entry.sha:
        return None
    return entry


def _errors(rows: list[Any]) -> int:
    return sum(1 for row in rows if row[3] == "error")


def from_result(r: RecordResult) -> Summary:
    from hoso.stats import case_views

    header = r.result.header if r.result is not None else None
    views = case_views([r])
    return Summary(r.path, header.unit if header is not None else None, views[0] if views else None,
                   sum(1 for f in r.findings if f.severity == "error"))


def warm_store(source: Source, today: dt.date) -> Store | None:
    """The validate cache of the working tree's current context, if ``hoso validate`` left one."""
    from hoso import cache
    from hoso.source import WorkTree

    if not isinstance(source, WorkTree):
        return None
    fingerprint = cache.context_fingerprint(source, today, source.list(PROCEDURES))
    return cache.open_for_reading(Path(source.root), fingerprint)


def context_findings(store: Store | None) -> list[Finding] | None:
    """The procedures' and organisation's findings the cache holds for its context, if it does."""
    from hoso import cache

    if store is None or store.context_findings is None:
        return None
    return [f for p, rows in store.context_findings for f in cache.decode_findings(p, rows)]


def record_views(repo: Repo, paths: list[str], store: Store | None,
                 replay: Callable[[str], RecordResult]) -> list[Summary]:
    """Every record's summary in ``paths`` order: from ``store`` where its entry is fresh and
    has one, else by ``replay`` (the record checked again, as a run without a cache does)."""
    out = []
    kept = load_summaries(store) if store is not None else None
    for path in paths:
        entry = fresh_entry(store, repo.source, path) if store is not None and kept else None
        made = kept.get(path) if kept is not None and entry is not None else None
        summary = None
        if entry is not None and made is not None and made[0] == entry.sha:
            try:
                unit, view = decode(made[1], repo.ctx.procedures)
                summary = Summary(path, unit, view, _errors(entry.findings))
            except Stale:
                summary = None
        out.append(summary if summary is not None else from_result(replay(path)))
    return out
