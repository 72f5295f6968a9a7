"""tconv_lib: the companion library of the transposed-convolution course.

The package follows the book's parts; each module has one job and reads in one sitting.

* :mod:`tconv_lib.foundations` (chapters 1-5): ``arithmetic`` (sizes, pure integers),
  ``arguments`` (checking a call's arguments), ``reference`` (conv2d and conv_transpose2d in
  NumPy, three ways), ``stages`` (the zero-insertion view, stage by stage), ``examples`` (the
  worked examples), ``design`` (choosing a layer's arguments), ``grids`` and ``figures`` (drawing them);
* :mod:`tconv_lib.upsampling` (chapters 6-9): ``imaging``, ``upsamplers``, ``artifacts``, ``plots``;
* :mod:`tconv_lib.gan` (chapters 10-11): ``data``, ``image_files``, ``dcgan`` (the models), ``shapes``,
  ``checkpoint``, ``train_config``, ``training``, ``quality``, ``diversity``, ``evaluation``, ``latent``
  (latent cells, beyond DCGAN) and the shipped ``weights``;
* :mod:`tconv_lib.real_models` (chapters 12-14): ``decoders``, ``reference_nd``, ``stacks``,
  ``onnx_export``;
* used across the book: :mod:`tconv_lib.explorer` (the interactive explorer),
  :mod:`tconv_lib.device` (device choice, determinism), :mod:`tconv_lib.tracing` (shapes seen
  by forward hooks), :mod:`tconv_lib.tables` (small tables), :mod:`tconv_lib.claims` (conclusions
  checked with a margin), :mod:`tconv_lib.i18n` (the language of printed text and figures) and
  :mod:`tconv_lib.exercises` (the answer checks).

Every function has one import path, its module's: ``from tconv_lib.foundations.reference import
conv_transpose2d``. ``import tconv_lib`` itself loads nothing else, so it is quick and does not
load torch.
"""

__version__ = "0.6.0"  # the install cells ask for at least this (tools/install_cell.py)
