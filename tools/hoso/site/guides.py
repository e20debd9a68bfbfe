"""Procedure guide pages, generated from ``procedures/*.yaml``: the same data the validator
enforces, so the guide and the rules cannot disagree.

Pure functions from hoso's data to Markdown. One section per procedure version: an overview
with its state diagram, and one page per step (who records it, who approves the pull request,
the data and documents it needs, the vote, the time limits, what comes next, and a YAML example
that hoso's own rules accept). Vietnamese by default, English with ``lang="en"``.
"""

from __future__ import annotations

import datetime as dt

from hoso.bounds import bound_rows
from hoso.checks import Context
from hoso.engine import span_text
from hoso.procedure import FieldRef, Procedure
from hoso.recordmodel import Compiled
from hoso.site import diagram, stepdoc
from hoso.site.diagram import svg
from hoso.site.examples import Example, example_roster, examples
from hoso.site.stepdoc import roles_text, selector_text, t

SECTIONS = (stepdoc.when_section, stepdoc.recorder_section, stepdoc.approver_section, stepdoc.fields_section,
            stepdoc.vote_section, stepdoc.time_section, stepdoc.next_section)


def base(lang: str) -> str:
    return t(lang, "quy-trinh", "procedures")


def show_date(day: dt.date | None, lang: str) -> str:
    if day is None:
        return t(lang, "nay", "now")
    return day.strftime("%d/%m/%Y") if lang != "en" else day.isoformat()


def period(proc: Procedure, lang: str = "vi") -> str:
    start = show_date(proc.effective_from, lang)
    if proc.effective_to is None:
        return t(lang, f"có hiệu lực từ {start}", f"in force from {start}")
    end = show_date(proc.effective_to, lang)
    return t(lang, f"có hiệu lực từ {start} đến {end}", f"in force from {start} to {end}")


def all_examples(ctx: Context) -> dict[str, dict[str, Example]]:
    """Procedure id → its step examples (the same in every language: made once per build)."""
    roster = example_roster(ctx.org, ctx.procedures)
    return {pid: examples(c, ctx, roster) for pid, c in ctx.procedures.items()}


def pages(ctx: Context, lang: str = "vi", exs: dict[str, dict[str, Example]] | None = None) -> dict[str, str]:
    """Every guide page, docs-relative path → Markdown (``exs``: :func:`all_examples`, when made)."""
    procs = sorted(ctx.procedures.values(), key=lambda c: c.proc.effective_from, reverse=True)
    out = {f"{base(lang)}/index.md": index_page([c.proc for c in procs], lang)}
    exs = exs if exs is not None else all_examples(ctx)
    for c in procs:
        out.update(procedure_pages(c, ctx, lang, exs.get(c.proc.id)))
    return out


def procedure_pages(c: Compiled, ctx: Context, lang: str = "vi", exs: dict[str, Example] | None = None) -> dict[str, str]:
    proc = c.proc
    exs = exs if exs is not None else examples(c, ctx)
    out = {f"{base(lang)}/{proc.id}/index.md": overview_page(proc, lang)}
    for name in proc.ordered_events():
        out[f"{base(lang)}/{proc.id}/{name}.md"] = step_page(proc, name, exs.get(name), lang)
    return out


def index_page(procs: list[Procedure], lang: str = "vi") -> str:
    lines = [t(lang, "# Quy trình", "# Procedures"), "",
             t(lang, "Các trang dưới đây được sinh tự động từ tệp định nghĩa quy trình trong `procedures/` — "
                     "chính tệp mà hoso dùng để kiểm tra hồ sơ. Hướng dẫn và quy tắc kiểm tra vì vậy không thể lệch nhau.",
                     "These pages are generated from the procedure definitions in `procedures/` — the very files hoso "
                     "checks the case files against — so the guide and the rules cannot disagree."), "",
             t(lang, "Mỗi phiên bản quy trình có thời gian hiệu lực riêng. Một hồ sơ theo phiên bản có hiệu lực "
                     "khi mở hồ sơ, trừ khi được chuyển sang phiên bản mới bằng một bước ghi rõ trong lịch sử.",
                     "Each version has its own dates. A case follows the version in force when it was opened, unless "
                     "a step in its history moves it to a newer one."), "",
             t(lang, "| Phiên bản | Tên | Hiệu lực |", "| Version | Title | In force |"), "| --- | --- | --- |"]
    for p in procs:
        lines.append(f"| [`{p.id}`]({p.id}/index.md) | {p.title.get(lang)} | {period(p, lang)} |")
    return "\n".join(lines) + "\n"


