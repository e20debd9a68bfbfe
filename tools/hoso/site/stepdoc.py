"""The sections of a step page, each a pure function (procedure, event, language) → Markdown lines."""

from __future__ import annotations

from collections.abc import Mapping

from hoso.checks import vote_passes
from hoso.engine import span_text
from hoso.procedure import FieldSpec, Procedure, SettingRef, TimeRule, UnitSelector
from hoso.recordmodel import Ballot
from hoso.site.examples import EXAMPLE_CASE, Example, event_yaml

Lines = list[str]

TYPES = {
    "date": ("ngày (YYYY-MM-DD, đặt trong dấu nháy)", "date (YYYY-MM-DD, in quotes)"),
    "text": ("văn bản tự do (không bao giờ công bố)", "free text (never published)"),
    "ref": ("số, ký hiệu văn bản", "document number"),
    "officer": ("mã cán bộ trong `org/officers.yaml`", "officer id from `org/officers.yaml`"),
    "unit": ("mã đơn vị trong `org/units.yaml`", "unit id from `org/units.yaml`"),
    "procedure": ("mã phiên bản quy trình", "procedure version id"),
    "enum": ("một mã trong danh mục", "one code of the list"),
    "values": ("bảng `trường: giá trị mới` của bước được sửa", "a mapping `field: new value` of the corrected step"),
    "bool": ("`true` hoặc `false`", "`true` or `false`"),
    "int": ("số nguyên không âm", "non-negative integer"),
    "ballot": ("kết quả bỏ phiếu (xem mục Biểu quyết)", "ballot tally (see Vote)"),
    "list": ("danh sách", "list"),
    "object": ("nhóm trường", "group of fields"),
}


