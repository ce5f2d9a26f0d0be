"""python -m bot: the same as the gazette-bot command."""
import sys

from .cli import main

sys.exit(main())
