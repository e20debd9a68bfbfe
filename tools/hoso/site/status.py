"""The anonymised status pages: Markdown for ``status/index.md`` and one page per unit.

Pure functions from the validated repository to Markdown strings; the site build only writes
them. Every number comes from :mod:`hoso.site.publish` after disclosure control, and nothing
but event names, stages, units, years and counts ever reaches a page.
"""

from __future__ import annotations

from hoso.base import Text
from hoso.disclosure import DEFAULT_THRESHOLD
from hoso.repository import RecordResult, Repo
from hoso.site.charts import grouped_bars
from hoso.site.publish import ALL, DIRECT, Publication, build
from hoso.stats import case_views

T: dict[str, dict[str, str]] = {
    "vi": {
        "banner": "Dữ liệu mô phỏng — synthetic demo data",
        "banner_body": "Mọi hồ sơ trong kho này là dữ liệu mô phỏng: không có người thật, đơn vị thật.",
        "title": "Tình hình thực hiện", "year": "Năm", "total": "Tổng", "unit": "Đơn vị",
        "flows": "Số trường hợp theo năm", "flows_intro": "Mỗi bước được tính cho đơn vị quản lý hồ sơ vào thời điểm đó và mọi cấp trên của đơn vị ấy.",
        "by_unit": "Theo đơn vị trực thuộc", "stages": "Hồ sơ đang mở theo giai đoạn",
        "time": "Thời hạn", "step": "Bước", "late": "Số lần trễ hạn", "median": "Số ngày (trung vị)",
        "target": "Thời hạn (ngày)", "overdue": "Hồ sơ đang quá hạn (đến ngày {today})",
        "complete": "Đầy đủ dữ liệu, tài liệu", "cases": "Số hồ sơ", "share": "Tỷ lệ",
        "complete_row": "Đủ", "incomplete_row": "Còn thiếu",
        "direct": "Trực thuộc trực tiếp", "days": "ngày", "none": "Chưa có số liệu.",
        "note": "Dấu — : ô bị che để bảo vệ danh tính (số từ 1 đến {low}, hoặc ô che thêm để không tính "
                "ngược được từ các tổng). Số trung vị chỉ hiện khi có từ {t} bước trở lên.",
        "units": "Các đơn vị", "parent": "Đơn vị cấp trên", "valid": "Hiệu lực",
        "chart": "Số trường hợp theo năm, {unit}",
    },
    "en": {
        "banner": "Dữ liệu mô phỏng — synthetic demo data",
        "banner_body": "Every case file in this repository is synthetic: no real person, no real unit.",
        "title": "Status", "year": "Year", "total": "Total", "unit": "Unit",
        "flows": "Cases per year", "flows_intro": "Each step counts for the unit that held the case at the time, and for every unit above it.",
        "by_unit": "By sub-unit", "stages": "Open cases by stage",
        "time": "Time limits", "step": "Step", "late": "Steps late", "median": "Days (median)",
        "target": "Limit (days)", "overdue": "Open cases overdue (as of {today})",
        "complete": "Complete data and documents", "cases": "Cases", "share": "Share",
        "complete_row": "Complete", "incomplete_row": "Incomplete",
        "direct": "Held directly", "days": "days", "none": "No figures yet.",
        "note": "— : hidden to protect identities (a count from 1 to {low}, or a further cell hidden so that "
                "none can be worked out from the totals). Medians show only over {t} steps or more.",
        "units": "Units", "parent": "Parent unit", "valid": "In force",
        "chart": "Cases per year, {unit}",
    },
}


def page_path(unit: str) -> str:
    return f"status/{unit.replace('/', '-')}.md"


def threshold(repo: Repo) -> int:
    values = [c.proc.setting("disclosure_threshold", DEFAULT_THRESHOLD) for c in repo.ctx.procedures.values()]
    return max(values + [DEFAULT_THRESHOLD])


def publication(repo: Repo, results: list[RecordResult]) -> Publication:
    return build(case_views(results), repo.ctx.procedures, threshold(repo))


