"""The site at a national tree's shape (a small one: tests/national_util.py): `hoso site` builds
both languages in one process with `--strict`; every commune has a page reached from its
province's, with no figure; the nav stays short; a rebuild renders and writes only the pages whose
content changed and gives the same site as a full build; no identifier from records/ or org/
reaches the site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import TODAY, load_yaml
from tests.national_util import built_national_site, communes, hoso_site, national_repo
from tests.test_site_identifiers import DATE, ID, _strings, example_dates, occurrences


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_national_site(tmp_path_factory)


def html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_every_commune_has_a_page_in_both_languages_reached_from_its_province(repo: Path) -> None:
    site = repo / "site"
    names = communes(repo)
    assert len(names) == 18
    for lang_root in (site, site / "en"):
        for cid, name in names.items():
            page = html(lang_root, f"status/{cid}")
            assert name in page, cid
            province = cid.split("/", 1)[0]
            assert 'href="../"' in page, cid  # its province's page
            assert f'href="{cid.split("/", 1)[1]}/"' in html(lang_root, f"status/{province}"), cid


def test_a_commune_page_carries_no_figure(repo: Path) -> None:
    for cid in communes(repo):
        page = html(repo / "site", f"status/{cid}")
        body = page.split('<article', 1)[1].split("</article>", 1)[0]
        assert "<table" not in body and "<td" not in body and "hoso-chart" not in body, cid


def test_the_nav_stays_short(repo: Path) -> None:
    """A commune page carries the site's short nav, not an entry per commune."""
    cid = next(iter(communes(repo)))
    page = html(repo / "site", f"status/{cid}")
    nav = page.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert len(re.findall(r'class="md-nav__link', nav)) < 20
    assert all(name not in nav for name in communes(repo).values())


def test_figures_only_for_provinces_with_enough_cases(repo: Path) -> None:
    data = load_yaml((repo / "site" / "status" / "data.json").read_text(encoding="utf-8"))
    published = {u["id"] for u in data["units"]}
    assert published and all("/" not in u for u in published)
    assert {t["unit"] for t in data["tables"]} == published


def _national_identifiers(root: Path) -> dict[str, str]:
    """Every case id, member code, document number and event date of the records, and every
    officer id and login of the roster shards (less what org/units publishes by design)."""
    found: dict[str, str] = {}
    for path in sorted((root / "records").rglob("*.yaml")):
        data = load_yaml(path.read_text(encoding="utf-8"))
        for s in [data["case"], data["member"], *_strings(data["history"])]:
            if ID.match(s) or DATE.match(s):
                found.setdefault(s, str(path.relative_to(root)))
    for shard in sorted((root / "org" / "officers").glob("*.yaml")):
        for o in load_yaml(shard.read_text(encoding="utf-8"))["officers"]:
            for s in (o["id"], o["login"], o.get("member")):
                if s:
                    found.setdefault(str(s), str(shard.relative_to(root)))
    public: set[str] = set()
    for path in [*(root / "procedures").glob("*.yaml"), *(root / "org" / "units").glob("*.yaml")]:
        public.update(_strings(load_yaml(path.read_text(encoding="utf-8"))))
    return {s: w for s, w in found.items() if s not in public}


def test_no_identifier_from_records_or_org_on_the_national_site(repo: Path) -> None:
    ids = _national_identifiers(repo)
    assert len(ids) > 100 and any(i.startswith("OF-") for i in ids) and any(i.startswith("can-bo-") for i in ids)
    # the step examples' dates come from the procedures alone (tests/test_site_identifiers.py), and the
    # hand-written pages' samples (docs/) are written by hand: the generator happens to make some too
    allowed = example_dates(repo) | set(occurrences(repo / "docs", ids))
    found = {i: files for i, files in occurrences(repo / "site", ids).items() if i not in allowed}
    assert found == {}, {i: (ids[i], files[:3]) for i, files in sorted(found.items())}


# ----------------------------------------------------------------------------- rebuilds


def _html_files(site: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(site.rglob("*"))
            if p.is_file()}


def _said(proc_stdout: str) -> tuple[int, int]:
    m = re.search(r"(\d+) generated pages written, (\d+) unchanged", proc_stdout)
    assert m, proc_stdout[-2000:]
    return int(m.group(1)), int(m.group(2))


