"""The sections of a step page, each a pure function (procedure, event) → Markdown lines."""

from __future__ import annotations

from collections.abc import Mapping

from hoso.checks import vote_passes
from hoso.engine import span_text
from hoso.procedure import FieldSpec, Procedure, SettingRef, TimeRule, UnitSelector
from hoso.recordmodel import Ballot
from hoso.site.examples import Example, event_yaml

Lines = list[str]

TYPES = {
    "date": "ngày (YYYY-MM-DD, đặt trong dấu nháy)",
    "text": "văn bản tự do (không bao giờ công bố)",
    "ref": "số, ký hiệu văn bản",
    "officer": "mã cán bộ trong `org/officers.yaml`",
    "unit": "mã đơn vị trong `org/units.yaml`",
    "procedure": "mã phiên bản quy trình",
    "enum": "một mã trong danh mục",
    "bool": "`true` hoặc `false`",
    "int": "số nguyên không âm",
    "ballot": "kết quả bỏ phiếu (xem mục Biểu quyết)",
    "list": "danh sách",
    "object": "nhóm trường",
}


def roles_text(proc: Procedure, roles: list[str], body: str) -> str:
    names = " hoặc ".join(proc.roles[r].title.vi if r in proc.roles else r for r in roles)
    where = proc.bodies[body].title.vi if body in proc.bodies else body
    return f"{names} ({where})"


def selector_text(sel: UnitSelector) -> str:
    if sel.relative == "self":
        return "đơn vị của hồ sơ"
    if sel.relative == "parent":
        return "đơn vị cấp trên trực tiếp của hồ sơ"
    return f"đơn vị cấp trên gần nhất thuộc loại `{sel.ancestor_kind}`"


def link(proc: Procedure, name: str) -> str:
    if name in proc.events:
        ev = proc.events[name]
        num = f"Bước {ev.step}. " if ev.step is not None else ""
        return f"[{num}{ev.title.vi}]({name}.md)"
    if name in proc.end_states:
        return f"kết thúc — **{proc.end_states[name].title.vi}**"
    return f"`{name}`"


def cond_text(proc: Procedure, event: str, when: Mapping[str, object]) -> str:
    parts = []
    for k, v in when.items():
        spec = proc.all_fields(event).get(k)
        label = proc.label(spec.vocabulary, v, "vi") if spec and spec.vocabulary and isinstance(v, str) else v
        parts.append(f"`{k}: {v}` ({label})")
    return " và ".join(parts)


def predecessors(proc: Procedure, name: str) -> list[str]:
    out = [n for n in proc.events if name in proc.successors_of(n)]
    out += [n for n, e in proc.end_states.items() if name in e.next]
    return out


# ------------------------------------------------------------------------- sections


def when_section(proc: Procedure, name: str) -> Lines:
    ev = proc.events[name]
    out = ["## Khi nào ghi bước này", ""]
    if ev.opens_case:
        out.append("Bước này **mở hồ sơ mới**: là mục đầu tiên của `history:`.")
    elif ev.from_ == "open":
        out.append("Ghi được ở **bất kỳ giai đoạn nào** khi hồ sơ còn đang mở.")
    elif proc.escalation is not None and proc.escalation.event == name:
        times = proc.amount(proc.escalation.after_failures)
        out.append(f"Ghi được khi cùng một nội dung đã biểu quyết **không đạt {times} lần**; cấp trên quyết định thay.")
    else:
        before = predecessors(proc, name)
        out.append("Ghi được ngay sau: " + "; ".join(link(proc, n) for n in before) + "." if before else "—")
    if ev.keeps_stage:
        out.append("")
        out.append("Bước này **không làm thay đổi giai đoạn** của hồ sơ và có thể ghi nhiều lần.")
    return out + [""]


def recorder_section(proc: Procedure, name: str) -> Lines:
    ev = proc.events[name]
    body = proc.bodies[ev.body].title.vi if ev.body in proc.bodies else ev.body
    return ["## Ai ghi nhận", "",
            f"Bước này ghi lại quyết định hoặc việc làm của **{body}**. Trường `recorded_by` là mã của người ghi; "
            f"vào ngày của bước, người đó phải giữ vai trò {roles_text(proc, ev.recorder.roles, ev.recorder.body)} — "
            f"{selector_text(proc.bodies[ev.recorder.body].unit)}.", ""]


def approver_section(proc: Procedure, name: str) -> Lines:
    ev = proc.events[name]
    n = ev.approver.count
    return ["## Ai phải phê duyệt pull request", "",
            f"Cần **{n} phê duyệt** (approve) trên commit mới nhất của pull request, từ người giữ vai trò "
            f"{roles_text(proc, ev.approver.roles, ev.approver.body)} vào ngày phê duyệt. "
            "Người mở pull request và chính đảng viên của hồ sơ không được tự phê duyệt. "
            "Xem [hướng dẫn phê duyệt](../../huong-dan-phe-duyet.md).", ""]


