"""Conclusions a notebook checks with a stated margin, the same way on every machine.

A number printed after a few hundred training steps differs between CPUs in its last
digits, because PyTorch picks its kernels by instruction set and each sums in its own
order. The conclusion drawn from it ("the U-Net beats the decoder without skips by more
than 2 dB") does not, provided it is stated with a margin. :func:`check` prints each
conclusion as a sentence followed by ``True`` (the same text on every machine, so the
tests compare it) and raises :class:`AssertionError` with the measured values when one
fails. It also keeps each value and its bound in :data:`RECORD`, which ``make test-seeds``
(``tools/seed_check.py``) reads to report how much room every conclusion has over seeds
and instruction sets.

First used in chapters/06_upscaling_a_real_image.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .i18n import message

__all__ = ["RECORD", "Claim", "above", "below", "check"]

RECORD: list[dict] = []
"""Every claim :func:`check` has seen in this process, as ``dict(text, value, bound, above, holds, margin)``."""


@dataclass(frozen=True)
class Claim:
    """``value`` must lie strictly above ``bound`` (``above=True``) or strictly below it."""

    text: str
    value: float
    bound: float
    above: bool

    @property
    def holds(self) -> bool:
        """Whether the value lies on the promised side of the bound."""
        return self.value > self.bound if self.above else self.value < self.bound

    @property
    def margin(self) -> float:
        """How far the value lies past the bound, as a fraction of the bound (negative: the claim fails)."""
        room = self.value - self.bound if self.above else self.bound - self.value
        return room / abs(self.bound) if self.bound else room


def _number(name: str, value: object) -> float:
    number = float(value)  # tensors, numpy scalars and bools become plain floats
    if number != number:
        raise ValueError(message("claims.nan", name=name))
    return number


def above(text: str, value: float, bound: float) -> Claim:
    """The claim that ``value > bound``, worded as ``text``."""
    return Claim(text, _number("value", value), _number("bound", bound), above=True)


def below(text: str, value: float, bound: float) -> Claim:
    """The claim that ``value < bound``, worded as ``text``."""
    return Claim(text, _number("value", value), _number("bound", bound), above=False)


def check(*claims: Claim) -> None:
    """Print ``text: True/False`` for each claim, record it, and raise if any fails.

    The error names every failed claim with its value and bound, so a failure on
    another machine says by how much it missed.
    """
    if not claims:
        raise ValueError(message("claims.none"))
    for claim in claims:
        if not isinstance(claim, Claim):
            raise TypeError(message("claims.type", type=type(claim).__name__))
        print(message("claims.line", text=claim.text, holds=claim.holds))
        RECORD.append({**asdict(claim), "holds": claim.holds, "margin": claim.margin})
    failed = [claim for claim in claims if not claim.holds]
    if failed:
        raise AssertionError(message("claims.separator").join(
            message("claims.not_above" if c.above else "claims.not_below", text=c.text, value=c.value, bound=c.bound)
            for c in failed))