def _open_case(repo: Path) -> tuple[Path, str]:
    for path in sorted((repo / "records").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        last = re.findall(r"(?m)^  - event: (\w+)$", text)
        helper = re.search(r"(?m)^    helper: (\S+)$", text)
        if last and last[-1] in ("help_assigned", "progress_note") and helper:
            return path, helper.group(1)
    raise AssertionError("no open case under help")


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository of its own (the shared one stays as built), built once."""
    repo = national_repo(tmp_path_factory.mktemp("rebuild") / "repo")
    proc = hoso_site(repo)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    written, kept = _said(proc.stdout)
    assert written > 2 * 18 and kept == 0
    return repo


def test_a_rebuild_after_one_new_step_writes_no_page(rebuilt: Path) -> None:
    """A step recorded today changes no published figure (closed years only) and no page: the
    rebuild renders none and leaves every page's file untouched."""
    before = _html_files(rebuilt / "site")
    case, helper = _open_case(rebuilt)
    with case.open("a", encoding="utf-8") as fh:
        fh.write(f'  - event: progress_note\n    date: "{TODAY}"\n    recorded_by: {helper}\n    document: PGN-99/2026\n')
    proc = hoso_site(rebuilt)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert _said(proc.stdout)[0] == 0
    after = _html_files(rebuilt / "site")
    assert set(after) == set(before)
    touched = sorted(p for p in after if after[p][0] != before[p][0] and p.endswith("/index.html"))
    assert touched == []
    assert all(after[p][1] == before[p][1] for p in after if not p.endswith(("sitemap.xml.gz",)))


def test_a_rebuild_writes_only_the_pages_a_change_touches_and_a_full_build_forced_by_an_unsigned_manifest_equals_it(
        rebuilt: Path) -> None:
    """Renaming one commune changes its page and its province's, in both languages: only those
    are rendered and written.

    Then the attack: the site directory and a hand-made manifest (or one committed with the
    repository) saying its pages are current, so that a build keeps pages it never made. The
    manifest carries the machine key's signature like the validate cache; without it the build
    is full, every page is made again (a planted one too), and the site it makes is byte for byte
    the one the incremental rebuild made."""
    shard = sorted((rebuilt / "org" / "units").glob("*.yaml"))[0]
    cid = next(c for c in communes(rebuilt) if shard.stem == c.split("/", 1)[0])
    old = communes(rebuilt)[cid]
    shard.write_text(shard.read_text(encoding="utf-8").replace(f'"{old}"', '"Đảng ủy Xã Đổi Tên"', 1), encoding="utf-8")
    before = _html_files(rebuilt / "site")
    proc = hoso_site(rebuilt)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    mine = _html_files(rebuilt / "site")
    touched = sorted(p for p in mine if p.endswith("/index.html") and mine[p][0] != before[p][0])
    province = cid.split("/", 1)[0]
    commune_pages = {f"{pre}status/{cid}/index.html" for pre in ("", "en/")}
    province_pages = {f"{pre}status/{province}/index.html" for pre in ("", "en/")}
    assert commune_pages <= set(touched) and set(touched) <= commune_pages | province_pages | {
        f"{pre}status/index.html" for pre in ("", "en/")}, touched
    assert "Xã Đổi Tên" in mine[f"status/{cid}/index.html"][1].decode()
    written, kept = _said(proc.stdout)
    assert written == len(touched) and kept > 10 * written

    [manifest] = [m for m in (rebuilt / ".hoso-cache" / "site").glob("*.json") if not m.name.startswith("guides-")]
    mac, _, body = manifest.read_bytes().partition(b"\n")
    assert len(mac) == 64 and body.startswith(b"{")
    manifest.write_bytes(body)  # the same manifest, not signed
    page = next(p for p in sorted((rebuilt / "site").rglob("index.html")) if "/status/" in p.as_posix())
    page.write_text(page.read_text(encoding="utf-8") + "<!-- PLANTED-BY-AN-OFFICER -->", encoding="utf-8")
    again = hoso_site(rebuilt)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert _said(again.stdout) == (written + kept, 0)
    assert "PLANTED-BY-AN-OFFICER" not in page.read_text(encoding="utf-8")
    full = _html_files(rebuilt / "site")
    assert set(mine) == set(full)
    differ = [p for p in mine if mine[p][1] != full[p][1] and not p.endswith("sitemap.xml.gz")]
    assert differ == []
