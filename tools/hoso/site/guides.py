"""Procedure guide pages, generated from ``procedures/*.yaml``: the same data the validator
enforces, so the guide and the rules cannot disagree.

Pure functions from hoso's data to Markdown. One section per procedure version: an overview
with its state diagram, and one page per step (who records it, who approves the pull request,
the data and documents it needs, the vote, the time limits, what comes next, and a YAML example
that hoso's own rules accept).
"""

from __future__ import annotations

import datetime as dt

from hoso.checks import Context
from hoso.procedure import Procedure
from hoso.recordmodel import Compiled
from hoso.site import stepdoc
from hoso.site.diagram import svg
from hoso.site.examples import Example, examples

BASE = "quy-trinh"


def vi_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else "nay"


def period(proc: Procedure) -> str:
    if proc.effective_to is None:
        return f"có hiệu lực từ {vi_date(proc.effective_from)}"
    return f"có hiệu lực từ {vi_date(proc.effective_from)} đến {vi_date(proc.effective_to)}"


def pages(ctx: Context) -> dict[str, str]:
    """Every guide page, docs-relative path → Markdown."""
    procs = sorted(ctx.procedures.values(), key=lambda c: c.proc.effective_from, reverse=True)
    out = {f"{BASE}/index.md": index_page([c.proc for c in procs])}
    for c in procs:
        out.update(procedure_pages(c, ctx))
    return out


def procedure_pages(c: Compiled, ctx: Context) -> dict[str, str]:
    proc = c.proc
    exs = examples(c, ctx)
    out = {f"{BASE}/{proc.id}/index.md": overview_page(proc)}
    for name in proc.ordered_events():
        out[f"{BASE}/{proc.id}/{name}.md"] = step_page(proc, name, exs.get(name))
    return out


def index_page(procs: list[Procedure]) -> str:
    lines = ["# Quy trình", "",
             "Các trang dưới đây được sinh tự động từ tệp định nghĩa quy trình trong `procedures/` — "
             "chính tệp mà hoso dùng để kiểm tra hồ sơ. Hướng dẫn và quy tắc kiểm tra vì vậy không thể lệch nhau.",
             "", "Mỗi phiên bản quy trình có thời gian hiệu lực riêng. Một hồ sơ theo phiên bản có hiệu lực "
             "khi mở hồ sơ, trừ khi được chuyển sang phiên bản mới bằng một bước ghi rõ trong lịch sử.", "",
             "| Phiên bản | Tên | Hiệu lực |", "| --- | --- | --- |"]
    for p in procs:
        lines.append(f"| [`{p.id}`]({p.id}/index.md) | {p.title.vi} | {period(p)} |")
    return "\n".join(lines) + "\n"


def overview_page(proc: Procedure) -> str:
    lines = [f"# {proc.title.vi}", "", f"Phiên bản `{proc.id}`, {period(proc)}.", ""]
    if proc.successor:
        lines += [f"Phiên bản kế tiếp: [`{proc.successor}`](../{proc.successor}/index.md).", ""]
    lines += [proc.summary.vi, "", "## Sơ đồ các bước", "",
              "Mỗi ô là một bước (bấm vào để xem hướng dẫn); ô bo tròn là trạng thái kết thúc. "
              "Mũi tên vòng bên phải là bước quay lại.", "",
              f'<div class="hoso-figure" data-search-exclude>{svg(proc, "../" + proc.id + "/")}</div>', "",
              "## Các bước", "", "| Bước | Tên | Ai ghi nhận | Ai phê duyệt |", "| --- | --- | --- | --- |"]
    for name in proc.ordered_events():
        ev = proc.events[name]
        num = str(ev.step) if ev.step is not None else "—"
        lines.append(f"| {num} | [{ev.title.vi}]({name}.md) | {stepdoc.roles_text(proc, ev.recorder.roles, ev.recorder.body)} "
                     f"| {stepdoc.roles_text(proc, ev.approver.roles, ev.approver.body)} |")
    lines += ["", "## Trạng thái kết thúc", "", "| Mã | Tên | Có thể tiếp tục |", "| --- | --- | --- |"]
    for name, end in proc.end_states.items():
        nxt = ", ".join(f"[{proc.events[n].title.vi}]({n}.md)" for n in end.next if n in proc.events) or "—"
        lines.append(f"| `{name}` | {end.title.vi} | {nxt} |")
    lines += ["", "## Các cấp có thẩm quyền", "", "| Mã | Tên | Đơn vị |", "| --- | --- | --- |"]
    for name, body in proc.bodies.items():
        flag = " **(chưa xác nhận)**" if body.unconfirmed else ""
        lines.append(f"| `{name}` | {body.title.vi}{flag} | {stepdoc.selector_text(body.unit)} |")
    lines += ["", "## Tham số", "",
              "Các con số dưới đây là dữ liệu của quy trình, không phải hằng số trong mã. "
              "Tham số **chưa xác nhận** là giá trị mặc định khi các văn bản công khai chưa quy định rõ.", "",
              "| Tham số | Ý nghĩa | Giá trị |", "| --- | --- | --- |"]
    for name, s in proc.settings.items():
        flag = " **(chưa xác nhận)**" if s.unconfirmed else ""
        lines.append(f"| `{name}` | {s.title.vi} | {s.value}{flag} |")
    if proc.sources:
        lines += ["", "## Căn cứ", ""] + [f"- {s}" for s in proc.sources]
    return "\n".join(lines) + "\n"


def step_page(proc: Procedure, name: str, example: Example | None) -> str:
    ev = proc.events[name]
    heading = f"Bước {ev.step}. {ev.title.vi}" if ev.step is not None else ev.title.vi
    lines = [f"# {heading} ({proc.id})", "",
             f"Quy trình [{proc.title.vi}](index.md) — {period(proc)}. Mã bước trong hồ sơ: `{name}`.", ""]
    if ev.description:
        lines += [ev.description.vi, ""]
    lines += [f'<div class="hoso-figure" data-search-exclude>{svg(proc, "../", current=name)}</div>', ""]
    for section in (stepdoc.when_section, stepdoc.recorder_section, stepdoc.approver_section, stepdoc.fields_section,
                    stepdoc.vote_section, stepdoc.time_section, stepdoc.next_section):
        lines += section(proc, name)
    lines += stepdoc.example_section(proc, name, example)
    return "\n".join(lines).rstrip("\n") + "\n"
