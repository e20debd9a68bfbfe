"""hoso as a package: the wheel `make dist` builds, its metadata, and hoso installed from it into
fresh environments, the check job's (no site extra) and a data repository's (with it).

The wheel is built offline with no build isolation (`python -m build --no-isolation`, as
`make dist` does). Each fresh environment sees this run's dependencies through a .pth file
but neither its hoso nor, for the check job's, MkDocs and Material: pip installs hoso into
the new environment with no index (PIP_NO_INDEX=1), as tests/test_trust_workflow.py does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest

from hoso import __version__
from tests.conftest import ROOT, TODAY, copy_demo, git
from tests.pr_util import EVENTS, FINAL_REVIEW_EARLY, commit, progress_note, write_case

SOURCE = ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md")
HOSO_OWN = ("hoso-", "__editable__")  # this run's hoso, installed in development mode
SITE_EXTRA = ("mkdocs", "material", "materialx")  # what hoso[site] brings (prefixes)
OFFLINE = {"PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None,
         timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The sdist and the wheel, built from a copy of the source as `make dist` builds them;
    with the build's output."""
    tmp = tmp_path_factory.mktemp("build")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCE:
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "tools", src / "tools", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    out = tmp / "dist"
    env = {**os.environ, **OFFLINE}
    proc = _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(src)], tmp, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return sdist, wheel, proc.stdout + proc.stderr


def _deps(where: Path, leave_out: tuple[str, ...]) -> Path:
    """This run's installed packages, less those whose names start with ``leave_out``."""
    purelib = Path(sysconfig.get_paths()["purelib"])
    where.mkdir()
    for entry in purelib.iterdir():
        if not entry.name.lower().startswith(leave_out) and entry.suffix != ".pth":
            (where / entry.name).symlink_to(entry)
    return where


