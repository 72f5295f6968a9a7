"""benchmarks/tuned_gemm.py gives PyTorch's numbers, so `make bench` compares like with like."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

_SPEC = importlib.util.spec_from_file_location("tuned_gemm", Path(__file__).parent.parent / "benchmarks" / "tuned_gemm.py")
tuned_gemm = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(tuned_gemm)


@pytest.mark.parametrize("n, cin, cout, groups, k, s, p, op, d", [
    (1, 1, 1, 1, 2, 2, 0, 0, 1), (3, 4, 6, 2, 3, 2, 1, 1, 1), (17, 8, 4, 1, 4, 2, 1, 0, 1),
    (5, 3, 3, 3, 3, 3, 2, 2, 2), (2, 2, 5, 1, 5, 1, 4, 0, 1)])
def test_tuned_gemm_equals_torch(n, cin, cout, groups, k, s, p, op, d):
    rng = np.random.default_rng(n)
    x = rng.standard_normal((n, cin, 6, 5))
    w = rng.standard_normal((cin, cout // groups, k, k))
    b = rng.standard_normal(cout)
    got = tuned_gemm.conv_transpose2d_tuned(x, w, b, s, p, op, groups, d)
    want = F.conv_transpose2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), s, p, op, groups, d)
    torch.testing.assert_close(torch.from_numpy(got), want)
