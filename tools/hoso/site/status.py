"""The anonymised status pages: ``status/index.md``, a page per top-level unit (a province, or a
district before 2025), a page per commune, and the published tables as open data in
``status/data.json``.

Pure functions from the validated repository to strings; the site build only writes them.
Every number comes from :mod:`hoso.site.publish` (docs/cong-bo-so-lieu.md: what is published,
at which level, and why), and the pages show exactly the cells of ``data.json``.

A top-level unit's page carries its tables when the publication rules publish it, and lists its
communes. A commune's page carries **no figure at all**: its name, its place in the unit tree and
a link to its province, where the figures are. It is made from ``org/`` units alone (public
geography), for every commune whether or not it holds a case, so that neither its content nor its
existence says anything about the records; and no commune figure can be set against its
province's to recover a hidden cell.
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
        "banner": "Dữ liệu mô phỏng",  # Vietnamese pages carry no English (the theme's banner says the same)
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
        "all_units": "Tất cả đơn vị cấp cao nhất", "communes": "Xã, phường, đặc khu",
        "unpublished": "Đơn vị này chưa có số liệu được công bố: chỉ công bố đơn vị đã có từ {m} hồ sơ trở lên, "
                       "và chỉ những năm đã kết thúc.",
        "commune_note": "Số liệu chỉ được công bố ở cấp tỉnh (cấp cao nhất): trang của xã không có số liệu nào, để "
                        "không ai có thể lấy số của tỉnh trừ đi số của các xã mà suy ra một trường hợp. Số liệu: "
                        "[{parent}]({link}). Lý do: [Công bố số liệu và bảo vệ danh tính]({why}).",
        "search_hint": "Tìm một xã, phường: gõ tên vào ô tìm kiếm.",
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
        "all_units": "Every top-level unit", "communes": "Communes and wards",
        "unpublished": "No figures are published for this unit yet: only units that have held {m} cases or more "
                       "are published, and only for years that have ended.",
        "commune_note": "Figures are published at province (top) level only: a commune's page carries none, so that "
                        "no one can subtract the communes' figures from their province's and single out a case. "
                        "Figures: [{parent}]({link}). Why: [Publishing figures without revealing anyone]({why}).",
        "search_hint": "To find a commune or ward, type its name into the search box.",
    },
}
WHY = {"vi": "../cong-bo-so-lieu.md", "en": "../publication.md"}


def page_path(unit: str) -> str:
    """``status/<province>.md``, and ``status/<province>/<commune>.md`` below it."""
    return f"status/{unit}.md"


def link(from_unit: str | None, to_unit: str) -> str:
    """A relative Markdown link from a status page (None: the status index) to a unit's page."""
    here = page_path(from_unit).rsplit("/", 1)[0] if from_unit else "status"
    up = "../" * here.count("/")
    return up + page_path(to_unit).removeprefix("status/")


def top_units(repo: Repo) -> list[str]:
    """Every top-level unit of the tree (no parent), in id order."""
    return sorted(u for u in repo.ctx.org.units if "/" not in u)


def communes(repo: Repo) -> dict[str, list[str]]:
    """Top-level unit → its direct sub-units (the communes), in id order."""
    out: dict[str, list[str]] = {u: [] for u in top_units(repo)}
    for u in sorted(repo.ctx.org.units):
        if u.count("/") == 1 and u.split("/", 1)[0] in out:
            out[u.split("/", 1)[0]].append(u)
    return out


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
    return pages_of(repo, publication(repo, results), lang)


def pages_of(repo: Repo, pub: Publication, lang: str) -> dict[str, str]:
    """The status section from a publication already built (one replay serves both languages)."""
    lang = "en" if lang == "en" else "vi"
    page = _Page(repo, pub, lang, repo.settings.synthetic)
    out = {"status/index.md": page.index()}
    for top, subs in communes(repo).items():
        out[page_path(top)] = page.unit(top, subs)
        for c in subs:
            out[page_path(c)] = page.commune(c, top)
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
            lines += [self.t["none"], ""] if self.pub.through is not None else []
            return "\n".join(lines + self.all_units())
        lines += [self.t["flows_intro"], ""]
        for u in self.pub.units:
            lines += [f"## [{self.name(u)}]({link(None, u)}) (`{u}`)", ""] + self.flows(u)
        lines += [f"## {self.t['units']}", ""]
        lines += [f"- [{self.name(u)}]({link(None, u)}) (`{u}`)" for u in self.pub.units]
        return "\n".join(lines + [""] + self.all_units() + self.note())

    def all_units(self) -> list[str]:
        """Every top-level unit, published or not: the way to each commune's page."""
        tops = top_units(self.repo)
        if tops == self.pub.units:
            return []
        return [f"## {self.t['all_units']}", ""] + [f"- [{self.name(u)}]({link(None, u)}) (`{u}`)" for u in tops] + [""]

    def validity(self, u: str) -> list[str]:
        meta = self.repo.ctx.org.units.get(u)
        info = [f"`{u}`"]
        if meta is not None:
            info.append(f"{self.t['valid']}: {meta.valid_from} – {meta.valid_to or '…'}")
        return [" · ".join(info), ""]

    def unit(self, u: str, subs: list[str] | None = None) -> str:
        lines = self.head(self.name(u)) + self.validity(u)
        if u not in self.pub.units:
            lines += [self.t["unpublished"].format(m=self.pub.settings.min_cases), ""]
            return "\n".join(lines + self.commune_list(u, subs or []))
        lines += self.scope()
        flows = self.pub.table("flows", u)
        lines += [f"## {self.tx(flows.title)}", "", self.t["flows_intro"], ""] + self.flows(u)
        late = self.pub.table("late", u)
        lines += [f"## {self.tx(late.title)}", ""] + self.table(late)
        return "\n".join(lines + self.note() + self.commune_list(u, subs or []))

    def commune_list(self, u: str, subs: list[str]) -> list[str]:
        if not subs:
            return []
        return ([f"## {self.t['communes']}", "", self.t["search_hint"], ""]
                + [f"- [{self.name(c)}]({link(u, c)})" for c in subs] + [""])

    def commune(self, c: str, top: str) -> str:
        """A commune's page: no figures, only public geography and the way to its province's."""
        lines = self.head(self.name(c)) + self.validity(c)
        lines += [f"{self.t['parent']}: [{self.name(top)}]({link(c, top)})", ""]
        why = "../" * page_path(c).count("/") + WHY[self.lang].removeprefix("../")
        lines += [self.t["commune_note"].format(parent=self.name(top), link=link(c, top), why=why), ""]
        return "\n".join(lines)

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
