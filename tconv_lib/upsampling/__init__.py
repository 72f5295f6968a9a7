"""Part 2 of the book, chapters 6-9: upsampling real images, the alternatives, checkerboard artifacts."""
