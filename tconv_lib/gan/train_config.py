"""The settings of a DCGAN training run, apart from what it trains: one frozen object, ``TrainConfig``.

Introduced in chapters/11_training_a_dcgan.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import message


@dataclass(frozen=True)
class TrainConfig:
    """The hyper-parameters of :func:`tconv_lib.gan.training.train_dcgan`, whose other arguments are the run's objects.

    ``num_epochs`` passes over the data in batches of ``batch_size``, stopping after
    ``max_steps`` steps if that comes first; Adam's ``lr`` and ``betas``; ``seed`` seeds the
    data order, every z and the augmentation; ``augment=True`` shows netD every batch through
    :func:`tconv_lib.gan.training.diff_augment` with this ``cutout``; a snapshot every
    ``snapshot_every`` steps; ``ema_decay`` for the ``ema`` copy of netG. Frozen: vary a
    recipe with ``dataclasses.replace(config, seed=1)``.
    """

    num_epochs: int = 1
    batch_size: int = 64
    lr: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    seed: int = 0
    max_steps: int | None = None
    snapshot_every: int | None = None
    augment: bool = False
    cutout: float = 0.5
    ema_decay: float = 0.999

    def __post_init__(self) -> None:
        if not isinstance(self.augment, bool):
            raise TypeError(message("training.augment", got=self.augment))
