"""The text helpers behind the site's accessibility and search: lang="vi" marking on English
pages, diacritic-free search words, the same-page language switch. (The browser tests check the
built pages; these pin the rules down quickly.)"""

from __future__ import annotations

from hoso.site.alternate import links
from hoso.site.langmark import is_vietnamese, mark
from hoso.site.searchfold import add_folded, fold

VI_TO_EN = [{"name": "Tiếng Việt", "link": "./", "lang": "vi"},
            {"name": "English", "link": "en/", "lang": "en",
             "same_page": {"": "", "quy-trinh/": "procedures/", "thuat-ngu/": "glossary/"}}]


def test_vietnamese_words_are_told_from_english_ones() -> None:
    assert all(is_vietnamese(w) for w in ("Văn", "Chấn", "đảng", "Hồ", "xã", "Tiếng"))
    assert not any(is_vietnamese(w) for w in ("case", "file", "A", "02-HD", "Guidance"))


def test_mark_wraps_runs_of_vietnamese_words_and_leaves_markup_alone() -> None:
    html = ('<html><head><title>Văn Chấn</title></head><body><p>Status — Văn Chấn, and <b>Hồ sơ</b> means'
            ' case.</p><svg><title>Cases, Văn Chấn</title><text x="1">Xã Tân Thịnh</text></svg>'
            '<script>var s = "Văn";</script></body></html>')
    out = mark(html)
    assert '<p>Status — <span lang="vi">Văn Chấn</span>, and <b><span lang="vi">Hồ sơ</span></b> means case.</p>' in out
    assert '<text x="1"><tspan lang="vi">Xã Tân Thịnh</tspan></text>' in out
    assert "<title>Văn Chấn</title>" in out and "<title>Cases, Văn Chấn</title>" in out
    assert 'var s = "Văn";' in out


def test_search_words_lose_their_diacritics() -> None:
    assert fold("Bản tự kiểm điểm, Đảng ủy") == "Ban tu kiem diem, Dang uy"
    index = add_folded({"docs": [{"location": "a/", "title": "Kiểm điểm", "text": "<p>cam kết <code>x</code></p>"},
                                 {"location": "b/", "title": "Plain", "text": "nothing to fold"}]})
    assert index["docs"][0]["fold"] == "kiem diem ket"
    assert "fold" not in index["docs"][1]


def test_language_switch_links_to_the_same_page_or_the_home_page() -> None:
    def english(url: str) -> str:
        return next(x["link"] for x in links(url, VI_TO_EN, "vi") if x["lang"] == "en")

    assert english("") == "en/"
    assert english("quy-trinh/hd02-2021/self_review/") == "../../../en/procedures/hd02-2021/self_review/"
    assert english("thuat-ngu/") == "../en/glossary/"
    assert english("muc-dich/") == "../en/"  # no English counterpart: the English home page
    own = next(x["link"] for x in links("thuat-ngu/", VI_TO_EN, "vi") if x["lang"] == "vi")
    assert own == "../thuat-ngu/"
