"""bot/engine/retrieve.py `top_positions`: the n best positive scores, ties at the boundary to earlier positions."""
from __future__ import annotations

import numpy as np
import pytest

from bot.engine.retrieve import top_positions


def _reference(scores: np.ndarray, n: int) -> list[int]:
    positive = [i for i in range(len(scores)) if scores[i] > 0]
    return sorted(sorted(positive, key=lambda i: (-scores[i], i))[:n])


@pytest.mark.parametrize("size", [0, 5, 60, 300, 5_000, 200_000, 200_003])
def test_matches_the_reference_with_ties_and_zeros(size: int) -> None:
    rng = np.random.default_rng(size)
    for trial in range(4):
        # few distinct values (many ties), many zeros: the cases a partition could decide arbitrarily
        scores = rng.integers(0, 6 if trial % 2 else 400, size).astype(np.float32) * np.float32(0.37)
        scores[rng.random(size) < 0.5] = 0
        for n in (1, 60):
            assert top_positions(scores, n).tolist() == _reference(scores, n), (size, trial, n)


def test_sparse_scores_at_scale_fall_back_to_every_match() -> None:
    scores = np.zeros(1_000_000, dtype=np.float32)
    scores[[3, 500_000, 999_999]] = [1.0, 2.0, 1.0]  # fewer matches than the sample needs
    assert top_positions(scores, 60).tolist() == [3, 500_000, 999_999]
    assert top_positions(scores, 2).tolist() == [3, 500_000]
