"""A deadline timeline as a PNG: one row per task, a mark at its deadline, coloured by how urgent it is.

Answers (Engine.due, Engine.unit_tasks) go in, PNG bytes come out. Only matplotlib's object API is used (a
Figure on an Agg canvas, never pyplot), so a chart can be drawn in a worker thread while the bot answers
others. Chinese is set in Noto Sans SC, shipped as package data by pylopdf-fonts-zh-cn and registered with
font_manager on first use: nothing depends on the fonts a machine happens to have.
"""
from __future__ import annotations

import datetime as dt
import io
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SOON = 7                 # days: "due within a week" is what the daily digest calls urgent too
DPI = 100
WIDTH_IN = 12.0          # 1200 px: wide enough for a unit, an item and a few words of the task
ROW_IN = 0.34            # 34 px a row: the 11 pt labels stay apart
FRAME_IN = 1.9           # title, legend and date axis
TOP_PX, BOTTOM_PX = 110, 80     # of the frame: above the rows (title, legend, "today"), below (dates)
LABELS_PX = 540          # left of the rows: a 34-character label at 11 pt
MAX_ROWS = 60            # ~2 200 px high at most: Telegram wants width + height <= 10 000
LABEL_CHARS = 34         # characters of a row's label before it is cut with "…"
UNIT_CHARS = 12

# Okabe–Ito colours, told apart with colour blindness too; the marker shapes differ as well
STYLES = {"overdue": ("#D55E00", "X", "期限已过"),
          "soon": ("#E69F00", "D", f"{SOON} 天内到期"),
          "later": ("#0072B2", "o", "更晚到期")}

# tick labels in Chinese date style whatever the locale: 2022年, 9月, 09-15
DATE_FORMATS = {"formats": ["%Y年", "%-m月", "%m-%d", "%H:%M", "%H:%M", "%S"],
                "zero_formats": ["", "%Y年", "%-m月", "%m-%d", "%H:%M", "%H:%M"],
                "offset_formats": ["", "", "%Y年", "%Y年%-m月", "%Y-%m-%d", "%Y-%m-%d"]}

_font_lock = threading.Lock()
_font_family: str | None = None


@dataclass(frozen=True)
class Chart:
    png: bytes
    rows: int               # tasks drawn
    left_out: int           # tasks with a deadline beyond MAX_ROWS, not drawn
    undated: int            # answers without a deadline, which a timeline cannot place
    counts: dict[str, int]  # urgency -> tasks drawn

    @property
    def size(self) -> tuple[int, int]:
        return chart_size(self.rows)


def chart_size(rows: int) -> tuple[int, int]:
    """(width, height) in pixels of the chart of this many rows."""
    rows = max(1, min(rows, MAX_ROWS))
    return round(WIDTH_IN * DPI), round((FRAME_IN + rows * ROW_IN) * DPI)


def urgency(deadline: str, as_of: dt.date) -> str:
    """'overdue', 'soon' (within SOON days) or 'later'."""
    days = (dt.date.fromisoformat(deadline) - as_of).days
    return "overdue" if days < 0 else "soon" if days <= SOON else "later"


def cjk_font() -> str:
    """Register the bundled Noto Sans SC with matplotlib (once per process) and make it the sans-serif face;
    returns its family name."""
    global _font_family
    with _font_lock:
        if _font_family is None:
            import matplotlib
            import pylopdf_fonts_zh_cn
            from matplotlib import font_manager

            path = str(pylopdf_fonts_zh_cn.sans_path())
            font_manager.fontManager.addfont(path)
            family = font_manager.FontProperties(fname=path).get_name()
            # set once, before any figure exists: rcParams are read when text is created
            matplotlib.rcParams["font.family"] = "sans-serif"
            matplotlib.rcParams["font.sans-serif"] = [family, *matplotlib.rcParams["font.sans-serif"]]
            matplotlib.rcParams["axes.unicode_minus"] = False
            _font_family = family
        return _font_family


