"""Time the /unit and /due attachments: the timeline chart (first one loads the font) and the .ics/CSV exports,
with the PNGs' sizes. Prints figures; asserts nothing."""
import sys
import time

from bundled import AS_OF, bundled_store, load_engine
from stats import timed

from knowledge import export
from knowledge.timeline import render_timeline


def main(runs: int = 5) -> None:
    with bundled_store() as path:
        engine = load_engine(path)
        _, unit = engine.unit_tasks("区住房城乡建设委")
        everything = engine.due(3650)
        start = time.perf_counter()
        render_timeline(unit, AS_OF, "warm-up")
        print(f"first chart (font registered, matplotlib imported): {time.perf_counter() - start:.2f} s")
        for label, tasks in (("区住房城乡建设委 (30 rows)", unit), ("/due 3650 (60 rows, capped)", everything)):
            median, chart = timed(lambda: render_timeline(tasks, AS_OF, label), runs)
            print(f"chart {label}: median {median * 1000:.0f} ms, {chart.size[0]}x{chart.size[1]} px, "
                  f"{len(chart.png) / 1024:.0f} KiB")
        for fmt in export.FORMATS:
            median, (data, listing) = timed(lambda: export.export(engine, fmt, unit="区住建委"), runs)
            print(f"export {fmt} 区住房城乡建设委 ({len(listing.tasks)} tasks): median {median * 1000:.1f} ms, "
                  f"{len(data) / 1024:.1f} KiB")
        engine.db.conn.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