def t(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def roles_text(proc: Procedure, roles: list[str], body: str, lang: str = "vi") -> str:
    names = t(lang, " hoặc ", " or ").join(proc.roles[r].title.get(lang) if r in proc.roles else r for r in roles)
    where = proc.bodies[body].title.get(lang) if body in proc.bodies else body
    return f"{names} ({where})"


def selector_text(sel: UnitSelector, lang: str = "vi") -> str:
    if sel.relative == "self":
        return t(lang, "đơn vị của hồ sơ", "the case's unit")
    if sel.relative == "parent":
        return t(lang, "đơn vị cấp trên trực tiếp của hồ sơ", "the unit directly above the case's unit")
    if sel.above is not None:
        return t(lang, f"đơn vị ngay trên đơn vị của `{sel.above}` (cấp trên một cấp)",
                 f"the unit directly above that of `{sel.above}` (one level up)")
    return t(lang, f"đơn vị cấp trên gần nhất thuộc loại `{sel.ancestor_kind}`",
             f"the nearest unit above of kind `{sel.ancestor_kind}`")


def step_title(proc: Procedure, name: str, lang: str) -> str:
    ev = proc.events[name]
    num = t(lang, f"Bước {ev.step}. ", f"Step {ev.step}. ") if ev.step is not None else ""
    return num + ev.title.get(lang)


def link(proc: Procedure, name: str, lang: str = "vi") -> str:
    if name in proc.events:
        return f"[{step_title(proc, name, lang)}]({name}.md)"
    if name in proc.end_states:
        return t(lang, "kết thúc", "ends") + f" — **{proc.end_states[name].title.get(lang)}**"
    return f"`{name}`"


def cond_text(proc: Procedure, event: str, when: Mapping[str, object], lang: str = "vi") -> str:
    parts = []
    for k, v in when.items():
        spec = proc.all_fields(event).get(k)
        label = proc.label(spec.vocabulary, v, lang) if spec and spec.vocabulary and isinstance(v, str) else v
        parts.append(f"`{k}: {v}` ({label})")
    return t(lang, " và ", " and ").join(parts)


def predecessors(proc: Procedure, name: str) -> list[str]:
    out = [n for n in proc.events if name in proc.successors_of(n)]
    out += [n for n, e in proc.end_states.items() if name in e.next]
    return out


# ------------------------------------------------------------------------- sections


def when_section(proc: Procedure, name: str, lang: str) -> Lines:
    ev = proc.events[name]
    out = [t(lang, "## Khi nào ghi bước này", "## When this step is recorded"), ""]
    if ev.opens_case:
        out.append(t(lang, "Bước này **mở hồ sơ mới**: là mục đầu tiên của `history:`.",
                     "This step **opens a new case**: it is the first entry of `history:`."))
    elif ev.from_ == "open":
        out.append(t(lang, "Ghi được ở **bất kỳ giai đoạn nào** khi hồ sơ còn đang mở.",
                     "It may be recorded at **any stage** while the case is open."))
    elif ev.from_ == "any":
        out.append(t(lang, "Ghi được ở **bất kỳ giai đoạn nào**, kể cả khi hồ sơ đã kết thúc.",
                     "It may be recorded at **any stage**, after the case has ended too."))
    elif proc.escalation is not None and proc.escalation.event == name:
        times = proc.amount(proc.escalation.after_failures)
        out.append(t(lang, f"Ghi được khi cùng một nội dung đã biểu quyết **không đạt {times} lần**; cấp trên quyết định thay.",
                     f"It may be recorded after **{times} failed votes** on the same question; the superior body decides."))
    else:
        before = predecessors(proc, name)
        out.append(t(lang, "Ghi được ngay sau: ", "It follows: ") + "; ".join(link(proc, n, lang) for n in before) + "."
                   if before else "—")
    if ev.keeps_stage:
        out += ["", t(lang, "Bước này **không làm thay đổi giai đoạn** của hồ sơ và có thể ghi nhiều lần.",
                      "This step **does not change the case's stage** and may be recorded more than once.")]
    return out + [""]


CORRECTION_ROLES = ("Người ghi và người phê duyệt bước sửa sai là **những vai trò mà bước được sửa cần** (xem trang của bước đó), "
                    "không phải vai trò của riêng bước này.",
                    "A correction is recorded and approved by **the roles the corrected step needs** (see that step's page), "
                    "not by roles of its own.")


def recorder_section(proc: Procedure, name: str, lang: str) -> Lines:
    ev = proc.events[name]
    if ev.effect == "correct":
        return [t(lang, "## Ai ghi nhận", "## Who records it"), "", t(lang, *CORRECTION_ROLES), ""]
    body = proc.bodies[ev.body].title.get(lang) if ev.body in proc.bodies else ev.body
    roles = roles_text(proc, ev.recorder.roles, ev.recorder.body, lang)
    where = selector_text(proc.bodies[ev.recorder.body].unit, lang)
    return [t(lang, "## Ai ghi nhận", "## Who records it"), "",
            t(lang, f"Bước này ghi lại quyết định hoặc việc làm của **{body}**. Trường `recorded_by` là mã của người ghi; "
                    f"vào ngày của bước, người đó phải giữ vai trò {roles} — {where}.",
                    f"This step records a decision or act of the **{body}**. `recorded_by` is the recording officer's id; "
                    f"on the step's date that officer must hold the role {roles} — {where}."), ""]


def approver_section(proc: Procedure, name: str, lang: str) -> Lines:
    ev = proc.events[name]
    if ev.effect == "correct":
        return [t(lang, "## Ai phải phê duyệt pull request", "## Who must approve the pull request"), "",
                t(lang, *CORRECTION_ROLES), ""]
    n = ev.approver.count
    roles = roles_text(proc, ev.approver.roles, ev.approver.body, lang)
    return [t(lang, "## Ai phải phê duyệt pull request", "## Who must approve the pull request"), "",
            t(lang, f"Cần **{n} phê duyệt** (approve) trên commit mới nhất của pull request, từ người giữ vai trò "
                    f"{roles} vào ngày phê duyệt. Người mở pull request và chính đảng viên của hồ sơ không được tự phê duyệt. "
                    "Xem [hướng dẫn phê duyệt](../../huong-dan-phe-duyet.md).",
                    f"**{n} approval(s)** on the pull request's latest commit, from someone holding the role {roles} "
                    "on the day of the review. Neither the pull request's author nor the case's member may approve it."), ""]


def fields_section(proc: Procedure, name: str, lang: str) -> Lines:
    out = [t(lang, "## Dữ liệu và văn bản cần có", "## Data and documents needed"), "",
           t(lang, "| Trường | Nội dung | Kiểu | Bắt buộc |", "| Field | Meaning | Type | Required |"), "| --- | --- | --- | --- |",
           f"| `event` | {t(lang, 'Mã bước', 'Step code')} | `{name}` | {t(lang, 'có', 'yes')} |"]
    for fname, spec in proc.all_fields(name).items():
        title = spec.title.get(lang) if spec.title else ""
        out.append(f"| `{fname}` | {title} | {type_text(proc, spec, lang)} | {required_text(spec, lang)} |")
    out += ["", t(lang, "Chỉ ghi số, ký hiệu văn bản; bản thân văn bản lưu theo chế độ lưu trữ hồ sơ đảng viên, "
                        "không đưa vào kho. Không ghi họ tên: đảng viên và cán bộ chỉ được nêu bằng mã.",
                        "Only document numbers are recorded; the documents stay in the member files, never in the repository. "
                        "No names: members and officers appear only by their codes."), ""]
    return out


def type_text(proc: Procedure, spec: FieldSpec, lang: str = "vi") -> str:
    vi, en = TYPES.get(spec.type, (spec.type, spec.type))
    text = t(lang, vi, en)
    if spec.type == "enum" and spec.vocabulary:
        vals = proc.vocabularies.get(spec.vocabulary, {})
        text += ": " + "; ".join(f"`{k}` ({v.get(lang)})" for k, v in vals.items())
    if spec.type == "list" and spec.item is not None:
        lo = proc.amount(spec.min_items)
        text += (t(lang, f", ít nhất {lo} mục", f", at least {lo}") if lo else "") + t(lang, ", mỗi mục: ", ", each: ") \
            + type_text(proc, spec.item, lang)
    if spec.type == "object" and spec.fields:
        text += t(lang, " gồm ", " of ") + ", ".join(
            f"`{k}` ({s.title.get(lang) if s.title else ''}: {type_text(proc, s, lang)})" for k, s in spec.fields.items())
    if spec.type == "officer" and spec.roles and spec.body:
        text += t(lang, ", người giữ vai trò ", ", holding the role ") + roles_text(proc, spec.roles, spec.body, lang)
    if spec.const is not None:
        text += t(lang, f", phải là `{str(spec.const).lower()}`", f", must be `{str(spec.const).lower()}`")
    return text


def required_text(spec: FieldSpec, lang: str = "vi") -> str:
    if spec.required_when:
        return t(lang, "khi ", "when ") + ", ".join(f"`{k}: {v}`" for k, v in spec.required_when.items())
    return t(lang, "có", "yes") if spec.required else t(lang, "không", "no")


def vote_section(proc: Procedure, name: str, lang: str) -> Lines:
    vote = proc.events[name].vote
    if vote is None:
        return []
    th = vote.threshold
    rule = t(lang, f"quá {th.num}/{th.den}", f"more than {th.num}/{th.den}") if th.strict else \
        t(lang, f"từ {th.num}/{th.den} trở lên", f"at least {th.num}/{th.den}")
    of = t(lang, "số đảng viên chính thức được tính biểu quyết", "of the eligible full members") if th.of == "eligible" \
        else t(lang, "tổng số thành viên của cơ quan biểu quyết", "of all members of the voting body")
    out = [t(lang, "## Biểu quyết", "## Vote"), "",
           t(lang, f"Đạt khi số phiếu tán thành (`for`) {rule} {of} — không phải so với số người có mặt.",
             f"Passes when the votes in favour (`for`) are {rule} {of} — not of those present.")]
    if vote.when:
        out[-1] += t(lang, " Ngưỡng này áp dụng khi ", " The threshold applies when ") + cond_text(proc, name, vote.when, lang) + "."
    out.append("")
    reasons = proc.vocabularies.get(proc.ballot.excluded_reasons, {}) if proc.ballot else {}
    if th.of == "eligible":
        out += [t(lang, "Số được tính biểu quyết = `members_total` (đảng viên chính thức trong danh sách) trừ các trường hợp ghi "
                        "trong `excluded`:",
                  "Eligible = `members_total` (full members on the roll) minus those listed under `excluded`:"), ""]
        out += [f"- `{k}`: {v.get(lang)}" for k, v in reasons.items()]
        out += ["", t(lang, "Đảng viên dự bị không biểu quyết.", "Probationary members never vote."), ""]
    excluded = {next(iter(reasons), "x"): 1} if th.of == "eligible" else {}
    example = Ballot.model_validate({"members_total": 15, "excluded": excluded, "present": 13, "for": 0, "against": 0})
    _, need, base = vote_passes(vote, example)
    out += [t(lang, f"Ví dụ: {base} người được tính thì cần ít nhất **{need}** phiếu tán thành.",
              f"For example, with {base} counted, at least **{need}** votes in favour are needed."),
            "", t(lang, "Luôn phải có: `for + against + invalid ≤ present ≤` số được tính biểu quyết.",
                  "Always: `for + against + invalid ≤ present ≤` eligible.")]
    if vote.secret:
        out += ["", t(lang, "Bỏ phiếu **kín**: ghi `secret: true`; chỉ ghi số phiếu, không bao giờ ghi ai bỏ phiếu thế nào.",
                      "A **secret** ballot: write `secret: true`; only tallies are recorded, never who voted how.")]
    if vote.result:
        out += ["", t(lang, f"Trường `{vote.result}` phải khớp với số phiếu: hoso tự tính lại và chặn nếu ghi sai.",
                      f"`{vote.result}` must agree with the tally: hoso recounts and blocks a mismatch.")]
    for tr in proc.events[name].transitions or []:
        if tr.repeat and proc.escalation is not None:
            times = proc.amount(proc.escalation.after_failures)
            esc = link(proc, proc.escalation.event, lang)
            out += ["", t(lang, f"Không đạt thì có thể biểu quyết lại (ghi lại bước này); sau {times} lần không đạt, "
                                f"báo cáo cấp trên ({esc}).",
                          f"A failed vote may be repeated (record this step again); after {times} failures the "
                          f"superior body decides ({esc}).")]
            if proc.escalation.max_failures is not None:
                most = proc.amount(proc.escalation.max_failures)
                out += ["", t(lang, f"Sau {most} lần không đạt thì không biểu quyết lại nữa: chỉ cấp trên quyết định.",
                              f"After {most} failures the vote may not be repeated: only the superior body decides.")]
    return out + [""]


def time_section(proc: Procedure, name: str, lang: str) -> Lines:
    own = proc.events[name].time
    started = [(n, r) for n, e in proc.events.items() for r in e.time if r.anchor.event == name and n != name]
    if not own and not started:
        return []
    out = [t(lang, "## Thời hạn", "## Time limits"), ""]
    out += [f"- {rule_text(proc, rule, lang)}" for rule in own]
    for other, rule in started:
        out.append(t(lang, f"- Bước này bắt đầu tính hạn cho {link(proc, other, lang)}: ",
                     f"- This step starts the clock for {link(proc, other, lang)}: ") + rule_text(proc, rule, lang))
    out += ["", t(lang, "Ngày làm việc không tính thứ Bảy, Chủ nhật và ngày nghỉ lễ, Tết của Việt Nam; thứ Bảy làm bù "
                        "theo quyết định của Nhà nước là ngày làm việc. "
                        "Hạn **chặn** là lỗi: CI không cho gộp. Hạn **cảnh báo** được ghi nhận nhưng không chặn.",
                  "Working days leave out Saturdays, Sundays and Vietnamese public holidays (Tết included); "
                  "the Saturdays the State makes working days count. "
                  "A **blocking** limit is an error: CI refuses the merge. A **warning** is recorded but does not block."), ""]
    return out


def rule_text(proc: Procedure, rule: TimeRule, lang: str = "vi") -> str:
    span = span_text(proc, rule, lang)
    unconfirmed = [a.setting for a in (rule.months, rule.days, rule.working_days)
                   if isinstance(a, SettingRef) and proc.settings[a.setting].unconfirmed]
    frm = link(proc, rule.anchor.event, lang)
    if rule.anchor.latest_of:
        alternatives = ", ".join(link(proc, e, lang) for e in rule.anchor.latest_of)
        frm = t(lang, f"{frm} (hoặc {alternatives}, bước nào gần nhất)", f"{frm} (or {alternatives}, whichever is latest)")
    if rule.anchor.field != "date":
        spec = proc.all_fields(rule.anchor.event).get(rule.anchor.field)
        what = (spec.title.get(lang) if spec and spec.title else rule.anchor.field).lower()
        frm = t(lang, f"{what} (`{rule.anchor.field}`) của {frm}", f"the {what} (`{rule.anchor.field}`) of {frm}")
    else:
        frm = t(lang, f"ngày của {frm}", f"the date of {frm}")
    verb = t(lang, "trong vòng", "within") if rule.rule == "within" else t(lang, "không sớm hơn", "not before")
    sev = t(lang, "hạn **chặn**", "**blocking**") if rule.severity == "error" else t(lang, "hạn **cảnh báo**", "**warning**")
    names = ", ".join(f"`{s}`" for s in unconfirmed)
    flag = t(lang, f" (tham số chưa xác nhận: {names})", f" (unconfirmed setting: {names})") if unconfirmed else ""
    judged = ""
    if rule.field != "date":
        spec = proc.all_fields(name_of(proc, rule)).get(rule.field)
        what = (spec.title.get(lang) if spec and spec.title else rule.field).lower()
        judged = t(lang, f" Hạn tính đến {what} (`{rule.field}`), không phải ngày ghi bước.",
                   f" The limit runs to the {what} (`{rule.field}`), not the day the step is recorded.")
    if rule.excused_by is not None:
        judged += t(lang, f" Quá hạn chỉ được khi đã ghi {link(proc, rule.excused_by, lang)} trước khi hết hạn.",
                    f" Going past it is allowed only once {link(proc, rule.excused_by, lang)} is recorded before the limit.")
    return t(lang, f"{verb} **{span}** kể từ {frm} — {sev}{flag}.{judged}", f"{verb} **{span}** of {frm} — {sev}{flag}.{judged}")


def name_of(proc: Procedure, rule: TimeRule) -> str:
    """The event a time rule belongs to."""
    return next((n for n, e in proc.events.items() if any(r is rule for r in e.time)), "")


def next_section(proc: Procedure, name: str, lang: str) -> Lines:
    ev = proc.events[name]
    out = [t(lang, "## Bước tiếp theo", "## What comes next"), ""]
    if ev.keeps_stage:
        out.append(t(lang, "Giai đoạn của hồ sơ giữ nguyên; bước tiếp theo như trước khi ghi bước này.",
                     "The stage stays as it was; the next steps are those allowed before this one."))
    out += [f"- {link(proc, n, lang)}" for n in ev.next or []]
    for tr in ev.transitions or []:
        head = t(lang, "Nếu ", "If ") + cond_text(proc, name, tr.when, lang) if tr.when else t(lang, "Các trường hợp còn lại", "Otherwise")
        if tr.repeat:
            out.append(f"- {head}: " + t(lang, "biểu quyết lại.", "vote again."))
            continue
        targets = [link(proc, n, lang) for n in tr.next or []]
        if tr.end == "previous":
            targets.append(t(lang, "kết thúc — giữ nguyên trạng thái trước khi khiếu nại", "ends — in the state before the appeal"))
        elif tr.end:
            targets.append(link(proc, tr.end, lang))
        statuses = ", ".join(t(lang, "chính thức", "full") if s == "full" else t(lang, "dự bị", "probationary")
                             for s in tr.member_status or [])
        only = t(lang, f" (chỉ với đảng viên {statuses})", f" ({statuses} members only)") if tr.member_status else ""
        out.append(f"- {head}: " + "; ".join(targets) + only + ".")
    if proc.escalation is not None and proc.escalation.event == name:
        out.append(t(lang, "- Các trường hợp còn lại: hồ sơ đi tiếp như khi nội dung đã biểu quyết có kết quả do cấp trên quyết định.",
                     "- Otherwise: the case goes on as if the question's vote had the result the superior body ruled."))
    for end in (n for n, e in proc.end_states.items() if name in e.next):
        out.append(t(lang, f"- (Bước này ghi được cả sau khi hồ sơ {link(proc, end, lang)}.)",
                     f"- (This step may also follow when the case {link(proc, end, lang)}.)"))
    return out + [""]


def example_section(proc: Procedure, name: str, example: Example | None, lang: str) -> Lines:
    out = [t(lang, "## Ví dụ YAML", "## YAML example"), ""]
    if proc.events[name].effect == "migrate" and not proc.successor:
        return out + [t(lang, "Phiên bản này chưa có phiên bản kế tiếp nào để chuyển sang, nên chưa có ví dụ.",
                        "This version has no newer version to move to yet, so there is no example."), ""]
    if example is None or example.errors:
        why = "; ".join(example.errors) if example else t(lang, "không dựng được ví dụ từ dữ liệu mẫu", "no example from the demo data")
        return out + [t(lang, f"Chưa có ví dụ dùng được cho bước này ({why}).", f"No usable example for this step ({why})."), ""]
    out += [t(lang, "Thêm mục sau vào **cuối** danh sách `history:` của hồ sơ (hoặc dùng "
                    f"`hoso record MÃ-HỒ-SƠ {name}`, lệnh sẽ hỏi từng trường):",
              f"Append this entry at the **end** of the case's `history:` (or run `hoso record CASE-ID {name}`, "
              "which asks for each field):"), "",
            "```yaml", event_yaml(example.entry).rstrip("\n"), "```", "",
            t(lang, f"Ví dụ này được sinh từ dữ liệu mẫu và đã qua `hoso validate` trong một hồ sơ đi đúng "
                    f"{len(example.entries) - 1} bước trước đó:",
              f"The example is generated from the demo data and passes `hoso validate` in a case that went through "
              f"the {len(example.entries) - 1} steps before it:"), "",
            f'??? example "{t(lang, "Toàn bộ hồ sơ mẫu", "The whole example case")}"', "", "    ```yaml"]
    case = example.case(EXAMPLE_CASE, proc.id)
    head = [f"case: {case['case']}", f"procedure: {case['procedure']}", f"unit: {case['unit']}",
            f"member: {case['member']}", f"member_status: {case['member_status']}", "history:"]
    body = "".join(event_yaml(e) for e in example.entries).splitlines()
    out += ["    " + s for s in head + ["  " + b for b in body]]
    return out + ["    ```", ""]
