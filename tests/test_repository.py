"""The repository carries everything it needs: nothing in it reads the steering folder beside it."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Built from parts so that this file does not match itself.
OUTSIDE = re.compile(r"\.\./" + "shared" + r"|parents\[\d\]\s*/\s*['\"]" + "shared" + "['\"]")
# Prose may name the folder (docs say where the seed's facts came from); code and data may not.
PROSE = ("README.md", "docs/")


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30
        ).stdout
        names = [name for name in out.decode().split("\0") if name]
    except (OSError, subprocess.SubprocessError):
        # An export without git: walk the tree instead.
        skip = {".venv", ".git", "node_modules", "staticfiles", "media", "test-artifacts"}
        names = [
            str(path.relative_to(ROOT))
            for path in ROOT.rglob("*")
            if path.is_file() and not skip & set(path.relative_to(ROOT).parts)
        ]
    return [ROOT / name for name in names if not name.startswith(PROSE)]


def test_it_reads_nothing_outside_the_repository():
    offenders = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "files that read outside the repository:\n" + "\n".join(offenders)