def fields_section(proc: Procedure, name: str) -> Lines:
    out = ["## Dữ liệu và văn bản cần có", "", "| Trường | Nội dung | Kiểu | Bắt buộc |", "| --- | --- | --- | --- |"]
    out.append("| `event` | Mã bước | `" + name + "` | có |")
    for fname, spec in proc.all_fields(name).items():
        out.append(f"| `{fname}` | {spec.title.vi if spec.title else ''} | {type_text(proc, spec)} | {required_text(spec)} |")
    out += ["", "Chỉ ghi số, ký hiệu văn bản; bản thân văn bản lưu theo chế độ lưu trữ hồ sơ đảng viên, "
            "không đưa vào kho. Không ghi họ tên: đảng viên và cán bộ chỉ được nêu bằng mã.", ""]
    return out


def type_text(proc: Procedure, spec: FieldSpec) -> str:
    text = TYPES.get(spec.type, spec.type)
    if spec.type == "enum" and spec.vocabulary:
        vals = proc.vocabularies.get(spec.vocabulary, {})
        text += ": " + "; ".join(f"`{k}` ({v.vi})" for k, v in vals.items())
    if spec.type == "list" and spec.item is not None:
        lo = proc.amount(spec.min_items)
        text += (f", ít nhất {lo} mục" if lo else "") + ", mỗi mục: " + type_text(proc, spec.item)
    if spec.type == "object" and spec.fields:
        text += " gồm " + ", ".join(f"`{k}` ({s.title.vi if s.title else ''}: {type_text(proc, s)})"
                                    for k, s in spec.fields.items())
    if spec.type == "officer" and spec.roles and spec.body:
        text += f", người giữ vai trò {roles_text(proc, spec.roles, spec.body)}"
    if spec.const is not None:
        text += f", phải là `{str(spec.const).lower()}`"
    return text


def required_text(spec: FieldSpec) -> str:
    if spec.required_when:
        return "khi " + ", ".join(f"`{k}: {v}`" for k, v in spec.required_when.items())
    return "có" if spec.required else "không"


def vote_section(proc: Procedure, name: str) -> Lines:
    vote = proc.events[name].vote
    if vote is None:
        return []
    th = vote.threshold
    rule = f"quá {th.num}/{th.den}" if th.strict else f"từ {th.num}/{th.den} trở lên"
    of = "số đảng viên chính thức được tính biểu quyết" if th.of == "eligible" else "tổng số thành viên của cơ quan biểu quyết"
    out = ["## Biểu quyết", "", f"Đạt khi số phiếu tán thành (`for`) {rule} {of} — không phải so với số người có mặt."]
    if vote.when:
        out[-1] += f" Ngưỡng này áp dụng khi {cond_text(proc, name, vote.when)}."
    out.append("")
    reasons = proc.vocabularies.get(proc.ballot.excluded_reasons, {}) if proc.ballot else {}
    if th.of == "eligible":
        out += ["Số được tính biểu quyết = `members_total` (đảng viên chính thức trong danh sách) trừ các trường hợp ghi "
                "trong `excluded`:", ""] + [f"- `{k}`: {v.vi}" for k, v in reasons.items()]
        out += ["", "Đảng viên dự bị không biểu quyết.", ""]
    example = Ballot.model_validate({"members_total": 15, "excluded": {next(iter(reasons), "x"): 1} if th.of == "eligible" else {},
                                     "present": 13, "for": 0, "against": 0})
    _, need, base = vote_passes(vote, example)
    out += [f"Ví dụ: {base} người được tính thì cần ít nhất **{need}** phiếu tán thành.",
            "", "Luôn phải có: `for + against + invalid ≤ present ≤` số được tính biểu quyết."]
    if vote.secret:
        out += ["", "Bỏ phiếu **kín**: ghi `secret: true`; chỉ ghi số phiếu, không bao giờ ghi ai bỏ phiếu thế nào."]
    if vote.result:
        out += ["", f"Trường `{vote.result}` phải khớp với số phiếu: hoso tự tính lại và chặn nếu ghi sai."]
    for t in proc.events[name].transitions or []:
        if t.repeat:
            times = proc.amount(proc.escalation.after_failures) if proc.escalation else 0
            out += ["", f"Không đạt thì có thể biểu quyết lại (ghi lại bước này); sau {times} lần không đạt, "
                    f"báo cáo cấp trên ({link(proc, proc.escalation.event) if proc.escalation else '—'})."]
    return out + [""]


