"""日本語の文字列。領域ごとに1モジュールで、キーと差し込み欄は英語の表（tconv_lib/messages/en）と同じです。

文は「です・ます」、ラベルは名詞句で、用語は locale/ja/glossary.yml の形に揃えます。
"""
from . import checks, checks_models, errors, errors_models, figures, reports

AREAS = (figures, reports, errors, errors_models, checks, checks_models)
MESSAGES: dict[str, str] = {key: text for area in AREAS for key, text in area.MESSAGES.items()}
