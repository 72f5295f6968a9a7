"""English: errors a learner's arguments can raise in the upsampling, GAN and real-model modules."""

MESSAGES: dict[str, str] = {
    # tconv_lib.upsampling.imaging
    "imaging.negative": "image holds negative integers (min {low}); expected pixel values",
    "imaging.float_range": "image is float but not in [0, 1] (min {low:.3g}, max {high:.3g}); convert it once, where it is read",
    "imaging.dtype": "image must hold integers or floats, got dtype {dtype}",
    "imaging.hwc": "image must be 3-D (H, W, C), got {ndim}-D shape {shape}",
    "imaging.batch": "x must hold one image (batch size 1), got batch size {n}",
    "imaging.nchw": "x must be (1, C, H, W) or (C, H, W), got shape {shape}",
    "imaging.fraction": "held_out_fraction must be between 0 and 1 (exclusive), got {got}",
    "imaging.empty_part": "held_out_fraction {fraction} leaves an empty part of {rows} rows",
    "imaging.patch_x": "x must be 4-D (N, C, H, W), got shape {shape}",
    "imaging.patch_size": "size ({size}) must not exceed the image's height and width {hw}",
    "imaging.psnr_shape": "pred and target must have the same shape, got {pred} and {target}",
    # tconv_lib.upsampling.upsamplers, .artifacts
    "upsamplers.channels": "out_channels ({out_channels}) must equal in_channels ({in_channels}) for {name!r}: "
                           "it does not mix channels",
    "upsamplers.head": "head must be one of {allowed} (a learnable x2 layer), got {got!r}",
    "upsamplers.patch_size": "patch_size ({patch_size}) must be a multiple of the scale factor ({scale})",
    "artifacts.multiple": "output size ({height}, {width}) must be a multiple of stride ({stride}) in both directions",
    "artifacts.ndim": "y must have at least 2 dimensions (H, W), got shape {shape}",
    "artifacts.seeds": "seeds must hold at least one seed",
    # tconv_lib.gan.data, .image_files
    "data.held_out_fraction": "held_out_fraction must be strictly between 0 and 1, got {got}",
    "data.grid_images": "images must have shape (n, C, H, W), got {shape}",
    "image_files.channels": "channels must be 1 (greyscale) or 3 (RGB), got {got!r}",
    "image_files.unreadable": "cannot read image file {path!r}: {error}",
    "image_files.sixteen_bit": "image {path!r} holds integers {low:.0f}..{high:.0f}, not 16-bit greyscale 0..{full}",
    "image_files.root": "root must be an existing folder, got {path!r}",
    "image_files.empty": "root {path!r} holds no image files ({extensions})",
    # tconv_lib.gan.dcgan, .latent, .train_config, .training, .quality, .diversity, .weights
    "dcgan.image_size": "image_size must be a power of two >= 8, got {got}",
    "dcgan.doubles": "kernel_size ({kernel_size}), padding ({padding}) and output_padding ({output_padding}) "
                     "must satisfy kernel_size + output_padding - 2*padding == 2 so that stride 2 doubles the size",
    "dcgan.halves": "kernel_size ({kernel_size}) and padding ({padding}) must halve the size with stride 2 "
                    "(image_size {image_size})",
    "dcgan.unknown": "unknown hyper-parameter(s) {unknown}; allowed: {allowed}",
    "latent.cells": "cells must be 0 (no gaps) or an int from 2 to latent_dim ({latent_dim}), got {got!r}",
    "latent.gap": "gap must be a finite number >= 0, got {got!r}",
    "training.cutout": "cutout must be a fraction of the image side in [0, 1] (0.5: the paper's square), got {got!r}",
    "training.decay": "decay must be in [0, 1), got {got}",
    "training.augment": "augment must be True or False, got {got!r}",
    "quality.images_16": "images must have shape (n, 1, H, H) with H a multiple of 16, got {shape}",
    "diversity.matrix": "{name} must have shape (n, d, ...) with n >= 1, got {shape}",
    "diversity.k": "k must be between 1 and len(points) - 1 = {most}, got {got}",
    "diversity.agree": "manifold {manifold}, radii ({radii},) and queries {queries} must agree in n (manifold, radii) "
                       "and d (manifold, queries)",
    "weights.not_found": "checkpoint file not found: {path}",
    "weights.no_checksum": "no checksum known for {name!r}: pass expected_sha256",
    "weights.mismatch": "SHA-256 mismatch for {path}: expected {expected}, got {actual}; "
                        "the file is corrupt or is not the checkpoint the manifest describes",
    "weights.unreadable": "{path} is not a readable safetensors file: {error}",
    "weights.wrong_module": "{path} does not hold {what}: {error}",
    # tconv_lib.real_models.decoders, .reference_nd, .onnx_export
    "decoders.too_small": "input_size {size} is too small for depth {depth}: level {index} gets a {hw} map, "
                          "which the downsampling layer cannot shrink further",
    "decoders.unreachable": "level {index}: a ConvTranspose2d with kernel_size={k}, stride={s}, padding={p} turns "
                            "{axis} {below} into one of {reachable}, never the skip's {target} (output_padding "
                            "adds 0..{most}){hint}",
    "decoders.example": "; for example {layer} fits this axis",
    "decoders.crop_to": "size ({h}, {w}) must not exceed the tensor's ({H}, {W})",
    "decoders.center_crop": "size ({h}, {w}) must not exceed the tensor's ({H}, {W}): a crop cannot enlarge",
    "reference_nd.x": "x must be (N, C_in, *spatial) with {n} spatial axes to match weight {weight}, got shape {shape}",
    "onnx.shape": "ONNX Runtime output shape {got} differs from PyTorch's {want}",
}
