"""mypy (with the django-stubs plugin) runs with the suite, so CI enforces the type checks.

About 11 s from a cold cache (CI), under 1 s warm (.mypy_cache, gitignored): not marked slow.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "ecoute", "config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