def figure(proc: Procedure, link: str, lang: str, current: str | None = None) -> str:
    return diagram.figure(svg(proc, link, current, lang))


def overview_page(proc: Procedure, lang: str = "vi") -> str:
    lines = [f"# {proc.title.get(lang)}", "", t(lang, f"Phiên bản `{proc.id}`, {period(proc)}.",
                                                 f"Version `{proc.id}`, {period(proc, lang)}."), ""]
    if proc.successor:
        lines += [t(lang, "Phiên bản kế tiếp: ", "Next version: ") + f"[`{proc.successor}`](../{proc.successor}/index.md).", ""]
    lines += [proc.summary.get(lang), "", t(lang, "## Sơ đồ các bước", "## The steps as a diagram"), "",
              t(lang, "Mỗi ô là một bước (bấm vào để xem hướng dẫn); ô bo tròn là trạng thái kết thúc. "
                      "Mũi tên vòng bên phải là bước quay lại.",
                      "Each box is a step (click for its guide); rounded boxes are end states. "
                      "Arcs on the right go back to an earlier step."), "",
              figure(proc, "../" + proc.id + "/", lang), "",
              t(lang, "## Các bước", "## Steps"), "",
              t(lang, "| Bước | Tên | Ai ghi nhận | Ai phê duyệt |", "| Step | Title | Recorded by | Approved by |"),
              "| --- | --- | --- | --- |"]
    for name in proc.ordered_events():
        ev = proc.events[name]
        num = str(ev.step) if ev.step is not None else "—"
        lines.append(f"| {num} | [{ev.title.get(lang)}]({name}.md) | {roles_text(proc, ev.recorder.roles, ev.recorder.body, lang)} "
                     f"| {roles_text(proc, ev.approver.roles, ev.approver.body, lang)} |")
    lines += ["", t(lang, "## Trạng thái kết thúc", "## End states"), "",
              t(lang, "| Mã | Tên | Có thể tiếp tục |", "| Code | Title | May go on with |"), "| --- | --- | --- |"]
    for name, end in proc.end_states.items():
        nxt = ", ".join(f"[{proc.events[n].title.get(lang)}]({n}.md)" for n in end.next if n in proc.events) or "—"
        lines.append(f"| `{name}` | {end.title.get(lang)} | {nxt} |")
    unconfirmed = t(lang, " **(chưa xác nhận)**", " **(unconfirmed)**")
    lines += ["", t(lang, "## Các cấp có thẩm quyền", "## Bodies"), "",
              t(lang, "| Mã | Tên | Đơn vị |", "| Code | Title | Unit |"), "| --- | --- | --- |"]
    for name, body in proc.bodies.items():
        lines.append(f"| `{name}` | {body.title.get(lang)}{unconfirmed if body.unconfirmed else ''} "
                     f"| {selector_text(body.unit, lang)} |")
    lines += ["", t(lang, "## Tham số", "## Settings"), "",
              t(lang, "Các con số dưới đây là dữ liệu của quy trình, không phải hằng số trong mã. "
                      "Tham số **chưa xác nhận** là giá trị mặc định khi các văn bản công khai chưa quy định rõ.",
                      "These numbers are data of the procedure, not constants in code. An **unconfirmed** setting is "
                      "a default where the public texts did not settle the rule."), "",
              t(lang, "| Tham số | Ý nghĩa | Giá trị |", "| Setting | Meaning | Value |"), "| --- | --- | --- |"]
    for name, s in proc.settings.items():
        lines.append(f"| `{name}` | {s.title.get(lang)} | {s.value}{unconfirmed if s.unconfirmed else ''} |")
    lines += bounds_section(proc, lang)
    if proc.unconfirmed_points:
        lines += ["", t(lang, "## Những điểm chưa xác nhận", "## What stays unconfirmed"), "",
                  t(lang, "Các văn bản công khai đọc được chưa quy định rõ những điểm sau; quy trình dùng giá trị mặc định "
                          "nêu ở đây cho tới khi cấp có thẩm quyền xác nhận.",
                          "The public texts that could be read do not settle these points; the procedure uses the default "
                          "given here until a competent body confirms it."), ""]
        lines += [f"- {point.get(lang)}" for point in proc.unconfirmed_points]
    if proc.sources:
        lines += ["", t(lang, "## Căn cứ", "## Sources"), ""] + [f"- {s}" for s in proc.sources]
    return "\n".join(lines) + "\n"


