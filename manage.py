#!/usr/bin/env python
"""Django's command-line utility for Zhanqun.

The Django project lives in ``platform/zhanqun``. ``platform/`` is put on ``sys.path`` (it is a plain
folder, never a package) so that ``import platform`` keeps meaning the standard library module.
"""

import os
import sys
from pathlib import Path


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent / "platform"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhanqun.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
