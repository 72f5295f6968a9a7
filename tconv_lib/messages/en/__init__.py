"""English strings of the library, one module per area; keys are ``area.name``, fields in braces (tconv_lib.i18n.message).

Each entry is the library's English text exactly as printed before the tables existed: the English notebooks'
outputs are compared byte for byte. ``tconv_lib/messages/ja`` has the same keys and fields.
"""
from . import checks, checks_models, errors, errors_models, figures, reports

AREAS = (figures, reports, errors, errors_models, checks, checks_models)
MESSAGES: dict[str, str] = {key: text for area in AREAS for key, text in area.MESSAGES.items()}
