"""Local grading that an instructor can trust: each submission in a sandbox, scored by a process it cannot reach.

``sandbox`` starts the bubblewrap sandbox (limits, read-only library), ``worker`` runs inside it
(executes the notebook, answers calls), ``wire`` is the plain-data format between them, ``judge``
runs the public and hidden tests on the extracted answers, ``gradebook`` matches file names and
writes the CSV files. Driven by tools/autograder.py (``make grade``).
Introduced in chapters/instructor_guide.
"""