def _ref_text(proc: Procedure, event: str, ref: FieldRef, lang: str) -> str:
    if ref.today:
        return t(lang, "ngày kiểm tra (hôm nay)", "the day of the check (today)")
    if ref.event is None:
        return t(lang, f"`{ref.field}` của chính bước này", f"`{ref.field}` of the same step")
    names = " / ".join(f"[`{e}`]({e}.md)" for e in ref.events())
    return t(lang, f"`{ref.field}` của bước gần nhất {names}", f"`{ref.field}` of the latest {names}")


def bounds_section(proc: Procedure, lang: str) -> list[str]:
    """Which date bounds which (DATE-BOUND), which value a reference repeats (REF-MISMATCH), and
    which date each time limit judges."""
    rows = bound_rows(proc)
    timed = [(n, r) for n in proc.ordered_events() for r in proc.events[n].time]
    if not rows and not timed:
        return []
    kinds = {"not_before": t(lang, "không trước", "not before"), "not_after": t(lang, "không sau", "not after"),
             "same_as": t(lang, "phải trùng với", "must repeat")}
    out = ["", t(lang, "## Ngày nào bị giới hạn bởi ngày nào", "## Which date bounds which"), "",
           t(lang, "Mỗi trường ngày được kiểm tra với các ngày nó phụ thuộc (quy tắc `DATE-BOUND`); một số hiệu phải "
                   "nhắc lại đúng giá trị đã ghi ở bước trước (quy tắc `REF-MISMATCH`).",
                   "Every date field is checked against the dates it depends on (rule `DATE-BOUND`); a reference must "
                   "repeat the value an earlier step recorded (rule `REF-MISMATCH`)."), "",
           t(lang, "| Bước | Trường | Quy tắc | So với |", "| Step | Field | Rule | Against |"), "| --- | --- | --- | --- |"]
    for event, field, kind, ref in rows:
        out.append(f"| [`{event}`]({event}.md) | `{field}` | {kinds[kind]} | {_ref_text(proc, event, ref, lang)} |")
    for event, rule in timed:
        verb = t(lang, "trong hạn", "within") if rule.rule == "within" else t(lang, "không sớm hơn", "not before")
        anchor = FieldRef(event=rule.anchor.events(), field=rule.anchor.field)
        span = span_text(proc, rule, lang)
        out.append(f"| [`{event}`]({event}.md) | `{rule.field}` | {verb} {span} | {_ref_text(proc, event, anchor, lang)} |")
    return out


def step_page(proc: Procedure, name: str, example: Example | None, lang: str = "vi") -> str:
    ev = proc.events[name]
    lines = [f"# {stepdoc.step_title(proc, name, lang)} ({proc.id})", "",
             t(lang, f"Quy trình [{proc.title.vi}](index.md) — {period(proc)}. Mã bước trong hồ sơ: `{name}`.",
                     f"Procedure [{proc.title.en}](index.md) — {period(proc, lang)}. Step code in the case file: `{name}`."), ""]
    if ev.description:
        lines += [ev.description.get(lang), ""]
    lines += [figure(proc, "../", lang, current=name), ""]
    for section in SECTIONS:
        lines += section(proc, name, lang)
    lines += stepdoc.example_section(proc, name, example, lang)
    return "\n".join(lines).rstrip("\n") + "\n"
