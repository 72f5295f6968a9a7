"""English: what the library's figures show (titles, panel captions, legends, axis labels)."""

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
    # tconv_lib.foundations.figures.draw_stages
    "stages.input": "INPUT x",
    "stages.inserted": "zeros inserted\n(stride {stride}: {between} between)",
    "stages.processing": "processing image\n{border}",
    "stages.border": "border b = d(k-1)-p = {amount}",
    "stages.border_axes": "border d(k-1)-p: rows {rows},\ncolumns {columns}",
    "stages.crop": "{b}: crop {crop}",
    "stages.kernel": "KERNEL (flipped)",
    "stages.kernel_dilated": "KERNEL (flipped)\ndilation {d}: holes",
    "stages.hole": "hole (skipped)",
    "stages.output": "OUTPUT",
    # tconv_lib.foundations.grids.legend_roles: the roles of processing-image cells (stages.Role)
    "roles.inserted": "inserted zero",
    "roles.input": "input",
    "roles.border": "implicit border",
    "roles.extra": "output_padding",
    # tconv_lib.foundations.figures.draw_overlap
    "overlap.title": "overlap count, kernel_size={kernel_size}, stride={stride}",
    # tconv_lib.foundations.figures.draw_padding_contrast
    "padding_figure.conv_input": "Conv2d input + padding {p}\n(zeros added: {shape})",
    "padding_figure.conv_output": "Conv2d output\n{shape}",
    "padding_figure.full": "ConvTranspose2d full output\n(padding 0: {shape})",
    "padding_figure.cropped_output": "ConvTranspose2d output\n(crop {p} per side: {shape})",
    "padding_figure.input": "input",
    "padding_figure.zeros_added": "zeros added (Conv2d)",
    "padding_figure.cropped": "cropped (ConvTranspose2d)",
    "padding_figure.kept": "kept",
    # tconv_lib.upsampling.plots.draw_losses
    "plots.loss_per_step": "loss per step",
    "plots.running_mean": "mean of last {window} steps",
    "plots.training_step": "training step",
    "plots.mse": "mean squared error",
    # tconv_lib.gan.evaluation.GeneratorReport.plot
    "evaluation.samples": "{name}: {n} samples",
    "evaluation.bar_real": "real",
    "evaluation.bar_generated": "generated",
    "evaluation.histogram": "class histogram (dotted: uniform, 10 %)",
    "evaluation.bar_confident_plain": "confident\nplain",
    "evaluation.bar_confident_strict": "confident\nstrict",
    "evaluation.bar_precision": "precision",
    "evaluation.bar_recall": "recall",
    "evaluation.bar_pixel_precision": "pixel\nprecision",
    "evaluation.bar_pixel_recall": "pixel\nrecall",
    "evaluation.versus": "generated vs real",
}
