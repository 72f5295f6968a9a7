"""Answer checks for the exercise notebooks: call one on your answer, read its report.

Each check compares the answer with PyTorch on the example from the text plus
seeded random cases ordered from simple to general (the first failure points at
the parameter to revisit), prints a short report and returns a CheckResult. It
never raises because of the answer: an exception, ``None``, a missing answer
(see :func:`answer`), a wrong type, shape or dtype is a failure with a hint that
does not give the solution away.

Every check has one import path, this package: ``tconv_lib.exercises.check_zero_insert``. The
code behind them is split by book part into private modules, ``_foundations`` (chapters 1-5),
``_models`` (layers and generators), ``_decoders`` (chapter 12) and ``_beyond`` (chapters
13-14); ``_core`` holds what they share.
Introduced in chapters/01_what_is_transposed_convolution (its closing exercise).
"""
from ._beyond import (
                          check_conv_transpose1d,
                          check_dropped_output_padding,
                          check_exported_decoder,
                          check_onnx_attributes,
                          check_round_trip_nd,
                          check_smooth_gradient,
)
from ._core import CheckResult, Missing, answer
from ._decoders import check_any_size_unet, check_center_crop, check_decoder_output_padding, check_encoder_sizes
from ._foundations import (
                          check_conv_matrix,
                          check_conv_transpose2d,
                          check_output_size,
                          check_round_trip_output_padding,
                          check_shape_by_hand,
                          check_zero_insert,
)
from ._models import check_dcgan_generator, check_even_overlap, check_generator_1_to_28, check_upsampler

__all__ = ["CheckResult", "Missing", "answer", "check_any_size_unet", "check_center_crop", "check_conv_matrix",
           "check_conv_transpose1d", "check_conv_transpose2d", "check_dcgan_generator", "check_decoder_output_padding",
           "check_dropped_output_padding", "check_encoder_sizes", "check_even_overlap", "check_exported_decoder",
           "check_generator_1_to_28", "check_onnx_attributes", "check_output_size", "check_round_trip_nd",
           "check_round_trip_output_padding", "check_shape_by_hand", "check_smooth_gradient", "check_upsampler",
           "check_zero_insert"]
