"""The rule reference page: every rule id hoso reports, what it means, how a finding reads, and
how to fix it, generated from the message catalogue so that no rule goes undocumented.

SARIF output (``--format sarif``) carries the same "how to fix" text as each rule's ``help``
and, where ``hoso.yaml`` gives the site's address, a link to the rule's entry on this page.
"""

from __future__ import annotations

import re
import string
from collections import defaultdict

from hoso.messages import CATALOG

PAGE = {"vi": "quy-tac.md", "en": "rules.md"}
TITLE = {"vi": "Các quy tắc kiểm tra", "en": "The rules hoso checks"}
INTRO = {
    "vi": "Mỗi phát hiện của `hoso validate`, `hoso check` và `hoso approvals` có một **mã quy tắc**. "
          "Trang này liệt kê mọi mã: nghĩa là gì, một dòng báo lỗi mẫu (với giá trị giả định) và cách sửa. "
          "Trang được sinh từ chính danh mục thông báo của hoso, nên không mã nào bị bỏ sót.",
    "en": "Every finding of `hoso validate`, `hoso check` and `hoso approvals` has a **rule id**. This page "
          "lists them all: what each means, a sample finding (with made-up values) and how to fix it. It is "
          "generated from hoso's own message catalogue, so no rule goes undocumented.",
}
# Areas, by the rule id's prefix: a title and the fix that applies unless the rule has its own.
AREAS: dict[str, dict[str, tuple[str, str]]] = {
    "YAML": {"vi": ("Cú pháp YAML", "Sửa tệp tại dòng và cột được báo; viết giá trị đầy đủ, không dùng tính năng "
                                    "nâng cao của YAML. Chạy lại `hoso validate` để kiểm tra."),
             "en": ("YAML syntax", "Fix the file at the line and column given; write values out plainly, without "
                                   "YAML's advanced features. Run `hoso validate` again.")},
    "SCHEMA": {"vi": ("Dữ liệu của bước", "Đối chiếu với bảng \"Dữ liệu và văn bản cần có\" trên trang của bước "
                                          "(mục Quy trình): đúng tên trường, đúng kiểu, đủ trường bắt buộc."),
               "en": ("A step's data", "Compare with the step's page (Procedures): the field names, their types, "
                                       "and every required field.")},
    "REC": {"vi": ("Tệp hồ sơ", "Tệp phải ở `records/<mã đơn vị>/<mã hồ sơ>.yaml`, mã hồ sơ trong tệp trùng tên tệp, "
                                "và dùng một quy trình có trong `procedures/`."),
            "en": ("Case files", "A case file stands at `records/<unit id>/<case id>.yaml`, its `case` equals its "
                                 "name, and it follows a procedure of `procedures/`.")},
    "SEQ": {"vi": ("Thứ tự các bước", "Chạy `hoso next MÃ-HỒ-SƠ` để xem bước nào được ghi bây giờ; không bỏ bước, "
                                      "ghi theo thứ tự thời gian."),
            "en": ("The order of steps", "Run `hoso next CASE` to see which steps are allowed now; skip none, and "
                                         "record them in date order.")},
    "DATE": {"vi": ("Ngày phụ thuộc nhau", "Mỗi ngày phải nằm sau (hoặc trước) những ngày mà quy trình nêu cho nó: "
                                          "xem bảng \"ngày nào giới hạn ngày nào\" trên trang tổng quan của quy trình."),
             "en": ("Dates that depend on each other", "Each date must fall after (or before) the dates the procedure "
                                                      "names for it: see the \"which date bounds which\" table on the "
                                                      "procedure's overview page.")},
    "REF": {"vi": ("Số văn bản nhắc lại", "Số văn bản phải trùng với số đã ghi ở bước trước (ví dụ quyết định bị "
                                           "khiếu nại): chép đúng từ bước đó."),
            "en": ("References that repeat", "The reference must equal the one an earlier step recorded (e.g. the "
                                             "decision appealed): copy it from that step.")},
    "CORRECT": {"vi": ("Bước sửa sai", "Bước `corrected` phải chỉ đúng số thứ tự của một bước đã có (bước đầu là 0) "
                                       "và chỉ sửa những trường bước đó có."),
                "en": ("Corrections", "A `corrected` step must name an existing step by its index (the first is 0) "
                                      "and change only fields that step has.")},
    "VOTE": {"vi": ("Biểu quyết", "Đối chiếu biên bản: ngưỡng tính trên số đảng viên được tính (không phải số có "
                                  "mặt), số phiếu phải cộng được, bỏ phiếu kín ghi `secret: true`."),
             "en": ("Votes", "Check the minutes: thresholds count eligible members (not those present), the "
                             "tallies must add up, and a secret ballot says `secret: true`.")},
    "TIME": {"vi": ("Thời hạn", "Ghi đúng ngày thực hiện. Bước trễ hạn chặn cần cấp có thẩm quyền xử lý; không "
                                "ghi lùi ngày để tránh cảnh báo."),
             "en": ("Time limits", "Record the real date. A step past a blocking limit needs the competent body; "
                                   "never back-date to avoid a warning.")},
    "ROLE": {"vi": ("Vai trò", "Kiểm tra mã cán bộ và vai trò của họ vào ngày của bước trong `org/officers.yaml`; "
                               "nếu vai trò vừa thay đổi, cập nhật danh sách trước (pull request riêng)."),
             "en": ("Roles", "Check the officer id and their role on the step's date in `org/officers.yaml`; if "
                             "a role just changed, update the roster first (its own pull request).")},
    "ORG": {"vi": ("Tổ chức", "Sửa `org/units.yaml` hoặc `org/officers.yaml` tại dòng được báo (cần người quản "
                              "trị phê duyệt)."),
            "en": ("The organisation", "Fix `org/units.yaml` or `org/officers.yaml` at the line given (the "
                                       "maintainers approve it).")},
    "PROC": {"vi": ("Định nghĩa quy trình", "Sửa tệp trong `procedures/` (cần người quản trị phê duyệt); không sửa "
                                            "phiên bản mà hồ sơ đang mở còn theo: thêm phiên bản mới."),
             "en": ("Procedure definitions", "Fix the file in `procedures/` (the maintainers approve it); never edit "
                                             "a version open cases follow: add a new version.")},
    "DIFF": {"vi": ("Thay đổi trong pull request", "Lịch sử chỉ được ghi thêm: mỗi pull request thêm đúng một "
                                                   "bước vào một hồ sơ; muốn đính chính, thêm một bước đính chính."),
             "en": ("What a pull request changes", "History is append-only: a pull request adds one step to one "
                                                   "case; to correct, add a correcting step.")},
    "APPROVAL": {"vi": ("Phê duyệt", "Mời đúng người có vai trò cần thiết phê duyệt commit mới nhất; người mở pull "
                                     "request phải là người ghi nhận bước. Xem trang Phê duyệt."),
                 "en": ("Approvals", "Ask the people with the role needed to approve the latest commit; whoever "
                                     "opens the pull request records its step. See the approvals page.")},
    "FILE": {"vi": ("Tệp", "Kiểm tra tệp có tồn tại và đọc được."), "en": ("Files", "Check that the file exists and can be read.")},
}
OTHER = {"vi": ("Khác", "Xem thông báo."), "en": ("Other", "Read the message.")}
# Rules whose fix says more than their area's.
FIXES: dict[str, dict[str, str]] = {
    "YAML-SYNTAX": {"vi": "Thường do thụt lề: mỗi bước bắt đầu bằng `  - event:`, các trường thụt thêm hai dấu cách.",
                    "en": "Usually indentation: each step starts with `  - event:`, its fields two spaces further in."},
    "YAML-DUPLICATE-KEY": {"vi": "Xóa dòng thừa: mỗi trường chỉ ghi một lần.", "en": "Delete the extra line: each key once."},
    "SCHEMA-DATE": {"vi": "Viết ngày có thật dạng `\"YYYY-MM-DD\"`, ví dụ `\"2024-03-14\"`.",
                    "en": "Write a real date as `\"YYYY-MM-DD\"`, e.g. `\"2024-03-14\"`."},
    "SCHEMA-UNKNOWN-KEY": {"vi": "Tên trường gõ sai: sửa theo trang của bước.", "en": "A misspelt field: use the step page's name."},
    "VOTE-THRESHOLD": {"vi": "Ngưỡng tính trên số được tính biểu quyết, không phải số có mặt; đối chiếu biên bản.",
                       "en": "The threshold counts eligible members, not those present; check the minutes."},
    "VOTE-SECRET": {"vi": "Thêm `secret: true` vào `ballot`.", "en": "Add `secret: true` to the `ballot`."},
    "TIME-TOO-EARLY": {"vi": "Chờ tới hạn (ví dụ hết 12 tháng giúp đỡ); không ghi lùi ngày.",
                       "en": "Wait until the step is due (e.g. the 12 months of help); never back-date."},
    "ORG-UNIT-DISSOLVED": {"vi": "Ghi bước chuyển hồ sơ sang đơn vị kế thừa.", "en": "Record the transfer to a successor unit."},
    "DIFF-HISTORY-EDITED": {"vi": "Hoàn tác sửa đổi; muốn đính chính, thêm bước đính chính nêu bước cần sửa.",
                            "en": "Undo the edit; to correct, add a correcting step naming the step to correct."},
    "DIFF-PROTECTED-PATH": {"vi": "Thay đổi ngoài `records/` cần người quản trị phê duyệt; tách khỏi pull request ghi bước.",
                            "en": "A change outside `records/` needs a maintainer; keep it out of a step's pull request."},
    "APPROVAL-RECORDER-NOT-AUTHOR": {"vi": "Người ghi nhận tự mở pull request cho bước của mình (`hoso record --branch`).",
                                     "en": "The recorder opens the pull request for their own step (`hoso record --branch`)."},
    "FILE-MORE-FINDINGS": {"vi": "Sửa các phát hiện cùng quy tắc đã liệt kê rồi chạy lại `hoso validate`: phần còn "
                                 "lại sẽ hiện ra. Nhiều phát hiện giống nhau thường do dán nhầm cả một khối vào tệp.",
                           "en": "Fix the listed findings of the same rule and run `hoso validate` again: the rest "
                                 "will show. Many alike usually means a whole block was pasted into the file."},
    "APPROVAL-FOREIGN-COMMIT": {"vi": "Mở lại pull request từ một nhánh chỉ có commit của người ghi nhận.",
                                "en": "Open the pull request again from a branch of the recorder's own commits."},
}