def pages(repo: Repo, results: list[RecordResult], lang: str) -> dict[str, str]:
    """docs-relative path → Markdown for the status section."""
    lang = "en" if lang == "en" else "vi"
    pub = publication(repo, results)
    page = _Page(repo, pub, lang, repo.settings.synthetic)
    out = {"status/index.md": page.index()}
    for u in pub.units:
        out[page_path(u)] = page.unit(u)
    return out


class _Page:
    def __init__(self, repo: Repo, pub: Publication, lang: str, synthetic: bool) -> None:
        self.repo, self.pub, self.lang, self.synthetic = repo, pub, lang, synthetic
        self.t = T[lang]

    # ------------------------------------------------------------------ helpers

    def tx(self, text: Text) -> str:
        return text.get(self.lang)

    def name(self, unit: str) -> str:
        if unit.endswith("/" + DIRECT):
            return self.t["direct"]
        u = self.repo.ctx.org.units.get(unit)
        return u.name if u is not None else unit

    def link(self, unit: str, here: str) -> str:
        label = f"{_cell(self.name(unit))} (`{unit}`)"
        if unit.endswith("/" + DIRECT) or unit not in self.pub.units:
            return label
        target = page_path(unit).split("/", 1)[1]
        return f"[{_cell(self.name(unit))}]({target}) (`{unit}`)" if unit != here else label

    def head(self, title: str) -> list[str]:
        lines = [f"# {title}", ""]
        if self.synthetic:
            lines += ['<div class="admonition warning hoso-synthetic" role="note">'
                      f'<p class="admonition-title">{self.t["banner"]}</p><p>{self.t["banner_body"]}</p></div>', ""]
        return lines

    def note(self) -> list[str]:
        low = self.pub.threshold - 1
        return ["", "_" + self.t["note"].format(low=low, t=self.pub.threshold) + "_", ""]

    def years(self, unit: str) -> list[str]:
        return [y for y in self.pub.years
                if any(self.pub.cells.get(("flow", f, y, unit), 0) or ("flow", f, y, unit) in self.pub.hidden
                       for f in self.pub.flows)]

    # ------------------------------------------------------------------- pages

    def index(self) -> str:
        lines = self.head(self.t["title"])
        lines += [self.t["flows_intro"], ""]
        roots = [u for u in self.pub.units if "/" not in u]
        if not roots:
            lines += [self.t["none"]]
        for u in roots:
            lines += [f"## {self.link(u, '')}", ""] + self.flows_by_year(u)
        lines += [f"## {self.t['units']}", ""]
        for u in self.pub.units:
            depth = u.count("/")
            lines.append("    " * depth + f"- {self.link(u, '')}")
        return "\n".join(lines + self.note())

    def unit(self, u: str) -> str:
        lines = self.head(self.name(u))
        meta = self.repo.ctx.org.units.get(u)
        info = [f"`{u}`"]
        if meta is not None:
            info.append(f"{self.t['valid']}: {meta.valid_from} – {meta.valid_to or '…'}")
        if "/" in u:
            info.append(f"{self.t['parent']}: {self.link(u.rsplit('/', 1)[0], u)}")
        lines += [" · ".join(info), "", f"## {self.t['flows']}", "", self.t["flows_intro"], ""]
        lines += self.flows_by_year(u)
        kids = self.kids(u, "flow")
        if kids:
            lines += [f"## {self.t['by_unit']}", ""]
            for f, title in self.pub.flows.items():
                lines += [f"### {self.tx(title)}", ""] + self.by_unit(u, kids, f)
        lines += [f"## {self.t['stages']}", ""] + self.stages(u)
        lines += [f"## {self.t['time']}", ""] + self.timeliness(u)
        lines += [f"## {self.t['complete']}", ""] + self.completeness(u)
        return "\n".join(lines + self.note())

    def kids(self, u: str, metric: str) -> list[str]:
        direct = f"{u}/{DIRECT}"
        out = list(self.pub.children.get(u, []))
        if any(isinstance(k, tuple) and k[0] == metric and k[-1] == direct for k in self.pub.cells):
            out.append(direct)
        return out

    # ------------------------------------------------------------------ tables

    def flows_by_year(self, u: str) -> list[str]:
        years = self.years(u)
        if not years:
            return [self.t["none"], ""]
        flows = list(self.pub.flows.items())
        series = [(self.tx(t), [self.pub.value(("flow", f, y, u)) for y in years]) for f, t in flows]
        chart = grouped_bars(f"chart-{u.replace('/', '-')}", self.t["chart"].format(unit=self.name(u)), years, series,
                             self.t["note"].format(low=self.pub.threshold - 1, t=self.pub.threshold))
        header = [self.t["year"]] + [self.tx(t) for _, t in flows]
        rows = [[y] + [self.pub.shown(("flow", f, y, u)) for f, _ in flows] for y in years]
        rows.append([f"**{self.t['total']}**"] + [self.pub.shown(("flow", f, ALL, u)) for f, _ in flows])
        return [chart, ""] + _table(header, rows)

    def by_unit(self, u: str, kids: list[str], f: str) -> list[str]:
        years = self.years(u)
        header = [self.t["unit"]] + years + [self.t["total"]]
        rows = [[self.link(k, u)] + [self.pub.shown(("flow", f, y, k)) for y in years + [ALL]] for k in kids]
        rows.append([f"**{self.t['total']}** (`{u}`)"] + [self.pub.shown(("flow", f, y, u)) for y in years + [ALL]])
        return _table(header, rows)

    def stages(self, u: str) -> list[str]:
        kids = self.kids(u, "stage")
        rows_units = kids + [u]
        shown = [(s, t) for s, t in self.pub.stages
                 if any(self.pub.cells.get(("stage", s, r), 0) or ("stage", s, r) in self.pub.hidden for r in rows_units)]
        if not shown and not self.pub.cells.get(("stage", ALL, u)):
            return [self.t["none"], ""]
        header = [self.t["unit"]] + [self.tx(t) for _, t in shown] + [self.t["total"]]
        rows = [[self.link(k, u)] + [self.pub.shown(("stage", s, k)) for s, _ in shown + [(ALL, None)]] for k in kids]
        rows.append([f"**{self.t['total']}** (`{u}`)"]
                    + [self.pub.shown(("stage", s, u)) for s, _ in shown + [(ALL, None)]])
        return _table(header, rows)

    def timeliness(self, u: str) -> list[str]:
        rows = []
        for e, title in self.pub.events:
            late = ("late", e, u)
            median = self.pub.median(u, e)
            t = self.pub.times.get((u, e))
            if t is None and not self.pub.cells.get(late) and late not in self.pub.hidden:
                continue
            med = "—" if median is None else f"{median:g} {self.t['days']}"
            target = "" if t is None or t.target is None else f"{t.target:g} {self.t['days']}"
            rows.append([self.tx(title), self.pub.shown(late), med, target])
        out = _table([self.t["step"], self.t["late"], self.t["median"], self.t["target"]], rows) if rows else []
        today = self.repo.ctx.today.isoformat()
        return out + [f"{self.t['overdue'].format(today=today)}: **{self.pub.shown(('overdue', u))}**", ""]

    def completeness(self, u: str) -> list[str]:
        yes, no, total = ("complete", "complete", u), ("complete", "incomplete", u), ("cases", u)
        vy, vn = self.pub.value(yes), self.pub.value(no)
        share = f"{round(100 * vy / (vy + vn))} %" if vy is not None and vn is not None and vy + vn else ""
        rows = [[self.t["complete_row"], self.pub.shown(yes), share], [self.t["incomplete_row"], self.pub.shown(no), ""],
                [f"**{self.t['total']}**", self.pub.shown(total), ""]]
        return _table(["", self.t["cases"], self.t["share"]], rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join([" --- "] + [" ---: "] * (len(header) - 1)) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]