def _cut(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def row_label(task: Mapping) -> str:
    """Unit, item, the first words of the task: '区住房城乡建设委 二（七） 开工建设筹集保障性…'."""
    units = task.get("units") or task.get("co_units") or []
    unit = _cut("、".join(units), UNIT_CHARS) if units else "（未列单位）"
    head = f"{unit} {task.get('item') or ''}".strip()
    words = (task.get("passage") or task.get("text") or "").lstrip("（(0123456789一二三四五六七八九十）)、. ")
    return _cut(f"{head} {words}", LABEL_CHARS)


def dated(tasks: Iterable[Mapping]) -> list[Mapping]:
    """The tasks that have a deadline, soonest first (the order of the rows)."""
    return sorted((t for t in tasks if t.get("deadline")), key=lambda t: t["deadline"])


def render_timeline(tasks: list[Mapping], as_of: dt.date, title: str) -> Chart:
    """The chart of these answers as of a date; tasks without a deadline are counted, not drawn."""
    family = cjk_font()
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    rows = dated(tasks)
    undated = len(tasks) - len(rows)
    left_out = max(0, len(rows) - MAX_ROWS)
    rows = rows[:MAX_ROWS]
    width, height = chart_size(len(rows))
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    # margins in pixels, worked out once: a layout engine would measure every label on each draw (~2x slower)
    ax = fig.add_axes((LABELS_PX / width, BOTTOM_PX / height, 1 - (LABELS_PX + 20) / width,
                       1 - (TOP_PX + BOTTOM_PX) / height))
    kinds = [urgency(t["deadline"], as_of) for t in rows]
    counts = Counter(kinds)
    days = [dt.date.fromisoformat(t["deadline"]) for t in rows]
    for kind, (colour, marker, _label) in STYLES.items():
        ys = [k for k, kk in enumerate(kinds) if kk == kind]
        if ys:
            ax.hlines(ys, [min(as_of, days[k]) for k in ys], [max(as_of, days[k]) for k in ys],
                      colors=colour, linewidth=1.2, alpha=0.35)
            ax.scatter([days[k] for k in ys], ys, c=colour, marker=marker, s=60, zorder=3,
                       edgecolors="white", linewidths=0.6)
    for k, day in enumerate(days):
        ax.annotate(day.isoformat(), (day, k), xytext=(7, 0), textcoords="offset points", va="center",
                    fontsize=8, color="#555555")
    ax.axvline(as_of, color="#444444", linestyle="--", linewidth=1)
    ax.annotate(f"今天 {as_of.isoformat()}", (as_of, 1.0), xycoords=("data", "axes fraction"),
                xytext=(4, 2), textcoords="offset points", va="bottom", fontsize=9, color="#444444")
    ax.set_yticks(range(len(rows)), [row_label(t) for t in rows], fontsize=11)
    ax.set_ylim(len(rows) - 0.5, -0.7)      # the soonest on top
    span = [min([as_of, *days]), max([as_of, *days])]
    pad = max(dt.timedelta(days=5), (span[1] - span[0]) * 0.03)
    # room on the right for the last mark's date label
    ax.set_xlim(span[0] - pad, span[1] + 3 * pad + (span[1] - span[0]) * 0.08)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, **DATE_FORMATS))
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.grid(axis="y", color="#f0f0f0", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Line2D([], [], color=c, marker=m, linestyle="", markersize=8, label=f"{label} {counts.get(k, 0)} 项")
               for k, (c, m, label) in STYLES.items()]
    fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(1 - 10 / width, 1 - 50 / height), ncols=3,
               frameon=False, fontsize=10)
    more = f"（另有 {left_out} 项未画出）" if left_out else ""
    fig.text(12 / width, 1 - 14 / height, f"{title}{more}", ha="left", va="top", fontsize=15, family=family)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return Chart(buf.getvalue(), len(rows), left_out, undated, dict(counts))