def time_section(proc: Procedure, name: str) -> Lines:
    own = proc.events[name].time
    started = [(n, r) for n, e in proc.events.items() for r in e.time if r.anchor.event == name and n != name]
    if not own and not started:
        return []
    out = ["## Thời hạn", ""]
    for rule in own:
        out.append(f"- {rule_text(proc, rule)}")
    for other, rule in started:
        out.append(f"- Bước này bắt đầu tính hạn cho {link(proc, other)}: {rule_text(proc, rule)}")
    out += ["", "Ngày làm việc không tính thứ Bảy, Chủ nhật và ngày nghỉ lễ, Tết của Việt Nam. "
            "Hạn **chặn** là lỗi: CI không cho gộp. Hạn **cảnh báo** được ghi nhận nhưng không chặn.", ""]
    return out


def rule_text(proc: Procedure, rule: TimeRule) -> str:
    span = span_text(proc, rule, "vi")
    unconfirmed = [a.setting for a in (rule.months, rule.days, rule.working_days)
                   if isinstance(a, SettingRef) and proc.settings[a.setting].unconfirmed]
    anchor = proc.events[rule.anchor.event]
    frm = link(proc, rule.anchor.event)
    if rule.anchor.field != "date":
        spec = proc.all_fields(rule.anchor.event).get(rule.anchor.field)
        frm = f"{(spec.title.vi if spec and spec.title else rule.anchor.field).lower()} (`{rule.anchor.field}`) của {frm}"
    else:
        frm = f"ngày của {frm}" if anchor else frm
    verb = "trong vòng" if rule.rule == "within" else "không sớm hơn"
    sev = "hạn **chặn**" if rule.severity == "error" else "hạn **cảnh báo**"
    flag = " (tham số chưa xác nhận: " + ", ".join(f"`{s}`" for s in unconfirmed) + ")" if unconfirmed else ""
    return f"{verb} **{span}** kể từ {frm} — {sev}{flag}."


def next_section(proc: Procedure, name: str) -> Lines:
    ev = proc.events[name]
    out = ["## Bước tiếp theo", ""]
    if ev.keeps_stage:
        out.append("Giai đoạn của hồ sơ giữ nguyên; bước tiếp theo như trước khi ghi bước này.")
    for n in ev.next or []:
        out.append(f"- {link(proc, n)}")
    for t in ev.transitions or []:
        head = f"Nếu {cond_text(proc, name, t.when)}" if t.when else "Các trường hợp còn lại"
        if t.repeat:
            out.append(f"- {head}: biểu quyết lại.")
            continue
        targets = [link(proc, n) for n in t.next or []]
        if t.end == "previous":
            targets.append("kết thúc — giữ nguyên trạng thái trước khi khiếu nại")
        elif t.end:
            targets.append(link(proc, t.end))
        only = f" (chỉ với đảng viên {', '.join('chính thức' if s == 'full' else 'dự bị' for s in t.member_status)})" \
            if t.member_status else ""
        out.append(f"- {head}: " + "; ".join(targets) + only + ".")
    for end in (n for n, e in proc.end_states.items() if name in e.next):
        out.append(f"- (Bước này ghi được cả sau khi hồ sơ {link(proc, end)}.)")
    return out + [""]


def example_section(proc: Procedure, name: str, example: Example | None) -> Lines:
    out = ["## Ví dụ YAML", ""]
    if proc.events[name].effect == "migrate" and not proc.successor:
        return out + ["Phiên bản này chưa có phiên bản kế tiếp nào để chuyển sang, nên chưa có ví dụ.", ""]
    if example is None or example.errors:
        why = "; ".join(example.errors) if example else "không dựng được ví dụ từ dữ liệu mẫu"
        return out + [f"Chưa có ví dụ dùng được cho bước này ({why}).", ""]
    out += ["Thêm mục sau vào **cuối** danh sách `history:` của hồ sơ (hoặc dùng "
            f"`hoso record MÃ-HỒ-SƠ {name}`, lệnh sẽ hỏi từng trường):", "",
            "```yaml", event_yaml(example.entry).rstrip("\n"), "```", "",
            f"Ví dụ này được sinh từ dữ liệu mẫu và đã qua `hoso validate` trong một hồ sơ đi đúng "
            f"{len(example.entries) - 1} bước trước đó:", "",
            "??? example \"Toàn bộ hồ sơ mẫu\"", "", "    ```yaml"]
    case = example.case("VD-0001", proc.id)
    head = [f"case: {case['case']}", f"procedure: {case['procedure']}", f"unit: {case['unit']}",
            f"member: {case['member']}", f"member_status: {case['member_status']}", "history:"]
    body = "".join(event_yaml(e) for e in example.entries).splitlines()
    out += ["    " + s for s in head + ["  " + b for b in body]]
    return out + ["    ```", ""]
