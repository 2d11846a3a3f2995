"""Imported by the worker processes' fork server (tasks.parallel.PRELOAD), never by hand.

Builds the language detector and has it read one text, which loads its models (~100 MB,
1-5 s): done once in the fork server, every extraction worker starts with them shared
copy-on-write instead of loading its own copy on its first page.
"""

from tasks.clean.language import detect_language

detect_language("A sentence long enough for the detector to load its language models.")
