"""Messages for every rule id, in Vietnamese (default) and English.

Each entry is a format string over the finding's arguments. A rule id is stable: tests, CI
annotations and users' muscle memory depend on it; the words may improve.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class L(NamedTuple):
    """An argument that reads differently in each language."""

    vi: str
    en: str

CATALOG: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ YAML
    "YAML-SYNTAX": {
        "vi": "YAML không hợp lệ: {problem}",
        "en": "invalid YAML: {problem}",
    },
    "YAML-DUPLICATE-KEY": {
        "vi": "khóa '{key}' bị lặp (đã có ở dòng {first}); mỗi khóa chỉ được xuất hiện một lần",
        "en": "duplicate key '{key}' (first at line {first}); each key may appear once",
    },
    "YAML-ALIAS": {
        "vi": "không dùng anchor/alias ('&{name}', '*{name}') trong hồ sơ; hãy viết đầy đủ giá trị",
        "en": "anchors and aliases ('&{name}', '*{name}') are not allowed; write the value out",
    },
    "YAML-MERGE-KEY": {
        "vi": "không dùng khóa gộp '<<' trong hồ sơ; hãy viết đầy đủ các khóa",
        "en": "merge keys '<<' are not allowed; write the keys out",
    },
    "YAML-TAG": {
        "vi": "không dùng thẻ kiểu YAML ('{tag}'); kiểu dữ liệu do mô hình hồ sơ quyết định",
        "en": "YAML tags ('{tag}') are not allowed; the record model decides types",
    },
    "YAML-MULTI-DOC": {
        "vi": "mỗi tệp chỉ chứa một tài liệu YAML (không dùng '---' lần thứ hai)",
        "en": "one YAML document per file (no second '---')",
    },
    "YAML-TOO-LARGE": {
        "vi": "tệp quá lớn ({size} byte, giới hạn {limit} byte)",
        "en": "file too large ({size} bytes, limit {limit})",
    },
    "YAML-ENCODING": {
        "vi": "tệp không phải văn bản UTF-8 hợp lệ (hoặc chứa ký tự NUL)",
        "en": "file is not valid UTF-8 text (or contains a NUL character)",
    },
    "YAML-TOO-DEEP": {
        "vi": "cấu trúc lồng nhau quá sâu (giới hạn {limit} cấp)",
        "en": "nesting too deep (limit {limit} levels)",
    },
    "YAML-COMPLEX-KEY": {
        "vi": "khóa phải là một giá trị đơn, không phải danh sách hay bảng",
        "en": "a key must be a plain value, not a list or mapping",
    },
    "YAML-CONTROL-CHAR": {
        "vi": "ký tự điều khiển {char} không được dùng: git và trang review hiển thị khác với những gì chương trình đọc (chỉ dùng tab và xuống dòng LF hoặc CRLF)",
        "en": "control character {char} is not allowed: git and the review page would show something else than what is read (only tab and LF or CRLF line ends)",
    },
    "YAML-BIDI": {
        "vi": "ký tự đảo chiều văn bản {char} không được dùng: nó làm nội dung hiển thị khác với nội dung thật",
        "en": "bidirectional control character {char} is not allowed: it makes the text display differently from what it is",
    },
    # ---------------------------------------------------------------- schema
    "SCHEMA-MISSING": {
        "vi": "thiếu trường bắt buộc '{field}'",
        "en": "missing required field '{field}'",
    },
    "SCHEMA-UNKNOWN-KEY": {
        "vi": "trường '{field}' không có trong quy định{hint}",
        "en": "unknown field '{field}'{hint}",
    },
    "SCHEMA-TYPE": {
        "vi": "'{field}' phải là {expected}{got}",
        "en": "'{field}' must be {expected}{got}",
    },
    "SCHEMA-VALUE": {
        "vi": "giá trị '{value}' của '{field}' không hợp lệ; giá trị được phép: {allowed}",
        "en": "'{field}' has value '{value}'; allowed: {allowed}",
    },
    "SCHEMA-DATE": {
        "vi": "'{field}' phải là ngày có thật, dạng YYYY-MM-DD (nhận được '{value}')",
        "en": "'{field}' must be a real date written YYYY-MM-DD (got '{value}')",
    },
    "SCHEMA-FORMAT": {
        "vi": "'{field}' không đúng định dạng ({detail})",
        "en": "'{field}' has the wrong format ({detail})",
    },
    "SCHEMA-TOO-SHORT": {
        "vi": "'{field}' cần ít nhất {min} mục",
        "en": "'{field}' needs at least {min} items",
    },
    "SCHEMA-REQUIRED-WHEN": {
        "vi": "thiếu '{field}', bắt buộc khi {cond}",
        "en": "missing '{field}', required when {cond}",
    },
    "SCHEMA-CONST": {
        "vi": "'{field}' phải là {value}",
        "en": "'{field}' must be {value}",
    },
    "SCHEMA-UNKNOWN-EVENT": {
        "vi": "bước '{event}' không có trong quy trình {procedure}; các bước: {allowed}",
        "en": "event '{event}' is not in procedure {procedure}; events: {allowed}",
    },
    # --------------------------------------------------------------- records
    "REC-CASE-ID": {
        "vi": "mã hồ sơ '{case}' phải trùng tên tệp '{stem}'",
        "en": "case id '{case}' must equal the file name '{stem}'",
    },
    "REC-PATH": {
        "vi": "hồ sơ của đơn vị '{unit}' phải nằm ở '{expected}'",
        "en": "a case of unit '{unit}' belongs at '{expected}'",
    },
    "REC-UNKNOWN-PROCEDURE": {
        "vi": "không có quy trình '{procedure}' trong thư mục procedures/; có: {allowed}",
        "en": "no procedure '{procedure}' in procedures/; available: {allowed}",
    },
    "REC-DUPLICATE-CASE": {
        "vi": "mã hồ sơ '{case}' đã dùng ở '{other}'",
        "en": "case id '{case}' is already used by '{other}'",
    },
    "REC-SECOND-OPEN-CASE": {
        "vi": "đảng viên {member} đã có hồ sơ đang mở {first} ({where}) theo quy trình {procedure} (các phiên bản của một quy trình); mỗi đảng viên chỉ có một hồ sơ đang mở theo một quy trình",
        "en": "member {member} already has an open case {first} ({where}) under {procedure} (versions of one procedure); a member has one open case per procedure",
    },
    # -------------------------------------------------------------- sequence
    "SEQ-FIRST-EVENT": {
        "vi": "hồ sơ phải mở bằng bước {allowed}, không phải '{event}'",
        "en": "a case must open with {allowed}, not '{event}'",
    },
    "SEQ-NOT-ALLOWED": {
        "vi": "bước '{event}' không được phép sau giai đoạn '{stage}'; bước được phép: {allowed}",
        "en": "event '{event}' is not allowed at stage '{stage}'; allowed: {allowed}",
    },
    "SEQ-DATE-ORDER": {
        "vi": "ngày {date} sớm hơn bước trước ({previous}); lịch sử phải theo thứ tự thời gian",
        "en": "date {date} is before the previous event ({previous}); history must be in date order",
    },
    "SEQ-PROCEDURE-NOT-IN-FORCE": {
        "vi": "quy trình '{procedure}' không có hiệu lực ngày {date} (hiệu lực {start} – {end})",
        "en": "procedure '{procedure}' is not in force on {date} (in force {start} – {end})",
    },
    "SEQ-MEMBER-STATUS": {
        "vi": "kết quả '{outcome}' chỉ áp dụng cho đảng viên {allowed}; đảng viên này là '{status}'",
        "en": "outcome '{outcome}' applies only to {allowed} members; this member is '{status}'",
    },
    "CORRECT-TARGET": {
        "vi": "bước sửa sai thứ {index} phải chỉ một bước ghi trước nó (không phải một bước sửa sai khác); '{target}' không hợp lệ",
        "en": "correction {index} must name an earlier step (not another correction); '{target}' does not",
    },
    "SEQ-MIGRATE": {
        "vi": "không thể chuyển sang quy trình '{procedure}': {detail}",
        "en": "cannot move to procedure '{procedure}': {detail}",
    },
    # ------------------------------------------------------------------ votes
    "VOTE-ARITHMETIC": {
        "vi": "số phiếu không khớp: {detail}",
        "en": "ballot tallies do not add up: {detail}",
    },
    "VOTE-THRESHOLD": {
        "vi": "biểu quyết chưa đạt: {for_} phiếu tán thành, cần {need} ({threshold} của {base} {of})",
        "en": "vote below threshold: {for_} in favour, {need} needed ({threshold} of {base} {of})",
    },
    "VOTE-RESULT-MISMATCH": {
        "vi": "ghi kết quả '{declared}' nhưng số phiếu cho thấy '{actual}' ({for_} tán thành, ngưỡng {need})",
        "en": "result recorded as '{declared}' but the tally says '{actual}' ({for_} in favour, threshold {need})",
    },
    "VOTE-SECRET": {
        "vi": "biểu quyết này phải bằng phiếu kín (secret: true)",
        "en": "this vote must be a secret ballot (secret: true)",
    },
    # ------------------------------------------------------------------- time
    "TIME-FUTURE": {
        "vi": "ngày {date} ở tương lai (hôm nay {today})",
        "en": "date {date} is in the future (today is {today})",
    },
    "TIME-TOO-EARLY": {
        "vi": "bước '{event}' không được trước {due} ({span} kể từ '{anchor}' ngày {anchor_date})",
        "en": "'{event}' may not come before {due} ({span} after '{anchor}' on {anchor_date})",
    },
    "TIME-LATE": {
        "vi": "bước '{event}' trễ hạn: hạn {due} ({span} kể từ '{anchor}' ngày {anchor_date}), thực hiện {date}",
        "en": "'{event}' is late: due {due} ({span} after '{anchor}' on {anchor_date}), done {date}",
    },
    "TIME-OVERDUE": {
        "vi": "quá hạn: bước '{event}' phải xong trước {due} ({span} kể từ '{anchor}' ngày {anchor_date}); hôm nay {today}",
        "en": "overdue: '{event}' was due by {due} ({span} after '{anchor}' on {anchor_date}); today is {today}",
    },
    "DATE-BOUND": {
        "vi": "'{field}' ({value}) không được {side} {bound} ({bound_date}); quy trình quy định ngày này phụ thuộc ngày kia",
        "en": "'{field}' ({value}) may not be {side} {bound} ({bound_date}); the procedure makes this date depend on that one",
    },
    "REF-MISMATCH": {
        "vi": "'{field}' là '{value}' nhưng phải trùng với {source} = '{expected}'",
        "en": "'{field}' is '{value}' but must repeat {source} = '{expected}'",
    },
    # ------------------------------------------------------------------ roles
    "ROLE-UNKNOWN-OFFICER": {
        "vi": "không có cán bộ mã '{officer}' trong org/officers.yaml",
        "en": "no officer '{officer}' in org/officers.yaml",
    },
    "ROLE-RECORDER": {
        "vi": "'{officer}' không giữ vai trò {roles} tại '{unit}' vào ngày {date}",
        "en": "'{officer}' does not hold {roles} at '{unit}' on {date}",
    },
    "ROLE-FIELD": {
        "vi": "'{field}': '{officer}' không giữ vai trò {roles} tại '{unit}' vào ngày {date}",
        "en": "'{field}': '{officer}' does not hold {roles} at '{unit}' on {date}",
    },
    "ROLE-SELF": {
        "vi": "'{officer}' chính là đảng viên của hồ sơ này; không ai tự ghi nhận, giúp đỡ hay phê duyệt hồ sơ của mình",
        "en": "'{officer}' is the member this case is about; nobody records, helps with or approves their own case",
    },
    "ROLE-NO-BODY": {
        "vi": "không xác định được '{body}' của đơn vị '{unit}' vào ngày {date}",
        "en": "cannot find the '{body}' of unit '{unit}' on {date}",
    },
    # -------------------------------------------------------------------- org
    "ORG-UNKNOWN-UNIT": {
        "vi": "không có đơn vị '{unit}' trong org/units.yaml",
        "en": "no unit '{unit}' in org/units.yaml",
    },
    "ORG-UNIT-INVALID": {
        "vi": "đơn vị '{unit}' không tồn tại vào ngày {date} (hiệu lực {start} – {end})",
        "en": "unit '{unit}' does not exist on {date} (valid {start} – {end})",
    },
    "ORG-UNIT-DISSOLVED": {
        "vi": "hồ sơ đang mở thuộc đơn vị '{unit}' đã giải thể từ {end}; chuyển sang đơn vị kế thừa {successors} bằng bước chuyển hồ sơ",
        "en": "open case in unit '{unit}', dissolved after {end}; move it to a successor {successors} with a transfer event",
    },
    "ORG-UNKNOWN-PARENT": {
        "vi": "đơn vị '{unit}' nằm dưới '{parent}' nhưng '{parent}' không có trong org/units.yaml",
        "en": "unit '{unit}' sits under '{parent}', which is not in org/units.yaml",
    },
    "ORG-PARENT": {
        "vi": "đơn vị '{unit}' ghi cấp trên '{parent}': {detail}",
        "en": "unit '{unit}' names '{parent}' as the unit above: {detail}",
    },
    "ORG-DATES": {
        "vi": "ngày kết thúc {end} sớm hơn ngày bắt đầu {start}",
        "en": "end date {end} is before start date {start}",
    },
    "ORG-DUPLICATE-ID": {
        "vi": "mã '{id}' bị trùng",
        "en": "duplicate id '{id}'",
    },
    "ORG-UNKNOWN-ROLE": {
        "vi": "vai trò '{role}' không có trong quy trình nào; có: {allowed}",
        "en": "role '{role}' is not defined by any procedure; known: {allowed}",
    },
    "ORG-TRANSFER-TARGET": {
        "vi": "không thể chuyển hồ sơ từ '{unit}' sang '{target}': {detail}",
        "en": "cannot move the case from '{unit}' to '{target}': {detail}",
    },
    "ORG-LAYOUT": {
        "vi": "có cả {single} và thư mục {directory}: chỉ dùng một cách (thư mục được dùng, {single} bị bỏ qua); xóa {single}",
        "en": "both {single} and the folder {directory} exist: use one layout (the folder is used, {single} ignored); remove {single}",
    },
    "ORG-SHARD": {
        "vi": "đơn vị '{unit}' không thuộc tỉnh '{province}' nên không được nằm trong {shard}; chuyển sang tệp của tỉnh mình",
        "en": "unit '{unit}' is not under '{province}', so it cannot stand in {shard}; move it to its province's file",
    },
    # -------------------------------------------------------------- procedure
    "PROC-ID-FILE": {
        "vi": "mã quy trình '{id}' phải trùng tên tệp '{stem}'",
        "en": "procedure id '{id}' must equal the file name '{stem}'",
    },
    "PROC-UNKNOWN-EVENT": {
        "vi": "'{where}' nhắc tới bước '{event}' không được định nghĩa",
        "en": "'{where}' names event '{event}', which is not defined",
    },
    "PROC-UNKNOWN-END": {
        "vi": "'{where}' nhắc tới trạng thái kết thúc '{end}' không được định nghĩa",
        "en": "'{where}' names end state '{end}', which is not defined",
    },
    "PROC-UNKNOWN-REF": {
        "vi": "'{where}' nhắc tới {kind} '{name}' không được định nghĩa",
        "en": "'{where}' names {kind} '{name}', which is not defined",
    },
    "PROC-UNREACHABLE": {
        "vi": "không thể tới bước '{event}' từ bước mở hồ sơ",
        "en": "event '{event}' cannot be reached from the opening event",
    },
    "PROC-DEAD-END": {
        "vi": "sau bước '{event}' không có bước nào tiếp theo và hồ sơ cũng không kết thúc",
        "en": "nothing can follow '{event}' and it ends nothing",
    },
    "PROC-THRESHOLD": {
        "vi": "ngưỡng biểu quyết {num}/{den} phải nằm trong khoảng 0 – 1",
        "en": "vote threshold {num}/{den} must lie between 0 and 1",
    },
    "PROC-VOTE-FIELD": {
        "vi": "'{where}': trường '{field}' phải có kiểu {expected}",
        "en": "'{where}': field '{field}' must be of type {expected}",
    },
    "PROC-NO-OPENING": {
        "vi": "quy trình không có bước mở hồ sơ (opens_case: true)",
        "en": "the procedure has no opening event (opens_case: true)",
    },
    "PROC-FIELD-SPEC": {
        "vi": "'{where}': {detail}",
        "en": "'{where}': {detail}",
    },
    # ------------------------------------------- pull requests, approvals (check)
    "DIFF-HISTORY-EDITED": {
        "vi": "bước thứ {index} ('{event}') đã có trong lịch sử bị sửa (trường '{field}'); lịch sử chỉ được ghi thêm — muốn đính chính, hãy thêm bước sửa sai 'corrected' chỉ tới bước đó (corrects đếm từ 0)",
        "en": "event {index} ('{event}') already in the history was edited (field '{field}'); history is append-only — add a 'corrected' event naming it instead (corrects counts from 0)",
    },
    "DIFF-HISTORY-REORDERED": {
        "vi": "bước thứ {index} ('{event}') đã bị đổi chỗ hoặc có bước chèn vào trước nó; bước mới chỉ được thêm vào cuối lịch sử",
        "en": "event {index} ('{event}') was moved, or an event was inserted before it; new events go at the end of the history",
    },
    "DIFF-HISTORY-REMOVED": {
        "vi": "bước thứ {index} ('{event}') đã bị xóa khỏi lịch sử; lịch sử chỉ được ghi thêm",
        "en": "event {index} ('{event}') was removed from the history; history is append-only",
    },
    "DIFF-HEADER-CHANGED": {
        "vi": "trường '{field}' ở phần đầu hồ sơ không được sửa sau khi lập hồ sơ ('{old}' → '{new}'); nếu quy trình cho phép thay đổi, hãy ghi thêm bước tương ứng",
        "en": "header field '{field}' may not be edited once the case exists ('{old}' → '{new}'); where the procedure allows a change, append the step for it",
    },
    "DIFF-CASE-DELETED": {
        "vi": "hồ sơ '{path}' bị xóa; không hồ sơ nào được xóa (muốn dừng xem xét, hãy thêm bước kết thúc)",
        "en": "case file '{path}' was deleted; no case may be deleted (add an ending event instead)",
    },
    "DIFF-CASE-RENAMED": {
        "vi": "hồ sơ bị đổi tên hoặc chuyển chỗ ('{old}' → '{new}') mà cùng thay đổi không có bước chuyển đơn vị",
        "en": "case file renamed or moved ('{old}' → '{new}') without a unit-transfer event in the same change",
    },
    "DIFF-OPEN-VERSION-EDITED": {
        "vi": "sửa quy trình '{procedure}' trong khi {count} hồ sơ đang mở theo nó (ví dụ {case}); hãy thêm phiên bản mới và bước chuyển quy trình (migrated)",
        "en": "edits procedure '{procedure}' while {count} open cases follow it (e.g. {case}); add a new version and a migrated step instead",
    },
    "DIFF-CASE-EXISTS": {
        "vi": "đã có hồ sơ {case} ở '{other}'",
        "en": "case {case} already exists at '{other}'",
    },
    "DIFF-TOO-MANY-EVENTS": {
        "vi": "một pull request chỉ được thêm tối đa {max} bước vào hồ sơ {case}; thay đổi này thêm {count}",
        "en": "a pull request may add at most {max} event(s) to case {case}; this one adds {count}",
    },
    "DIFF-PROTECTED-PATH": {
        "vi": "thay đổi '{path}' cần người có vai trò '{role}' phê duyệt (mọi tệp ngoài hồ sơ records/<đơn vị>/<mã>.yaml: quy trình, tổ chức, mã nguồn, CI, tài liệu, cài đặt, tệp mới)",
        "en": "changing '{path}' needs approval by the '{role}' role (every file but a case file records/<unit>/<id>.yaml: procedures, organisation, code, CI, docs, settings, new files)",
    },
    "DIFF-NO-MAINTAINER-ROLE": {
        "vi": "hoso.yaml của commit gốc không khai báo maintainer_role: không ai phê duyệt được thay đổi quy trình, tổ chức, CI",
        "en": "the base commit's hoso.yaml sets no maintainer_role: nobody can approve changes to procedures, org or CI",
    },
    "DIFF-NO-APPROVER": {
        "vi": "không xác định được '{body}' phê duyệt bước '{event}' của đơn vị '{unit}' ngày {date}",
        "en": "no '{body}' can be found to approve '{event}' of unit '{unit}' on {date}",
    },
    "DIFF-CASE-OUTSIDE-RECORDS": {
        "vi": "'{path}' là một hồ sơ nhưng không nằm ở thư mục của đơn vị trong records/ (records/<đơn vị>/<mã hồ sơ>.yaml); hồ sơ chỉ được lập ở đó",
        "en": "'{path}' is a case file outside its unit's folder under records/ (records/<unit>/<case id>.yaml); a case may only be opened there",
    },
    "DIFF-NOT-A-FILE": {
        "vi": "'{path}' là {kind}, không phải tệp thường; kho hồ sơ không nhận liên kết tượng trưng hay submodule",
        "en": "'{path}' is {kind}, not a regular file; the repository accepts no symbolic links or submodules",
    },
    "DIFF-CACHE-COMMITTED": {
        "vi": "'{path}' thuộc bộ nhớ đệm .hoso-cache, không bao giờ được đưa vào kho",
        "en": "'{path}' belongs to the .hoso-cache result cache, which is never committed",
    },
    "DIFF-BACKDATED": {
        "vi": "bước '{event}' ghi ngày {date}, trước {days} ngày so với ngày {reference} của nhánh gốc (giới hạn: cảnh báo sau {warn} ngày, lỗi sau {error} ngày; hoso.yaml: backdate_warning_days, backdate_error_days)",
        "en": "'{event}' is dated {date}, {days} days before the base branch's date {reference} (limits: warning after {warn} days, error after {error}; hoso.yaml: backdate_warning_days, backdate_error_days)",
    },
    "DIFF-TRANSFER-TARGET": {
        "vi": "không chuyển được hồ sơ từ '{unit}' sang '{target}': {detail}",
        "en": "the case cannot move from '{unit}' to '{target}': {detail}",
    },
    # No input reaches this check since YAML-CONTROL-CHAR: a defence in depth, so no example.
    "YAML-LINE-COUNT": {
        "vi": "trình đọc YAML thấy {parsed} dòng nhưng git hiển thị {shown} dòng: tệp có ký tự ngắt dòng ẩn",
        "en": "the YAML parser sees {parsed} lines where git shows {shown}: the file has a hidden line break",
    },
    "APPROVAL-MISSING": {
        "vi": "bước '{event}' của hồ sơ {case} cần {count} phê duyệt của {roles} thuộc '{unit}' (ngày {date}) trên commit mới nhất; mới có {have}",
        "en": "'{event}' of case {case} needs {count} approval(s) by {roles} of '{unit}' (on {date}) on the latest commit; has {have}",
    },
    "APPROVAL-MISSING-MAINTAINER": {
        "vi": "thay đổi '{path}' cần phê duyệt của vai trò '{roles}' trên commit mới nhất; mới có {have}",
        "en": "changing '{path}' needs approval by the '{roles}' role on the latest commit; has {have}",
    },
    "APPROVAL-NOT-COUNTED": {
        "vi": "phê duyệt của @{login} không được tính: {reason}",
        "en": "the approval by @{login} does not count: {reason}",
    },
    "APPROVAL-AUTHOR-NOT-OFFICER": {
        "vi": "người mở pull request @{login} không có trong danh sách cán bộ: chỉ cán bộ mới ghi nhận được bước '{event}'",
        "en": "the pull request's author @{login} is not in the roster: only an officer can record '{event}'",
    },
    "APPROVAL-RECORDER-NOT-AUTHOR": {
        "vi": "bước '{event}' của hồ sơ {case} ghi người ghi nhận {recorder}, nhưng pull request do {officer} (@{login}) mở: "
              "mỗi cán bộ tự mở pull request cho bước mình ghi nhận",
        "en": "'{event}' of case {case} names {recorder} as its recorder, but {officer} (@{login}) opened the pull request: "
              "each officer opens the pull request for the steps they record",
    },
    "APPROVAL-UNSIGNED-COMMIT": {
        "vi": "commit {sha} của pull request không có chữ ký mà forge đã xác minh; kho này yêu cầu ký mọi commit (signed_commits)",
        "en": "commit {sha} of the pull request carries no signature the forge verified; this repository asks for signed commits (signed_commits)",
    },
    "APPROVAL-FOREIGN-COMMIT": {
        "vi": "commit {sha} của pull request thuộc về @{login}, không phải người mở @{author}: "
              "mọi commit phải của người ghi nhận; hãy mở pull request mới từ nhánh chỉ có commit của mình",
        "en": "commit {sha} of the pull request is attributed to @{login}, not its author @{author}: "
              "every commit must be the recorder's; open a new pull request from a branch of your own commits",
    },


    # ------------------------------------------------ officer tooling (record, due)


    # ---------------------------------------------------- site, status, disclosure


    # ------------------------------------------------------- performance, caching


    # ---------------------------------------------------------- infrastructure
    "FILE-UNREADABLE": {
        "vi": "không đọc được tệp: {detail}",
        "en": "cannot read the file: {detail}",
    },
    "FILE-MISSING": {
        "vi": "thiếu tệp bắt buộc",
        "en": "required file is missing",
    },
    "FILE-MORE-FINDINGS": {
        "vi": "còn {count} phát hiện {rule} khác trong tệp này, không liệt kê (đã liệt kê {shown} phát hiện đầu)",
        "en": "{count} more {rule} findings in this file are not listed (the first {shown} are)",
    },
}


def render(rule: str, args: dict[str, Any], lang: str = "vi") -> str:
    entry = CATALOG.get(rule)
    if entry is None:
        return rule + (": " + ", ".join(f"{k}={v}" for k, v in args.items()) if args else "")
    template = entry.get(lang) or entry["vi"]
    args = {k: (getattr(v, lang, v.vi) if isinstance(v, L) else v) for k, v in args.items()}
    try:
        return template.format(**args)
    except (KeyError, IndexError, ValueError):
        return template + " " + ", ".join(f"{k}={v}" for k, v in sorted(args.items()))