class _Sample(dict[str, str]):
    """Format arguments that read as a placeholder: «name»."""

    def __missing__(self, key: str) -> str:
        return f"«{key}»"


def fix(rule: str, lang: str) -> str:
    """How to fix a finding of ``rule``: its own advice, or its area's."""
    own = FIXES.get(rule, {}).get(lang)
    prefix = rule.split("-", 1)[0]
    return own or AREAS.get(prefix, {}).get(lang, OTHER[lang])[1]


def sample(rule: str, lang: str) -> str:
    text = CATALOG[rule][lang]
    try:
        return string.Formatter().vformat(text, (), _Sample())
    except (ValueError, IndexError, KeyError):
        return text


def anchor(rule: str) -> str:
    """The id MkDocs gives the rule's heading."""
    return re.sub(r"[^a-z0-9-]", "", rule.lower())


def page(lang: str) -> str:
    lang = "en" if lang == "en" else "vi"
    grouped: dict[str, list[str]] = defaultdict(list)
    for rule in CATALOG:
        grouped[rule.split("-", 1)[0]].append(rule)
    order = [p for p in AREAS if p in grouped] + sorted(p for p in grouped if p not in AREAS)
    severity = "error" if lang == "en" else "lỗi"
    lines = [f"# {TITLE[lang]}", "", INTRO[lang], ""]
    for prefix in order:
        title = AREAS.get(prefix, OTHER)[lang][0] if prefix in AREAS else OTHER[lang][0]
        lines += [f"## {title}", ""]
        for rule in sorted(grouped[prefix]):
            lines += [f"### {rule}", "", sample(rule, lang), "",
                      "```text", f"records/…/XX-2099-001.yaml:12:5: {severity} {rule} {sample(rule, lang)}", "```", "",
                      ("**Cách sửa:** " if lang == "vi" else "**How to fix:** ") + fix(rule, lang), ""]
    return "\n".join(lines)


def pages(lang: str) -> dict[str, str]:
    return {PAGE["en" if lang == "en" else "vi"]: page(lang)}
