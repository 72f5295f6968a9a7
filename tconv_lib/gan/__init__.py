"""Part 3 of the book, chapters 10-11: the DCGAN generator, its training and the quality of its samples."""
