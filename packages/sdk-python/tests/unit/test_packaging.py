"""The package builds a wheel with the standard toolchain (pip + setuptools, no network) and installs
into a virtual environment, py.typed included."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]


def pip(*args):
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_builds_a_wheel_and_installs_it_into_a_venv(tmp_path):
    # A copy: setuptools writes build/ and *.egg-info next to the sources.
    source = tmp_path / "sdk-python"
    source.mkdir()
    shutil.copy(PACKAGE / "pyproject.toml", source)
    shutil.copy(PACKAGE / "README.md", source)
    shutil.copytree(PACKAGE / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    pip("wheel", str(source), "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp_path / "dist"))
    (wheel,) = (tmp_path / "dist").glob("runtrail-0.1.0-py3-none-any.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "runtrail/py.typed" in names and "runtrail/__init__.py" in names and "runtrail/aio.py" in names
    assert not [name for name in names if "test" in name]
    metadata = zipfile.ZipFile(wheel).read("runtrail-0.1.0.dist-info/METADATA").decode()
    assert "Requires-Python: >=3.9" in metadata and "Requires-Dist" not in metadata  # no dependencies

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip("--python", str(python), "install", "--no-index", "--no-deps", str(wheel))
    done = subprocess.run(
        [str(python), "-c", "import runtrail, sys; print(runtrail.__file__); print(runtrail.Runtrail.__name__)"],
        capture_output=True, text=True, cwd=tmp_path, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert done.returncode == 0, done.stderr
    location, name = done.stdout.split()
    assert location.startswith(str(venv)) and name == "Runtrail"
