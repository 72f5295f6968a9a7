"""Part 4 of the book, chapters 12-14: U-Net decoders, other dimensions, stacks, export to ONNX."""
