"""One message table per language, read by :mod:`tconv_lib.i18n`: the packages ``en`` and ``ja``.

Each holds one module per area (``figures``, ``reports``, ``errors``, ``errors_models``, ``checks``,
``checks_models``), every module a ``MESSAGES`` dict; the package's ``MESSAGES`` joins them.
"""
