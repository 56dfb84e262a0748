"""Shared fixtures: the repository, the `backprop` program the tests compare with, and a
folder for what the browser tests read afterwards."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def program() -> str:
    """The release build of the `backprop` program (scripts/python-tests builds it)."""
    path = os.environ.get("BACKPROP_BIN", str(ROOT / "target" / "release" / "backprop"))
    assert os.path.exists(path), f"{path} is missing: run scripts/python-tests, which builds it"
    return path


@pytest.fixture(scope="session")
def artifacts() -> pathlib.Path:
    """Where files for the browser tests go (test-artifacts/python)."""
    path = pathlib.Path(os.environ.get("BACKPROP_PY_ARTIFACTS", ROOT / "test-artifacts" / "python"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def run(program: str, *args: str) -> subprocess.CompletedProcess:
    """Runs the program, failing the test with its stderr when it fails."""
    done = subprocess.run([program, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done
