"""Shared inputs of the Python tests."""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The ONNX model builders the lit tests use (mlp.py, torch_like.py).
sys.path.insert(0, str(ROOT / "test" / "Tools" / "Inputs"))


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def mlp_model():
    """MatMul + bias + Relu in float16."""
    import mlp
    return mlp.build()
