"""The anonymised status pages: ``status/index.md``, one page per published unit, and the same
tables as open data in ``status/data.json``.

Pure functions from the validated repository to strings; the site build only writes them.
Every number comes from :mod:`hoso.site.publish` (docs/cong-bo-so-lieu.md: what is published,
at which level, and why), and the pages show exactly the cells of ``data.json``.
"""

from __future__ import annotations

import json
import re
from html import escape

from hoso.base import Text
from hoso.repository import RecordResult, Repo
from hoso.site.charts import grouped_bars
from hoso.site.publish import Dimension, Publication, Table, build, settings
from hoso.stats import case_views

DATA = "status/data.json"
HIDDEN = "—"
# visually hidden, still read aloud (the theme has no such class); hoso.css positions the table's
# box so that these stay inside the table's scroller instead of widening the page on a phone
SPOKEN = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"

T: dict[str, dict[str, str]] = {
    "vi": {
        "banner": "Dữ liệu mô phỏng — synthetic demo data",
        "banner_body": "Mọi hồ sơ trong kho này là dữ liệu mô phỏng: không có người thật, đơn vị thật.",
        "title": "Tình hình thực hiện", "year": "Năm", "unit": "Đơn vị",
        "flows_intro": "Mỗi bước được tính cho đơn vị cấp cao nhất quản lý hồ sơ vào thời điểm đó.",
        "scope": "Chỉ công bố số liệu của đơn vị cấp cao nhất (huyện, tỉnh) đã có từ {m} hồ sơ trở lên, và chỉ "
                 "những năm đã kết thúc (đến hết năm {through}). Không công bố số của xã, chi bộ, không có dòng tổng, "
                 "không có số liệu của năm đang diễn ra. Lý do: [Công bố số liệu và bảo vệ danh tính]({why}). "
                 "Cùng các bảng này, dạng dữ liệu mở: [data.json]({data}).",
        "none": "Chưa có số liệu công bố.",
        "hidden": "ẩn: một số từ 1 đến {low}", "hidden_word": "ẩn",
        "note": "Dấu — : một số từ 1 đến {low}, được che để bảo vệ danh tính. Số 0 là không có trường hợp nào.",
        "units": "Các đơn vị được công bố", "parent": "Đơn vị cấp trên", "valid": "Hiệu lực",
        "chart": "Số trường hợp theo năm, {unit}",
    },
    "en": {
        "banner": "Dữ liệu mô phỏng — synthetic demo data",
        "banner_body": "Every case file in this repository is synthetic: no real person, no real unit.",
        "title": "Status", "year": "Year", "unit": "Unit",
        "flows_intro": "Each step counts for the top-level unit that held the case at the time.",
        "scope": "Figures are published only for top-level units (district, province) that have held {m} cases "
                 "or more, and only for years that have ended (up to the end of {through}). Nothing is published "
                 "for communes or party cells, there are no total rows, and no figures for the current year. Why: "
                 "[Publishing figures without revealing anyone]({why}). The same tables as open data: "
                 "[data.json]({data}).",
        "none": "No figures published yet.",
        "hidden": "hidden: a count from 1 to {low}", "hidden_word": "hidden",
        "note": "— : a count from 1 to {low}, hidden to protect identities. 0 means no case.",
        "units": "Published units", "parent": "Parent unit", "valid": "In force",
        "chart": "Cases per year, {unit}",
    },
}
WHY = {"vi": "../cong-bo-so-lieu.md", "en": "../publication.md"}


def page_path(unit: str) -> str:
    return f"status/{unit.replace('/', '-')}.md"


def threshold(repo: Repo) -> int:
    return settings(repo.ctx.procedures).threshold


def publication(repo: Repo, results: list[RecordResult]) -> Publication:
    return build(case_views(results), repo.ctx.procedures, repo.ctx.today)


def data_json(repo: Repo, pub: Publication) -> str:
    names = {u: unit.name for u, unit in repo.ctx.org.units.items()}
    text = json.dumps(pub.to_json(repo.settings.synthetic, names), ensure_ascii=False, indent=1)
    return re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text) + "\n"


def pages(repo: Repo, results: list[RecordResult], lang: str) -> dict[str, str]:
    """docs-relative path → content for the status section (Markdown pages and data.json)."""
    lang = "en" if lang == "en" else "vi"
    pub = publication(repo, results)
    page = _Page(repo, pub, lang, repo.settings.synthetic)
    out = {"status/index.md": page.index()}
    for u in pub.units:
        out[page_path(u)] = page.unit(u)
    out[DATA] = data_json(repo, pub)
    return out


