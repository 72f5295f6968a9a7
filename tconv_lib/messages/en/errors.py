"""English: errors a learner's arguments can raise in the foundations, the figures, claims, tables, device and explorer."""

MESSAGES: dict[str, str] = {
    "errors.one_of": "{name} must be one of {allowed}, got {got!r}",
    # tconv_lib.foundations.arithmetic
    "arithmetic.not_int": "{name} must be an int, got {value!r} ({type})",
    "arithmetic.int_nonnegative": "{name} must be a non-negative int, got {value}",
    "arithmetic.int_positive": "{name} must be a positive int, got {value}",
    "arithmetic.int_at_least": "{name} must be an int of at least {minimum}, got {value}",
    "arithmetic.a_pair": "a pair (h, w)",
    "arithmetic.n_values": "{ndim} values (one per axis)",
    "arithmetic.int_or": "{name} must be an int or {shape}, got {n} values: {value!r}",
    "arithmetic.int_or_tuple": "{name} must be an int or a tuple of ints, got {value!r} ({type})",
    "arithmetic.list_sep": ", ",
    "arithmetic.has_n": "{name} has {n}",
    "arithmetic.per_axis": "per-axis arguments must have the same number of values, one per axis "
                           "(a pair (h, w) for a 2-D layer): {shown}",
    "arithmetic.positive": "{name} must be positive, got {value}",
    "arithmetic.non_negative": "{name} must be non-negative, got {value}",
    "arithmetic.output_padding": "output_padding ({op}) must be smaller than stride ({s}) or dilation ({d})",
    "arithmetic.conv_too_small": "size ({size}) plus padding is smaller than the dilated kernel ({span}): "
                                 "conv output size would be <= 0",
    "arithmetic.padding_too_large": "output size would be {o} (<= 0): padding ({p}) is too large for "
                                    "size={size}, kernel_size={k}, stride={s}, dilation={d}",
    # tconv_lib.foundations.arguments
    "arguments.not_array": "{name} must be an array of real numbers: {error}",
    "arguments.dtype": "{name} must hold real numbers (int or float), got dtype {dtype}",
    "arguments.in_channels": "in_channels ({channels}) must equal weight.shape[0] ({got}): the ConvTranspose weight is {layout}",
    "arguments.divisible": "{name} ({channels}) must be divisible by groups ({groups})",
    "arguments.conv_channels": "weight.shape[1] * groups ({w} * {groups}) must equal the input's channels ({channels}): "
                               "the Conv weight is {layout}",
    "arguments.weight_ndim": "weight must be {n}-D {layout}, got {ndim}-D shape {shape}",
    "arguments.x_ndim": "x must be {n}-D (C, {axes}) or {n1}-D (N, C, {axes}), got {ndim}-D shape {shape}",
    "arguments.no_channels": "{side} must be positive: a layer with 0 channels has nothing to compute, "
                             "got x of shape {x} and weight of shape {weight}",
    "arguments.bias": "bias must have shape ({n},) (one value per output channel), got {shape}",
    # tconv_lib.foundations.reference, .stages
    "reference.zero_insert_ndim": "x must have at least {n} dimensions, one per stride, got shape {shape}",
    "reference.matrix_weight": "weight must be 2-D (kH, kW) or 4-D (C_out, C_in, kH, kW), got shape {shape}",
    "stages.not_2d": "x and kernel must be 2-D (H, W) here, got shapes {x} and {kernel}",
    # tconv_lib.foundations.figures, .grids; tconv_lib.upsampling.plots
    "figures.not_2d": "x and kernel must be 2-D, got shapes {x} and {kernel}",
    "figures.step": "step must be an input index in [0, {size}), got {step}",
    "figures.ax_count_panels": "ax must hold {n} axes for these panels, got {got}",
    "figures.ax_count": "ax must hold {n} axes, got {got}",
    "grids.values": "values must be 2-D (H, W), got shape {shape}",
    "grids.roles": "roles must have the shape of values {shape}, got {got}",
    "grids.highlight": "highlight must be a boolean mask of shape {shape} or a (rows, cols) window, got shape {got}",
    "plots.titles": "titles must hold one title per image ({n}), got {got}",
    "plots.values_ndim": "values must have at least 2 dimensions (H, W), got shape {shape}",
    "plots.values_stride": "values shape {shape} must be a multiple of stride ({stride})",
    # tconv_lib.claims, tconv_lib.tables, tconv_lib.device
    "claims.none": "check() needs at least one claim",
    "claims.type": "check() takes Claim objects (from above() or below()), got {type}",
    "claims.nan": "{name} is NaN, so no claim about it can hold",
    "tables.rows": "rows must have {n} cells each, like header",
    "device.prefer": "{var} / prefer must be 'cpu', 'cuda' or 'auto', got {got!r}",
    "device.no_cuda": "{var}=cuda was requested but PyTorch sees no CUDA GPU",
    # tconv_lib.explorer: a grid set from Python
    "explorer.grid_rows": "{name} must be a non-empty list of rows of numbers, got {value!r}",
    "explorer.grid_rectangular": "{name} must be rectangular and non-empty, got row lengths {lengths}",
    "explorer.grid_limit": "{name} may have at most {limit} rows and columns, got {rows}x{cols}",
    "explorer.grid_finite": "{name} must hold finite numbers, got {value!r}",
}
