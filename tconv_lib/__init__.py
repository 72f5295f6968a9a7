"""tconv_lib: the companion library of the transposed-convolution course.

Modules, each with one job (read any of them in one sitting):

* :mod:`tconv_lib.arithmetic` - shape arithmetic (pure integers, no torch);
* :mod:`tconv_lib.reference` - NumPy conv2d / conv_transpose2d that match PyTorch;
* :mod:`tconv_lib.viz` - static figures; :mod:`tconv_lib.explorer` - the interactive explorer
  (a widget in Jupyter, a self-contained script in the HTML book);
* :mod:`tconv_lib.device` - device choice and determinism switches;
* :mod:`tconv_lib.imaging`, :mod:`tconv_lib.upsamplers`, :mod:`tconv_lib.artifacts` - upsampling chapters;
* :mod:`tconv_lib.data`, :mod:`tconv_lib.dcgan`, :mod:`tconv_lib.gan_training`, :mod:`tconv_lib.quality`,
  :mod:`tconv_lib.diversity`, :mod:`tconv_lib.gan_report` - DCGAN chapters;
* :mod:`tconv_lib.decoders`, :mod:`tconv_lib.reference_nd`, :mod:`tconv_lib.stacks`,
  :mod:`tconv_lib.onnx_export` - transposed convolution in real models;
* :mod:`tconv_lib.exercises` - the exercise checks (the student edition is built by tools/edition.py).

``import tconv_lib as tl`` loads only the first two; ``tl.viz`` and the others
are imported the first time they are used, so the package stays quick to
import and torch is loaded only by the modules that need it.
"""
from importlib import import_module

from . import arithmetic, reference

__version__ = "0.2.0"  # the install cells ask for at least this (tools/install_cell.py)

_LAZY = ("artifacts", "data", "dcgan", "decoders", "device", "diversity", "explorer", "exercises", "gan_report",
         "gan_training", "imaging", "onnx_export", "quality", "reference_nd", "stacks", "upsamplers", "viz")
__all__ = ["arithmetic", "reference", *_LAZY, "__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
