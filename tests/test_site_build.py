"""A real ``mkdocs build --strict`` of a copy of the repository, and ``hoso site``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hoso.cli import main
from hoso.site import diagram, langmark
from tests.conftest import ROOT, TODAY
from tests.site_util import built_site, built_site_output, guide_pages, site_repo

# what a page loads: scripts, stylesheets, fonts, images, frames (plain <a href> links are not loads)
LOADS = [
    re.compile(r'<script[^>]*\ssrc="([^"]+)"'),
    # (rel=canonical and rel=alternate name a page's address, set from hoso.yaml's site_url; not loads)
    re.compile(r'<link(?![^>]*\srel="(?:canonical|alternate)")[^>]*\shref="([^"]+)"'),
    re.compile(r'<(?:img|iframe|source|audio|video|embed)[^>]*\ssrc="([^"]+)"'),
]
CSS_URL = re.compile(r'(?:url\(\s*[\'"]?|@import\s+[\'"])(https?:)?//', re.I)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory)


def test_english_version_builds(built: Path) -> None:
    for path in guide_pages("en"):
        assert (built / "en" / path.removesuffix(".md").removesuffix("index").strip("/") / "index.html").is_file(), path
    home = (built / "en" / "index.html").read_text(encoding="utf-8")
    assert 'lang="en"' in home and "Synthetic demo data" in home


def test_every_page_is_built(built: Path) -> None:
    for doc in ("index", "muc-dich", "huong-dan-can-bo", "huong-dan-phe-duyet", "khi-ci-chan", "thuat-ngu"):
        assert (built / doc / "index.html" if doc != "index" else built / "index.html").is_file()
    for path in guide_pages():
        html = built / path.removesuffix(".md").removesuffix("index").strip("/") / "index.html"
        assert html.is_file(), path
    assert (built / "search" / "search_index.json").is_file()


def test_step_page_carries_its_diagram_and_example(built: Path) -> None:
    html = (built / "quy-trinh" / "hd02-2021" / "list_voted" / "index.html").read_text(encoding="utf-8")
    assert '<svg class="hoso-diagram"' in html and "hoso-current" in html
    assert "members_total" in html


def test_each_diagram_is_in_its_page_as_the_guide_drew_it(built: Path) -> None:
    """The diagrams wait outside the Markdown while MkDocs renders it (hoso.site.diagram.lift):
    each guide page that draws one carries it, byte for byte as drawn, in both languages, and no
    place it waited in is left."""
    drawn = 0
    for lang, root in (("vi", built), ("en", built / "en")):
        for path, markdown in guide_pages(lang).items():
            _, figures = diagram.lift(markdown, "t")
            html = (root / path.removesuffix(".md").removesuffix("index").strip("/") / "index.html").read_text(encoding="utf-8")
            for figure in figures:
                assert html.count('<svg class="hoso-diagram"') == len(figures), path
                assert (langmark.mark(figure) if lang == "en" else figure) in html, path
            drawn += len(figures)
            assert "hoso-figure-" not in html, path
    assert drawn > 40


def test_only_a_diagram_in_its_box_is_lifted_and_one_with_no_place_in_the_html_is_counted() -> None:
    one, two = '<svg class="hoso-diagram" x="1"><g/></svg>', '<svg class="hoso-diagram"></svg>'
    page = f"a {diagram.figure(one)} b {diagram.figure(two)} `{one}`"  # (the last one, in code, stays)
    text, figures = diagram.lift(page, "k")
    assert figures == [one, two]
    assert text == f"a {diagram.FIGURE}<!--hoso-figure-k-0--></div> b {diagram.FIGURE}<!--hoso-figure-k-1--></div> `{one}`"
    assert diagram.restore(text, "k", figures) == (page, 0)
    assert diagram.restore(text.replace("<!--hoso-figure-k-1-->", ""), "k", figures)[1] == 1


def test_nothing_is_loaded_from_another_host(built: Path) -> None:
    external: list[str] = []
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for pattern in LOADS:
            external += [f"{page}: {u}" for u in pattern.findall(text) if re.match(r"(https?:)?//", u)]
    for css in built.rglob("*.css"):
        if CSS_URL.search(css.read_text(encoding="utf-8")):
            external.append(str(css))
    assert external == []
    index = (built / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in index and "fonts.gstatic" not in index


def test_generated_pages_are_never_in_docs() -> None:
    for path in guide_pages():
        assert not (ROOT / "docs" / path).exists(), path


def test_hoso_site_builds_and_refuses_invalid_records(built: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The shared site is `hoso site`'s (tests/site_util.py): it built, and said where. The same
    command on records with an error builds nothing."""
    assert (built / "index.html").is_file() and (built / "en" / "index.html").is_file()
    said = built_site_output(tmp_path_factory)
    assert "0 lỗi" in said and "trang vào site/" in said, said

    repo = site_repo(tmp_path / "repo")
    bad = next((repo / "records").rglob("*.yaml"))
    bad.write_text(bad.read_text(encoding="utf-8").replace("member_status: full", "member_status: maybe"), encoding="utf-8")
    assert main(["-C", str(repo), "site", "--today", TODAY, "--site-dir", "site2"]) == 1
    assert not (repo / "site2").exists()
    assert "error" in capsys.readouterr().out


def test_every_page_is_in_the_sitemap(built: Path) -> None:
    """hoso.yaml's site_url becomes each build's site_url (English under en/): the sitemaps list
    every page under it."""
    base = yaml.safe_load((built.parent / "hoso.yaml").read_text(encoding="utf-8"))["site_url"]
    for root, url in ((built, base), (built / "en", base + "en/")):
        listed = set(re.findall(r"<loc>([^<]+)</loc>", (root / "sitemap.xml").read_text(encoding="utf-8")))
        pages = {(url + "/".join(p.parent.relative_to(root).parts) + "/").replace(url + "/", url)
                 for p in root.rglob("index.html") if root != built or p.relative_to(root).parts[0] != "en"}
        assert len(pages) > 20 and pages <= listed, sorted(pages - listed)[:5]
