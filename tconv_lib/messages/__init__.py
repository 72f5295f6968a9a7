"""One message table per language (``MESSAGES`` in ``en.py``, ``ja.py``), read by :mod:`tconv_lib.i18n`."""