class _Page:
    def __init__(self, repo: Repo, pub: Publication, lang: str, synthetic: bool) -> None:
        self.repo, self.pub, self.lang, self.synthetic = repo, pub, lang, synthetic
        self.t = T[lang]
        self.low = pub.threshold - 1

    def tx(self, text: Text) -> str:
        return text.get(self.lang)

    def name(self, unit: str) -> str:
        u = self.repo.ctx.org.units.get(unit)
        return u.name if u is not None else unit

    def head(self, title: str) -> list[str]:
        lines = [f"# {title}", ""]
        if self.synthetic:
            lines += ['<div class="admonition warning hoso-synthetic" role="note">'
                      f'<p class="admonition-title">{self.t["banner"]}</p><p>{self.t["banner_body"]}</p></div>', ""]
        return lines

    def scope(self) -> list[str]:
        if self.pub.through is None:
            return [self.t["none"], ""]
        return [self.t["scope"].format(m=self.pub.settings.min_cases, through=self.pub.through, why=WHY[self.lang],
                                       data="data.json"), ""]

    def note(self) -> list[str]:
        return ["", "_" + self.t["note"].format(low=self.low) + "_", ""]

    # ------------------------------------------------------------------- pages

    def index(self) -> str:
        lines = self.head(self.t["title"]) + self.scope()
        if not self.pub.units:
            return "\n".join(lines + ([self.t["none"], ""] if self.pub.through is not None else []))
        lines += [self.t["flows_intro"], ""]
        for u in self.pub.units:
            lines += [f"## [{self.name(u)}]({page_path(u).split('/', 1)[1]}) (`{u}`)", ""] + self.flows(u)
        lines += [f"## {self.t['units']}", ""]
        lines += [f"- [{self.name(u)}]({page_path(u).split('/', 1)[1]}) (`{u}`)" for u in self.pub.units]
        return "\n".join(lines + self.note())

    def unit(self, u: str) -> str:
        lines = self.head(self.name(u))
        meta = self.repo.ctx.org.units.get(u)
        info = [f"`{u}`"]
        if meta is not None:
            info.append(f"{self.t['valid']}: {meta.valid_from} – {meta.valid_to or '…'}")
        lines += [" · ".join(info), ""] + self.scope()
        flows = self.pub.table("flows", u)
        lines += [f"## {self.tx(flows.title)}", "", self.t["flows_intro"], ""] + self.flows(u)
        late = self.pub.table("late", u)
        lines += [f"## {self.tx(late.title)}", ""] + self.table(late)
        return "\n".join(lines + self.note())

    # ------------------------------------------------------------------ tables

    def flows(self, u: str) -> list[str]:
        table = self.pub.table("flows", u)
        series = [(self.tx(table.cols.titles[f]), [table.value(y, f) for y in table.rows.values])
                  for f in table.cols.values]
        chart = grouped_bars(f"chart-{u.replace('/', '-')}", self.t["chart"].format(unit=self.name(u)),
                             table.rows.values, series, self.t["note"].format(low=self.low),
                             hidden_word=self.t["hidden_word"])
        return [chart, ""] + self.table(table)

    def table(self, table: Table) -> list[str]:
        """A table as HTML: column and row headers with their scope, '—' with its meaning spoken."""
        cols = "".join(f'<th scope="col">{escape(self._title(table.cols, c))}</th>' for c in table.cols.values)
        head = f'<thead><tr><th scope="col">{escape(self.t["year"])}</th>{cols}</tr></thead>'
        body = "".join(f'<tr><th scope="row">{escape(r)}</th>' + "".join(self.cell(v) for v in row) + "</tr>"
                       for r, row in zip(table.rows.values, table.cells))
        caption = f"<caption>{escape(self.tx(table.title))} ({escape(self.name(table.unit))})</caption>"
        return [f"<table>{caption}{head}<tbody>{body}</tbody></table>", ""]

    def _title(self, dim: Dimension, value: str) -> str:
        return self.tx(dim.titles[value]) if value in dim.titles else value

    def cell(self, value: int | None) -> str:
        if value is not None:
            return f"<td>{value}</td>"
        said = escape(self.t["hidden"].format(low=self.low))
        return f'<td><abbr title="{said}" aria-hidden="true">{HIDDEN}</abbr><span style="{SPOKEN}">{said}</span></td>'
