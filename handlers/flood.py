"""Per-user flood control: a sliding one-minute window, one notice saying how long to wait, then silence
until it passes."""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from telegram import Update

from knowledge import conversation
from knowledge.normalize import search_key, written_in_english
from knowledge.references import only_a_look_up

from .state import Context

WINDOW = 60.0
LOOK_UP_CHARS = 24   # a look-up by number (references.only_a_look_up) this short is not counted against the limit
# a question sent while the gate is closed is not answered later: the notice says so, and how long to wait
NOTICE = "您提问太快了：这条和接下来 {seconds} 秒内发的问题不会回答，请 {seconds} 秒后再问。"
NOTICE_EN = ("You are asking too fast: this question and any sent in the next {seconds} seconds will not be "
             "answered. Please ask again in {seconds} seconds.")

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

    def wait(self, user_id: int) -> int:
        """Whole seconds until this user's next question is accepted."""
        times = self._seen.get(user_id)
        if not times or len(times) < self.per_window:
            return 0
        return max(1, int(self.window - (self.clock() - times[0]) + 0.999))

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
    text = (update.effective_message.text or "") if update.effective_message else ""
    key = search_key(text)
    if text and conversation.refers_back(key):
        # paging or picking in the last reply ("下一项", "第2项", "更多", "the second one"): staff go through a list
        # this way, and the engine searches nothing for it, so it is not counted as a question
        return True
    if text and len(key) <= LOOK_UP_CHARS and only_a_look_up(key):
        # a staff look-up by number ("2号文第20项", "办发8号第3项谁牵头"): read from the index, searched for nothing;
        # a run of them is work, not a flood (trial 21 #13)
        return True
    verdict = context.bot_data.flood.check(user.id)
    if verdict == NOTIFY and update.effective_message:
        notice = NOTICE_EN if written_in_english(text) else NOTICE   # in the asker's language
        await update.effective_message.reply_text(notice.format(seconds=context.bot_data.flood.wait(user.id)))
    return verdict == ALLOW
