"""tconv_lib: the companion library of the transposed-convolution course.

Modules, each with one job:

* :mod:`tconv_lib.arithmetic` - shape arithmetic (pure integers, no torch);
* :mod:`tconv_lib.reference` - NumPy conv2d / conv_transpose2d that match PyTorch;
* further modules (figures, widgets, data, DCGAN, exercise checks) are imported
  on demand: ``from tconv_lib import viz``.
"""
from . import arithmetic, reference

__version__ = "0.1.0"
__all__ = ["arithmetic", "reference", "__version__"]
