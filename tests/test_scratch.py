"""The run's scratch space (tests/conftest.py): pytest's directories and the temporary files of
every process a test starts are in one place, in memory when the run chose it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import MEMORY_SCRATCH


def test_pytest_and_the_processes_it_starts_share_one_scratch_space(tmp_path: Path) -> None:
    root = Path(tempfile.gettempdir()).resolve()
    assert tmp_path.resolve().is_relative_to(root), (tmp_path, root)
    child = subprocess.run([sys.executable, "-c", "import tempfile; print(tempfile.gettempdir())"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(child).resolve() == root


def test_a_run_that_chose_memory_keeps_its_files_there(tmp_path: Path) -> None:
    """Where the run chose memory, every worker's tmp_path is on /dev/shm; where it did not (TMPDIR
    given, or no room), tmp_path is where TMPDIR says, never moved to memory behind the developer's back."""
    in_memory = tmp_path.resolve().is_relative_to(MEMORY_SCRATCH.resolve())
    if os.environ.get("HOSO_TEST_SCRATCH") == "memory":
        assert in_memory and os.environ["TMPDIR"] == str(MEMORY_SCRATCH), tmp_path
    else:
        assert in_memory == Path(tempfile.gettempdir()).resolve().is_relative_to(MEMORY_SCRATCH.resolve())
