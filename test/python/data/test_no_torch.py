"""The data package imports without torch: the generators run where torch is not installed."""

import os
import subprocess
import sys
from pathlib import Path


def test_the_data_package_imports_without_torch():
    code = "import sys, triqs_nnsolver.data; sys.exit('torch' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3] / "python")}
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == 0