def _venv(where: Path, deps: Path) -> dict[str, str]:
    """A fresh environment that sees ``deps``; the environment variables that run in it."""
    _run([sys.executable, "-m", "venv", "--without-pip", str(where)], where.parent, timeout=120).check_returncode()
    site = next((where / "lib").glob("python*/site-packages"))
    (site / "deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    env = {**os.environ, **OFFLINE, "PATH": f"{where / 'bin'}{os.pathsep}{os.environ['PATH']}", "TZ": "UTC"}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    return env


def _install(tmp: Path, wheel: Path, extra: str, leave_out: tuple[str, ...]) -> dict[str, str]:
    env = _venv(tmp / "venv", _deps(tmp / "deps", leave_out))
    proc = _run(["python", "-m", "pip", "install", "--quiet", f"{wheel}{extra}"], tmp, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    where = _run(["python", "-c", "import hoso; print(hoso.__file__)"], tmp, env).stdout
    assert where.startswith(str(tmp / "venv")), where  # the wheel's hoso, not this run's
    return env


def _metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as zf:
        return Parser().parsestr(zf.read(f"hoso-{__version__}.dist-info/METADATA").decode("utf-8"))


def test_the_build_is_clean_and_versioned_from_one_place(dist: tuple[Path, Path, str]) -> None:
    sdist, wheel, log = dist
    assert wheel.name == f"hoso-{__version__}-py3-none-any.whl"
    assert sdist.name == f"hoso-{__version__}.tar.gz"
    # PEP 639 metadata: no "License classifiers/table are deprecated" banner from setuptools
    assert "Deprecat" not in log and "SetuptoolsWarning" not in log, log
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and "\nversion =" not in pyproject.split("[tool.")[0]


def test_wheel_metadata(dist: tuple[Path, Path, str]) -> None:
    sdist, wheel, _ = dist
    meta = _metadata(wheel)
    assert meta["Version"] == __version__
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert {"site", "test"} <= set(meta.get_all("Provides-Extra") or [])
    requires = meta.get_all("Requires-Dist") or []
    plain = [r for r in requires if ";" not in r]
    assert not [r for r in plain if r.lower().startswith(SITE_EXTRA)], plain  # the check job gets no MkDocs
    site = {r.split(";")[0].split("<")[0].split(">")[0] for r in requires if 'extra == "site"' in r}
    assert site == {"mkdocs", "mkdocs-material"}
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert f"hoso-{__version__}.dist-info/licenses/LICENSE" in names
    assert {"hoso/site/default/mkdocs.yml", "hoso/site/default/mkdocs.en.yml", "hoso/py.typed"} <= names
    with tarfile.open(sdist) as tf:
        assert f"hoso-{__version__}/LICENSE" in tf.getnames()


def test_check_job_install_validates_without_mkdocs(dist: tuple[Path, Path, str], tmp_path: Path) -> None:
    """`pip install hoso`, as the check and approval jobs do: validate works, MkDocs is absent,
    and `hoso site` says what to install instead of a traceback."""
    _, wheel, _ = dist
    env = _install(tmp_path, wheel, "", HOSO_OWN + SITE_EXTRA)
    proc = _run(["hoso", "--version"], tmp_path, env)
    assert proc.stdout.strip() == f"hoso {__version__}", proc.stdout + proc.stderr
    assert _run(["python", "-c", "import mkdocs"], tmp_path, env).returncode == 1  # really absent
    repo = copy_demo(tmp_path / "repo")
    proc = _run(["hoso", "-C", str(repo), "validate", "--today", TODAY, "--lang", "en"], tmp_path, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 errors" in proc.stdout
    proc = _run(["hoso", "-C", str(repo), "site", "--today", TODAY, "--lang", "en"], tmp_path, env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "pip install 'hoso[site]'" in proc.stderr and "Traceback" not in proc.stderr
    assert not (repo / "site").exists()


def _data_repo(dest: Path) -> Path:
    """A data repository made from the demo: records/, org/, procedures/, hoso.yaml, docs/ and
    its workflow (examples/data-repository/) only, committed on main."""
    repo = copy_demo(dest)
    shutil.copytree(ROOT / "docs", repo / "docs")
    shutil.copytree(ROOT / "examples" / "data-repository" / ".github", repo / ".github")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "data")
    return repo


def test_data_repository_with_the_wheel(dist: tuple[Path, Path, str], tmp_path: Path) -> None:
    """validate, check (a real one-step change and a refused one) and site, in a repository
    holding no code and no mkdocs.yml, by hoso installed from the wheel with the site extra."""
    _, wheel, _ = dist
    env = _install(tmp_path, wheel, "[site]", HOSO_OWN)
    repo = _data_repo(tmp_path / "data")
    assert sorted(p.name for p in repo.iterdir() if p.name != ".git") == \
        [".github", "docs", "hoso.yaml", "org", "procedures", "records"]
    bin_dir = Path(sys.executable).parent  # its workflow lints clean (the test extra's linters)
    for tool, args in (("actionlint", ["-no-color"]), ("zizmor", ["--offline", "--no-progress", "--persona", "pedantic"])):
        proc = _run([str(bin_dir / tool), *args, str(repo / ".github" / "workflows" / "hoso.yml")], repo)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    def hoso(*args: str) -> subprocess.CompletedProcess[str]:
        return _run(["hoso", "-C", str(repo), *args, "--lang", "en"], tmp_path, env)

    proc = hoso("validate", "--today", TODAY)
    assert proc.returncode == 0 and "0 errors" in proc.stdout, proc.stdout + proc.stderr

    git(repo, "checkout", "-q", "-b", "open")  # a case opened in 2024, at help_assigned
    write_case(repo, EVENTS)
    commit(repo, "an open case")
    git(repo, "checkout", "-q", "-b", "step")
    write_case(repo, EVENTS + [progress_note()])
    commit(repo, "a progress note")
    proc = hoso("check", "--base", "open", "--today", "2024-10-20", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [f["rule"] for f in json.loads(proc.stdout)["findings"] if f["severity"] == "error"] == []
    head = git(repo, "rev-parse", "HEAD").strip()
    reviews = tmp_path / "reviews.json"
    for approver, expected in (("xa-a-thon-2-2", 1), ("xa-a-thon-1-3", 0)):  # thôn 2's chi ủy, then thôn 1's
        reviews.write_text(json.dumps([{"user": {"login": approver}, "state": "APPROVED", "commit_id": head,
                                        "submitted_at": "2024-10-20T03:00:00Z"}]), encoding="utf-8")
        proc = hoso("approvals", "--base", "open", "--head", head, "--author", "xa-a-thon-1-2", "--reviews",
                    str(reviews), "--today", "2024-10-20")
        assert proc.returncode == expected, proc.stdout + proc.stderr
    write_case(repo, EVENTS + [progress_note(), FINAL_REVIEW_EARLY])
    commit(repo, "a final review months too early")
    proc = hoso("check", "--base", "open", "--today", "2025-01-20", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "TIME-TOO-EARLY" in {f["rule"] for f in json.loads(proc.stdout)["findings"]}

    git(repo, "checkout", "-q", "main")
    proc = hoso("site", "--today", TODAY)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = repo / "site"
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    assert (site / "quy-trinh" / "hd02-2021" / "index.html").is_file()
    assert (site / "en" / "procedures" / "hd02-2025" / "index.html").is_file()
    assert (site / "status" / "index.html").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "bản trình diễn" in home  # site_name from hoso.yaml
    # hoso's default configuration was used from a scratch directory, never written here
    assert sorted(p.name for p in repo.glob("mkdocs*")) == []
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""
