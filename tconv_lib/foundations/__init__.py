"""Part 1 of the book, chapters 1-5: what ConvTranspose2d computes and the size of its output."""
