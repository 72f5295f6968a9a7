"""English strings of the library; keys are ``module.name``, fields in braces (tconv_lib.i18n.message)."""

MESSAGES: dict[str, str] = {
    # tconv_lib.foundations.figures.draw_scatter
    "scatter.input": "INPUT x",
    "scatter.kernel": "KERNEL\n(not flipped)",
    "scatter.canvas": "canvas (padding 0)\noverlaps add up",
    "scatter.cropped": "cropped by padding",
    "scatter.output_padding": "output_padding",
    "scatter.kept": "kept",
    "scatter.output": "OUTPUT",
    "scatter.output_so_far": "OUTPUT\n(so far)",
}
