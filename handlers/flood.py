"""Per-user flood control: a sliding one-minute window, one notice, then silence until it passes."""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from telegram import Update

from .state import Context

WINDOW = 60.0
NOTICE = "您提问太快了，请稍等一分钟再问。"
ALLOW, NOTIFY, IGNORE = "allow", "notify", "ignore"


class FloodGate:
    """Counts each user's accepted questions in the last `window` seconds.

    Refused questions are not counted, so a user who keeps typing is let back in as soon as
    their oldest accepted question leaves the window; users never share a window.
    """

    def __init__(self, per_window: int, window: float = WINDOW, clock: Callable[[], float] = time.monotonic):
        self.per_window = max(1, per_window)
        self.window = window
        self.clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    def check(self, user_id: int) -> str:
        """ALLOW (and count it), NOTIFY (first refusal in this window) or IGNORE."""
        now = self.clock()
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.per_window:
            times.append(now)
            self._warned.discard(user_id)
            return ALLOW
        if user_id in self._warned:
            return IGNORE
        self._warned.add(user_id)
        return NOTIFY


async def admit(update: Update, context: Context) -> bool:
    """Let a question through, or send the one notice / stay silent for a user over the limit."""
    user = update.effective_user
    if user is None:
        return True
    verdict = context.bot_data.flood.check(user.id)
    if verdict == NOTIFY and update.effective_message:
        await update.effective_message.reply_text(NOTICE)
    return verdict == ALLOW
