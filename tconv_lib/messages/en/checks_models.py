"""English: the exercise checks of layers, generators, decoders and shipped models (tconv_lib.exercises)."""

MESSAGES: dict[str, str] = {
    # check_even_overlap
    "check.int_at_least": "{name} must be an int >= {low}{why}, got {got!r}",
    "check.no_upsampling": " (1 does not upsample)",
    "check.uneven_overlap": "overlap counts along a row vary in the interior: {counts}; compare kernel_size with stride",
    "case.overlap": "kernel_size={kernel_size}, stride={stride}, input size {n}",
    # models run batch by batch (check_generator_1_to_28, check_upsampler, check_dcgan_generator)
    "check.model_raised": "the model raised {type}: {error}",
    "check.not_tensor": "the model returned a {type}, not a tensor",
    "check.not_module": "pass an nn.Module, got {type}",
    "check.any_convolution": "convolution (nn.Conv2d, nn.ConvTranspose2d)",
    "check.no_layer": "the model has no {kind} layer; the check reads the input channels from the first one",
    "check.output_shape_layers": "output shape {shape}, expected ({n}, C, {size}, {size}); shapes layer by layer:",
    "case.latent_batch": "batch of {n} latent vectors",
    "case.image_batch": "batch of {n} {size}x{size} images",
    "check.latent_channels": "the generator takes {got} latent channels (in_channels of its first ConvTranspose2d); "
                             "the exercise asks for latent_dim={latent_dim}",
    "check.no_batchnorm": "the generator has no nn.BatchNorm2d: DCGAN normalises every hidden layer",
    "check.batchnorm_last": "a BatchNorm2d follows the last ConvTranspose2d: DCGAN normalises the hidden layers only, "
                            "never the output layer (it would fight the output activation)",
    "check.bias": "ConvTranspose2d layer(s) {layers} have a bias; a BatchNorm right after a layer makes its bias redundant",
    "check.sigmoid": "this batch spans {low:.2f} to {high:.2f}: the Sigmoid keeps outputs in [0, 1], but the training "
                     "images are scaled to [-1, 1]; which activation has that range?",
    "check.range_outside": "this batch spans {low:.2f} to {high:.2f}, outside [-1, 1]; no layer guarantees that range "
                           "for every input: which activation module does?",
    "check.range_inside": "this batch spans {low:.2f} to {high:.2f}, inside, by chance, [-1, 1]; no layer guarantees "
                          "that range for every input: which activation module does?",
    # the U-Net checks (exercises._decoders)
    "check.not_list": "{what} returned {got!r}; return a list of ints",
    "check.list_not_ints": "{what} returned {got!r}: every entry must be an int (// divides integers)",
    "check.list_length": "{what} returned {n} values, expected {expected}",
    "check.first_entry": "the first entry should be the input size itself, then one size per level",
    "check.halved": "dividing by the stride ignores kernel_size and padding; use Conv2d's size formula",
    "check.level_size": "level {level}: got {got}, a real Conv2d gives {want}; apply the size formula to the previous "
                        "level's size, with floor division",
    "check.rejects_list": "PyTorch rejects output_padding {got}: each must be at least 0 and smaller than the stride ({stride})",
    "check.encoder_order": "your list is in encoder order; the decoder runs the deepest level first",
    "check.skip_size": "at level {level} the ConvTranspose2d gives {up}, but its skip connection has {skip}; compare "
                       "what the layer gives with output_padding=0 with the skip's size",
    "check.crop_not_tensor": "your function returned a {type}; return a tensor (slice x)",
    "check.crop_shape": "your function returned shape {shape}, expected {expected}: keep N and C, crop only the last "
                        "two dimensions",
    "check.crop_corner": "your crop starts at the top-left corner; a centre crop leaves equal margins on both sides",
    "check.crop_odd": "when a margin is odd your extra row or column is cut at the top or left; the convention here "
                      "cuts it at the bottom and right (round the top offset down)",
    "check.crop_pixels": "your crop holds the wrong pixels: compute the top and left offsets from the size difference",
    "check.no_conv_transpose": "the model has no nn.ConvTranspose2d: this exercise is about transposed-convolution "
                               "decoders",
    "check.unet_raised": "on a {h}x{w} input the model raised {type}: {error}",
    "check.unet_shape": "on a {h}x{w} input the output has shape {shape}, expected (2, C, {h}, {w})",
    "case.pixels": "input of {h}x{w} pixels",
    # chapters 13 and 14 (exercises._beyond)
    "check.per_axis_tuple": "return a tuple of {ndim} int(s), one per axis, got {got!r}",
    "check.round_trip_axis": "the round trip gives {got}, not {want} (axis {axis} is off); treat each axis on its own "
                             "with that axis's size",
    "check.wrong_way_round": "your kernel is the wrong way round: in the zero-insertion view the stride-1 correlation "
                             "uses the flipped kernel",
    "check.block_raised": "the block raised {type} on a (2, 3, 32, 32) input: {error}",
    "check.block_shape": "output shape {shape}, expected (2, C, 16, 16): the block must halve H and W",
    "check.gradient_score": "the gradient reaching the input scores {score:.3f} (>= {threshold}): some output phase "
                            "still gets more than the others; which layer decides where the gradient goes?",
    "case.weights_given": "weights as given",
    "case.weights_redrawn": "weights redrawn, seed {seed}",
    "check.onnx_dict": "give a dict such as {{'strides': [...], 'pads': [...], 'output_padding': [...]}}, got {got!r}",
    "check.onnx_missing": "your dict has no {name!r}",
    "check.onnx_pads": " (ONNX lists all beginnings, then all ends)",
    "check.onnx_wrong": "{name} is not what the exporter writes{hint}; count one value per axis",
    "check.size_pair": "give the size as a tuple of two ints (height, width), got {got!r}",
    "check.dropped_size": "not the size ONNX Runtime computes: apply the size formula layer by layer with "
                          "output_padding 0, each layer starting from the previous layer's smaller output",
    "case.input": "input {shape}",
    "check.no_output_padding": "no nn.ConvTranspose2d with a non-zero output_padding: the point is to ship one",
    "check.model_gives": "the model gives {got}, expected {want}: apply the size formula axis by axis",
    "check.export_failed": "export failed: {type}: {error}",
    "check.onnx_differs": "ONNX Runtime differs from PyTorch by {diff:.2e} (>= {tolerance})",
    "case.model_in_pytorch": "the model in PyTorch",
    "case.dynamo": "dynamo={dynamo}, batch of {batch}",
}
