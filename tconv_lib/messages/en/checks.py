"""English: the exercise checks' reports, shared parts and the foundations checks (tconv_lib.exercises)."""

MESSAGES: dict[str, str] = {
    # the report (exercises._core.run_cases) and the answer lookup
    "check.failed": "{name}: FAILED on case {case} ({described})\n  hint: {hint}",
    "check.passed_all": "{name}: all {n} cases passed",
    "check.passed": "{name}: passed",
    "check.named": "{name}: {text}",
    "check.could_not_check": "could not check your answer ({type}: {error})",
    "check.no_answer_repr": "<no answer: {name} is not defined>",
    "check.no_answer": "no answer yet: `{name}` is not defined. Write your answer in the cell above and run that cell "
                       "before this check",
    "check.is_none": "{what} is None: assign your answer to it (did a function forget its `return`?)",
    # calling the answer, and comparing what it returns (exercises._core)
    "check.your_function": "your function",
    "check.your_answer": "your answer",
    "check.your_model": "your model",
    "check.your_shape": "your shape",
    "check.not_callable": "expected a function, got a {type}",
    "check.not_implemented": "your function raises NotImplementedError: replace the stub with your code",
    "check.raised": "your function raised {type}: {error}",
    "check.returned_none": "your function returned None: did you forget the `return` statement?",
    "check.not_ndarray": "{what} returned a {type}; return a NumPy array",
    "check.wrong_shape": "{what} returned shape {shape}, expected {expected}{hint}",
    "check.not_numbers": "{what} returned an array of dtype {dtype}; it should hold numbers",
    "check.wrong_dtype": "{what} returned dtype {dtype}, expected {expected} (the dtype of the input)",
    "check.wrong_value": "wrong value at index {index}: got {got:.4g}, PyTorch gives {want:.4g}",
    # build-it-yourself rules (exercises._rules): what each exercise builds, and the verdict on a forbidden call
    "check.torch_convolution": "PyTorch's convolution ({op})",
    "check.forbidden_passed": "this passes the cases, but your function calls {calls}, which this exercise asks you "
                              "to build yourself ({what}): as it stands it will score 0",
    "check.forbidden_also": "also, your function calls {calls}, which this exercise asks you to build yourself "
                            "({what}): as it stands it will score 0",
    "rule.zero_insertion": "zero insertion",
    "rule.transposed_convolution": "the transposed convolution",
    "rule.matrix": "the matrix, from where the kernel lands",
    "rule.crop": "the crop, by slicing",
    "rule.conv_transpose1d": "ConvTranspose1d by zero insertion",
    # check_output_size, check_round_trip_output_padding
    "check.size_not_int": "your function returned {got!r} ({type}); return an int (// divides integers)",
    "check.size_wrong": "got {got}, PyTorch gives {want}; revisit how {name} changes the size",
    "check.op_not_int": "your function returned {got!r} ({type}); return an int",
    "check.rejects": "PyTorch rejects output_padding={op}: {error}",
    "check.round_trip": "with output_padding={op} the round trip gives size {got}, not {want}; compute the size after "
                        "Conv2d first, then after ConvTranspose2d",
    # check_zero_insert, check_conv_transpose2d, check_conv_matrix
    "check.transposed": "your result is transposed: keep rows as rows",
    "check.scatter_flipped": "your kernel is flipped: the scatter form stamps the kernel as it is, without flipping it",
    "check.scatter_mirrored": "your kernel is mirrored along one axis: the scatter form stamps the kernel as it is",
    "check.not_flipped": "your kernel is not flipped: in the zero-insertion view the kernel slides over the "
                         "zero-inserted input flipped in both directions (rows and columns)",
    "check.flipped_one_axis": "your kernel is flipped along one axis only: flip it along both, rows and columns",
    "check.empty_slice": "; with padding=0 a slice such as out[0:-0] is empty: crop with out[p:out.shape[0] - p] instead",
    "check.your_matrix_function": "your function (one row per output pixel, one column per input pixel)",
    "check.rows_reversed": "your rows are in reverse order: row i belongs to output pixel i in row-major order",
    # check_shape_by_hand
    "check.shape_tuple": "give the whole shape as a tuple such as (1, 1, 5, 5), got {got!r}",
    "check.shape_ints": "every entry of the shape must be an int, got {got!r}",
    "check.shape_dims": "the output has {want} dimensions, your shape has {got}",
    "check.too_large": "{dim} is too large; recount it with the size formula",
    "check.too_small": "{dim} is too small; recount it with the size formula",
    "case.module_on": "{module} on an input of shape {shape}",
}
